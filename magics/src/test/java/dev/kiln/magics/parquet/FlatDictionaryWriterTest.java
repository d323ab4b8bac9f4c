package dev.kiln.magics.parquet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.SplittableRandom;
import org.apache.parquet.bytes.HeapByteBufferAllocator;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.values.dictionary.DictionaryValuesWriter;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A flat dictionary's data pages are the bytes of parquet-column's own dictionary writer for the
 * same values, page after page: ids of every bit width a page can need (0 for a one-value
 * dictionary up to 17), run-length runs whose id takes one, two or three bytes, bit-packed runs
 * longer than the 63 groups one header counts, and pages ending mid-group, on a group, or in a run.
 */
@Timeout(60)
class FlatDictionaryWriterTest {

    private static final int MAX_DICTIONARY_BYTES = 4 << 20;

    @ParameterizedTest(name = "{0} distinct values")
    @ValueSource(ints = {1, 2, 3, 9, 200, 300, 5_000, 70_000, 100_000})
    void pagesAreTheBytesOfParquetColumnsDictionary(int distinct) throws IOException {
        SplittableRandom r = new SplittableRandom(distinct);
        LongDictionaryWriter ours = new LongDictionaryWriter(false, MAX_DICTIONARY_BYTES, Encoding.RLE_DICTIONARY, Encoding.PLAIN,
                HeapByteBufferAllocator.getInstance());
        DictionaryValuesWriter theirs = new DictionaryValuesWriter.PlainLongDictionaryValuesWriter(MAX_DICTIONARY_BYTES,
                Encoding.RLE_DICTIONARY, Encoding.PLAIN, HeapByteBufferAllocator.getInstance());
        int[] pageSizes = {0, 1, 7, 8, 9, 63 * 8, 63 * 8 + 1, 64 * 8 + 3, 5_000, 120_000, 16, 3};
        for (int p = 0; p < pageSizes.length; p++) {
            int pageSize = pageSizes[p];
            // every other page without long runs: its bit-packed runs outgrow one header's 63 groups
            boolean shortRuns = p % 2 == 1;
            int written = 0;
            while (written < pageSize) {
                // runs of one value, of a few (shorter than a run-length run), of many, and distinct values
                int run = shortRuns ? 1 : switch (r.nextInt(4)) {
                    case 0 -> 1;
                    case 1 -> 2 + r.nextInt(7);
                    case 2 -> 8 + r.nextInt(40);
                    default -> 1;
                };
                long value = r.nextInt(distinct) * 1_000_003L;
                for (int k = 0; k < run && written < pageSize; k++, written++) {
                    ours.writeLong(value);
                    theirs.writeLong(value);
                }
            }
            assertEquals(theirs.getBufferedSize(), ours.getBufferedSize());
            assertArrayEquals(theirs.getBytes().toByteArray(), ours.getBytes().toByteArray(), pageSize + " values");
            assertEquals(theirs.getEncoding(), ours.getEncoding());
            theirs.reset();
            ours.reset();
        }
        assertArrayEquals(theirs.toDictPageAndClose().getBytes().toByteArray(), ours.toDictPageAndClose().getBytes().toByteArray());
    }
}
