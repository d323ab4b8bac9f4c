package dev.kiln.magics.parquet;

import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.values.ValuesWriter;
import org.apache.parquet.column.values.dictionary.DictionaryValuesWriter;
import org.apache.parquet.io.api.Binary;

/**
 * parquet-column's {@code FallbackValuesWriter}, step for step (a dictionary, and the writer it
 * falls back to when the dictionary outgrows its page or does not pay on the first page), with
 * entry points that take a column's batch of values in one loop and call the dictionary directly.
 */
final class DictionaryFallbackWriter extends ValuesWriter {

    private final DictionaryValuesWriter initialWriter;
    private final ValuesWriter fallBackWriter;
    /** The dictionary, typed, for the batch loops (one is set, for the column's type). */
    private final LongDictionaryWriter longs;
    private final DoubleDictionaryWriter doubles;
    private final BinaryDictionaryWriter text;
    private boolean fellBackAlready;
    private ValuesWriter currentWriter;
    private boolean initialUsedAndHadDictionary;
    /** The values' plain size: a page is cut on it, so a page that falls back is not too big. */
    private long rawDataByteSize;
    private boolean firstPage = true;

    DictionaryFallbackWriter(DictionaryValuesWriter initialWriter, ValuesWriter fallBackWriter) {
        this.initialWriter = initialWriter;
        this.fallBackWriter = fallBackWriter;
        this.currentWriter = initialWriter;
        this.longs = initialWriter instanceof LongDictionaryWriter l ? l : null;
        this.doubles = initialWriter instanceof DoubleDictionaryWriter d ? d : null;
        this.text = initialWriter instanceof BinaryDictionaryWriter b ? b : null;
    }

    /** The batch's non-null INT64 values (INT32 when {@code int32}). */
    void writeLongs(long[] v, boolean[] nulls, int n, boolean int32) {
        int width = int32 ? 4 : 8;
        for (int r = 0; r < n; r++) {
            if (nulls[r]) {
                continue;
            }
            rawDataByteSize += width;
            if (fellBackAlready) {
                if (int32) {
                    currentWriter.writeInteger((int) v[r]);
                } else {
                    currentWriter.writeLong(v[r]);
                }
                continue;
            }
            if (int32) {
                longs.writeInteger((int) v[r]);
            } else {
                longs.writeLong(v[r]);
            }
            if (longs.shouldFallBack()) {
                fallBack();
            }
        }
    }

    void writeDoubles(double[] v, boolean[] nulls, int n) {
        for (int r = 0; r < n; r++) {
            if (nulls[r]) {
                continue;
            }
            rawDataByteSize += 8;
            if (fellBackAlready) {
                currentWriter.writeDouble(v[r]);
                continue;
            }
            doubles.writeDouble(v[r]);
            if (doubles.shouldFallBack()) {
                fallBack();
            }
        }
    }

    /**
     * The batch's non-null strings, {@code arrays[r]} from {@code starts[r]} for {@code lengths[r]}
     * bytes; {@code ids[r]} is each one's dictionary id, -1 for a null or once the dictionary fell back.
     */
    void writeText(byte[][] arrays, int[] starts, int[] lengths, boolean[] nulls, int n, int[] ids) {
        for (int r = 0; r < n; r++) {
            ids[r] = -1;
            if (nulls[r]) {
                continue;
            }
            rawDataByteSize += lengths[r] + 4;
            if (fellBackAlready) {
                currentWriter.writeBytes(Binary.fromReusedByteArray(arrays[r], starts[r], lengths[r]));
                continue;
            }
            ids[r] = text.write(arrays[r], starts[r], lengths[r]);
            if (text.shouldFallBack()) {
                fallBack();
            }
        }
    }

    /** Whether this writes a dictionary of the typed kind the batch loops take. */
    boolean takesLongs() {
        return longs != null;
    }

    boolean takesDoubles() {
        return doubles != null;
    }

    boolean takesText() {
        return text != null;
    }

    @Override
    public long getBufferedSize() {
        return rawDataByteSize;
    }

    @Override
    public BytesInput getBytes() {
        if (!fellBackAlready && firstPage) {
            // the first page decides whether the dictionary pays
            BytesInput bytes = initialWriter.getBytes();
            if (!initialWriter.isCompressionSatisfying(rawDataByteSize, bytes.size())) {
                fallBack();
            } else {
                return bytes;
            }
        }
        return currentWriter.getBytes();
    }

    @Override
    public Encoding getEncoding() {
        Encoding encoding = currentWriter.getEncoding();
        if (!fellBackAlready && !initialUsedAndHadDictionary) {
            initialUsedAndHadDictionary = encoding.usesDictionary();
        }
        return encoding;
    }

    @Override
    public void reset() {
        rawDataByteSize = 0;
        firstPage = false;
        currentWriter.reset();
    }

    @Override
    public void close() {
        initialWriter.close();
        fallBackWriter.close();
    }

    @Override
    public DictionaryPage toDictPageAndClose() {
        return initialUsedAndHadDictionary ? initialWriter.toDictPageAndClose() : currentWriter.toDictPageAndClose();
    }

    @Override
    public void resetDictionary() {
        if (initialUsedAndHadDictionary) {
            initialWriter.resetDictionary();
        } else {
            currentWriter.resetDictionary();
        }
        currentWriter = initialWriter;
        fellBackAlready = false;
        initialUsedAndHadDictionary = false;
        firstPage = true;
    }

    @Override
    public long getAllocatedSize() {
        return currentWriter.getAllocatedSize();
    }

    @Override
    public String memUsageString(String prefix) {
        return prefix + " DictionaryFallbackWriter{\n" + initialWriter.memUsageString(prefix + " initial:") + "\n"
                + fallBackWriter.memUsageString(prefix + " fallback:") + "\n" + prefix + "}\n";
    }

    private void checkFallback() {
        if (!fellBackAlready && initialWriter.shouldFallBack()) {
            fallBack();
        }
    }

    private void fallBack() {
        fellBackAlready = true;
        initialWriter.fallBackAllValuesTo(fallBackWriter);
        currentWriter = fallBackWriter;
    }

    @Override
    public void writeByte(int value) {
        rawDataByteSize += 1;
        currentWriter.writeByte(value);
        checkFallback();
    }

    @Override
    public void writeBytes(Binary v) {
        rawDataByteSize += v.length() + 4;
        currentWriter.writeBytes(v);
        checkFallback();
    }

    @Override
    public void writeInteger(int v) {
        rawDataByteSize += 4;
        currentWriter.writeInteger(v);
        checkFallback();
    }

    @Override
    public void writeLong(long v) {
        rawDataByteSize += 8;
        currentWriter.writeLong(v);
        checkFallback();
    }

    @Override
    public void writeFloat(float v) {
        rawDataByteSize += 4;
        currentWriter.writeFloat(v);
        checkFallback();
    }

    @Override
    public void writeDouble(double v) {
        rawDataByteSize += 8;
        currentWriter.writeDouble(v);
        checkFallback();
    }
}
