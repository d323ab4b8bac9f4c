package dev.kiln.magics.parquet;

import java.nio.ByteBuffer;
import org.apache.parquet.bytes.ByteBufferAllocator;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.values.ValuesWriter;
import org.apache.parquet.column.values.plain.PlainValuesWriter;
import org.apache.parquet.io.api.Binary;

/**
 * Dictionary encoding for BINARY (text) columns on a {@link BytesIdTable}: the pages and fallback
 * of parquet-column's own binary dictionary, hashing a value's bytes where they lie rather than
 * through a map of copied {@link Binary} keys.
 */
final class BinaryDictionaryWriter extends FlatDictionaryWriter {

    private final BytesIdTable table = new BytesIdTable();

    BinaryDictionaryWriter(int maxDictionaryByteSize, Encoding dataPage, Encoding dictionaryPage, ByteBufferAllocator allocator) {
        super(maxDictionaryByteSize, dataPage, dictionaryPage, allocator);
    }

    @Override
    public void writeBytes(Binary v) {
        ByteBuffer b = v.toByteBuffer();
        int before = table.size();
        int id = b.hasArray() ? table.id(b.array(), b.arrayOffset() + b.position(), b.remaining())
                : table.id(v.getBytes(), 0, v.length());
        if (table.size() != before) {
            dictionaryByteSize += 4L + v.length();
        }
        addId(id);
    }

    /** Adds {@code b[off, off + len)} as {@link #writeBytes} adds a value; returns its id. */
    int write(byte[] b, int off, int len) {
        int before = table.size();
        int id = table.id(b, off, len);
        if (table.size() != before) {
            dictionaryByteSize += 4L + len;
        }
        addId(id);
        return id;
    }

    private Binary value(int id) {
        return Binary.fromConstantByteArray(table.array(), table.start(id), table.length(id));
    }

    @Override
    public DictionaryPage toDictPageAndClose() {
        if (lastUsedDictionarySize <= 0) {
            return null;
        }
        PlainValuesWriter page = new PlainValuesWriter(lastUsedDictionaryByteSize, maxDictionaryByteSize, allocator);
        for (int i = 0; i < lastUsedDictionarySize; i++) {
            page.writeBytes(value(i));
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
            writer.writeBytes(value(id(i)));
        }
    }
}
