package dev.kiln.magics.parquet;

import org.apache.parquet.bytes.ByteBufferAllocator;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.values.ValuesWriter;
import org.apache.parquet.column.values.plain.PlainValuesWriter;

/**
 * Dictionary encoding for INT64 (and INT32, {@code int32}) columns on a {@link LongIdTable}: the
 * pages and fallback of parquet-column's own long and integer dictionaries, without their linked
 * hash maps.
 */
final class LongDictionaryWriter extends FlatDictionaryWriter {

    private final LongIdTable table = new LongIdTable();
    private final boolean int32;

    LongDictionaryWriter(boolean int32, int maxDictionaryByteSize, Encoding dataPage, Encoding dictionaryPage,
                         ByteBufferAllocator allocator) {
        super(maxDictionaryByteSize, dataPage, dictionaryPage, allocator);
        this.int32 = int32;
    }

    @Override
    public void writeLong(long v) {
        int before = table.size();
        int id = table.id(v);
        if (table.size() != before) {
            dictionaryByteSize += 8;
        }
        addId(id);
    }

    @Override
    public void writeInteger(int v) {
        int before = table.size();
        int id = table.id(v);
        if (table.size() != before) {
            dictionaryByteSize += 4;
        }
        addId(id);
    }

    @Override
    public DictionaryPage toDictPageAndClose() {
        if (lastUsedDictionarySize <= 0) {
            return null;
        }
        PlainValuesWriter page = new PlainValuesWriter(lastUsedDictionaryByteSize, maxDictionaryByteSize, allocator);
        for (int i = 0; i < lastUsedDictionarySize; i++) {
            if (int32) {
                page.writeInteger((int) table.key(i));
            } else {
                page.writeLong(table.key(i));
            }
        }
        return dictPage(page);
    }

    @Override
    public int getDictionarySize() {
        return table.size();
    }

    @Override
    protected void clearDictionaryContent() {
        table.clear();
    }

    @Override
    public void fallBackDictionaryEncodedData(ValuesWriter writer) {
        for (int i = 0; i < idCount(); i++) {
            long v = table.key(id(i));
            if (int32) {
                writer.writeInteger((int) v);
            } else {
                writer.writeLong(v);
            }
        }
    }
}
