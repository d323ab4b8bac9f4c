package dev.kiln.magics.parquet;

import java.util.Arrays;
import org.apache.parquet.bytes.ByteBufferAllocator;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.values.ValuesWriter;
import org.apache.parquet.column.values.dictionary.DictionaryValuesWriter;
import org.apache.parquet.column.values.factory.DefaultValuesWriterFactory;
import org.apache.parquet.column.values.factory.ValuesWriterFactory;
import org.apache.parquet.column.values.fallback.FallbackValuesWriter;
import org.apache.parquet.column.values.plain.PlainValuesWriter;

/**
 * Dictionary encoding for doubles with a flat open-addressing table on the values' bits. It writes
 * what parquet-column's own double dictionary writes (same pages, same fallback), but that one's
 * linked hash map of boxed-free doubles was a tenth of the conversion's CPU.
 */
final class DoubleDictionaryWriter extends FlatDictionaryWriter {

    private long[] keys = new long[1024];
    private int[] ids = new int[1024];
    private double[] values = new double[512];
    private int size;

    DoubleDictionaryWriter(int maxDictionaryByteSize, Encoding dataPage, Encoding dictionaryPage, ByteBufferAllocator allocator) {
        super(maxDictionaryByteSize, dataPage, dictionaryPage, allocator);
        Arrays.fill(ids, -1);
    }

    @Override
    public void writeDouble(double v) {
        long bits = Double.doubleToRawLongBits(v);
        int mask = keys.length - 1;
        int slot = (int) ((bits * 0x9E3779B97F4A7C15L) >>> 40) & mask;
        while (true) {
            int id = ids[slot];
            if (id < 0) {
                break;
            }
            if (keys[slot] == bits) {
                addId(id);
                return;
            }
            slot = (slot + 1) & mask;
        }
        add(v, bits, slot);
    }

    /** A new value into the empty {@code slot}: apart, so that the lookup stays small enough to inline. */
    private void add(double v, long bits, int slot) {
        int id = size++;
        keys[slot] = bits;
        ids[slot] = id;
        if (id == values.length) {
            values = Arrays.copyOf(values, id * 2);
        }
        values[id] = v;
        dictionaryByteSize += 8;
        addId(id);
        if (size * 2 > keys.length) {
            grow();
        }
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldIds = ids;
        keys = new long[oldKeys.length * 2];
        ids = new int[oldKeys.length * 2];
        Arrays.fill(ids, -1);
        int mask = keys.length - 1;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldIds[i] >= 0) {
                int slot = (int) ((oldKeys[i] * 0x9E3779B97F4A7C15L) >>> 40) & mask;
                while (ids[slot] >= 0) {
                    slot = (slot + 1) & mask;
                }
                keys[slot] = oldKeys[i];
                ids[slot] = oldIds[i];
            }
        }
    }

    @Override
    public DictionaryPage toDictPageAndClose() {
        if (lastUsedDictionarySize <= 0) {
            return null;
        }
        PlainValuesWriter page = new PlainValuesWriter(lastUsedDictionaryByteSize, maxDictionaryByteSize, allocator);
        for (int i = 0; i < lastUsedDictionarySize; i++) {
            page.writeDouble(values[i]);
        }
        return dictPage(page);
    }

    @Override
    public int getDictionarySize() {
        return size;
    }

    @Override
    protected void clearDictionaryContent() {
        Arrays.fill(ids, -1);
        size = 0;
    }

    @Override
    public void fallBackDictionaryEncodedData(ValuesWriter writer) {
        for (int i = 0; i < idCount(); i++) {
            writer.writeDouble(values[id(i)]);
        }
    }

    /**
     * parquet-column's writers, with flat-table dictionaries for the double, long, integer and text
     * columns that are dictionary-encoded, each falling back to the writer parquet-column chose
     * (through {@link DictionaryFallbackWriter}, which takes a batch's values in one loop).
     */
    static final class Factory implements ValuesWriterFactory {
        private final ValuesWriterFactory base = new DefaultValuesWriterFactory();
        private ParquetProperties props;

        @Override
        public void initialize(ParquetProperties properties) {
            this.props = properties;
            base.initialize(properties);
        }

        @Override
        public ValuesWriter newValuesWriter(ColumnDescriptor d) {
            ValuesWriter w = base.newValuesWriter(d);
            if (!(w instanceof FallbackValuesWriter<?, ?> f) || !(f.initialWriter instanceof DictionaryValuesWriter)) {
                return w;
            }
            boolean v2 = props.getWriterVersion() == ParquetProperties.WriterVersion.PARQUET_2_0;
            Encoding dataPage = v2 ? Encoding.RLE_DICTIONARY : Encoding.PLAIN_DICTIONARY;
            Encoding dictionaryPage = v2 ? Encoding.PLAIN : Encoding.PLAIN_DICTIONARY;
            int max = props.getDictionaryPageSizeThreshold();
            ByteBufferAllocator a = props.getAllocator();
            DictionaryValuesWriter dictionary = switch (d.getPrimitiveType().getPrimitiveTypeName()) {
                case DOUBLE -> new DoubleDictionaryWriter(max, dataPage, dictionaryPage, a);
                case INT64 -> new LongDictionaryWriter(false, max, dataPage, dictionaryPage, a);
                case INT32 -> new LongDictionaryWriter(true, max, dataPage, dictionaryPage, a);
                case BINARY -> new BinaryDictionaryWriter(max, dataPage, dictionaryPage, a);
                default -> null;
            };
            return dictionary == null ? w : new DictionaryFallbackWriter(dictionary, f.fallBackWriter);
        }
    }
}
