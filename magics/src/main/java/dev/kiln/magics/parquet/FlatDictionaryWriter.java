package dev.kiln.magics.parquet;

import java.util.Arrays;
import org.apache.parquet.bytes.ByteBufferAllocator;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.bytes.BytesUtils;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.values.dictionary.DictionaryValuesWriter;

/**
 * A dictionary writer of Kiln's flat tables: its data page is the bytes of parquet-column's
 * {@code DictionaryValuesWriter} (the ids' bit width, then the ids in the run-length / bit-packed
 * hybrid of {@code RunLengthBitPackingHybridEncoder}, step for step), written in one loop into one
 * array that the next page reuses, rather than a value at a time through an output stream of slabs.
 */
abstract class FlatDictionaryWriter extends DictionaryValuesWriter {

    /** The page's ids, in place of the base class's list of slabs (which stays empty). */
    private int[] ids = new int[1024];
    private int idCount;
    /** The last page's bytes; the page writer has compressed (copied) them before the next page asks. */
    private byte[] page = new byte[1024];
    private int pos;
    /** Where the open bit-packed run's header byte is, or -1; and its groups of 8 so far. */
    private int header;
    private int groups;

    FlatDictionaryWriter(int maxDictionaryByteSize, Encoding dataPage, Encoding dictionaryPage, ByteBufferAllocator allocator) {
        super(maxDictionaryByteSize, dataPage, dictionaryPage, allocator);
    }

    /** Adds a value's id to the page. */
    final void addId(int id) {
        if (idCount == ids.length) {
            ids = Arrays.copyOf(ids, idCount * 2);
        }
        ids[idCount++] = id;
    }

    final int idCount() {
        return idCount;
    }

    final int id(int i) {
        return ids[i];
    }

    @Override
    public long getBufferedSize() {
        return idCount * 4L;
    }

    @Override
    public long getAllocatedSize() {
        return idCount * 4L + dictionaryByteSize;
    }

    @Override
    public void fallBackAllValuesTo(org.apache.parquet.column.values.ValuesWriter writer) {
        super.fallBackAllValuesTo(writer);
        if (lastUsedDictionarySize == 0) {
            // no page used the dictionary: it was cleared, and its ids went with it
            idCount = 0;
        }
    }

    @Override
    public void reset() {
        super.reset();
        idCount = 0;
    }

    @Override
    public void close() {
        super.close();
        idCount = 0;
    }

    @Override
    public BytesInput getBytes() {
        int bitWidth = BytesUtils.getWidthFromMaxInt(getDictionarySize() - 1);
        encode(bitWidth);
        lastUsedDictionarySize = getDictionarySize();
        lastUsedDictionaryByteSize = Math.toIntExact(dictionaryByteSize);
        return BytesInput.from(page, 0, pos);
    }

    /**
     * Writes the bit width and then the page's ids into {@link #page} as RunLengthBitPackingHybridEncoder
     * would (a run of 8 or more equal ids is a run-length run, else groups of 8 are bit-packed, up to
     * 63 groups a run, the last group padded with zeros), state for state.
     */
    private void encode(int bitWidth) {
        int valueBytes = (bitWidth + 7) / 8;
        pos = 0;
        header = -1;
        groups = 0;
        ensure(1);
        page[pos++] = (byte) bitWidth;
        int[] v = ids;
        int n = idCount;
        int[] buffered = new int[8];
        int numBuffered = 0;
        int previous = 0;
        int repeatCount = 0;
        for (int i = 0; i < n; i++) {
            int value = v[i];
            if (value == previous) {
                if (++repeatCount >= 8) {
                    continue;
                }
            } else {
                if (repeatCount >= 8) {
                    // the run is written, its buffered ids with it
                    run(previous, repeatCount, valueBytes);
                    numBuffered = 0;
                }
                repeatCount = 1;
                previous = value;
            }
            buffered[numBuffered++] = value;
            if (numBuffered == 8) {
                pack(buffered, bitWidth);
                numBuffered = 0;
                repeatCount = 0;
            }
        }
        if (repeatCount >= 8) {
            run(previous, repeatCount, valueBytes);
        } else if (numBuffered > 0) {
            Arrays.fill(buffered, numBuffered, 8, 0);
            pack(buffered, bitWidth);
        }
        endBitPackedRun();
    }

    private void run(int value, int count, int valueBytes) {
        endBitPackedRun();
        ensure(5 + valueBytes);
        byte[] out = page;
        int p = pos;
        int c = count << 1;
        while ((c & ~0x7F) != 0) {
            out[p++] = (byte) ((c & 0x7F) | 0x80);
            c >>>= 7;
        }
        out[p++] = (byte) c;
        for (int b = 0; b < valueBytes; b++) {
            out[p++] = (byte) (value >>> (8 * b));
        }
        pos = p;
    }

    /** Eight ids bit-packed into {@code bitWidth} bytes, each id's lowest bit first, in the open run or a new one. */
    private void pack(int[] buffered, int bitWidth) {
        if (groups >= 63) {
            endBitPackedRun();
        }
        ensure(1 + bitWidth);
        byte[] out = page;
        int p = pos;
        if (header < 0) {
            header = p;
            out[p++] = 0;
        }
        long acc = 0;
        int bits = 0;
        for (int k = 0; k < 8; k++) {
            acc |= (buffered[k] & 0xFFFFFFFFL) << bits;
            bits += bitWidth;
            while (bits >= 8) {
                out[p++] = (byte) acc;
                acc >>>= 8;
                bits -= 8;
            }
        }
        pos = p;
        groups++;
    }

    private void endBitPackedRun() {
        if (header >= 0) {
            page[header] = (byte) ((groups << 1) | 1);
            header = -1;
            groups = 0;
        }
    }

    private void ensure(int bytes) {
        if (pos + bytes > page.length) {
            page = Arrays.copyOf(page, Math.max(pos + bytes, page.length * 2));
        }
    }
}
