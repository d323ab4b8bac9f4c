package dev.kiln.magics.parquet;

import java.io.IOException;
import org.apache.parquet.bytes.ByteBufferAllocator;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.bytes.BytesUtils;
import org.apache.parquet.bytes.CapacityByteArrayOutputStream;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.values.ValuesWriter;
import org.apache.parquet.column.values.bitpacking.BytePacker;
import org.apache.parquet.column.values.bitpacking.Packer;
import org.apache.parquet.io.ParquetEncodingException;

/**
 * The definition levels of an optional column: parquet-column's RunLengthBitPackingHybridEncoder
 * step for step (the same bytes, the same buffered size at every value), plus
 * {@link #writeRepeated}, which takes a run of equal levels (a batch without nulls is one) at
 * once rather than a call per value. V1 pages put the length first, V2 pages do not.
 */
final class DefinitionLevelWriter extends ValuesWriter {

    private static final int BIT_WIDTH = 1;

    private final boolean lengthFirst;
    private final BytePacker packer = Packer.LITTLE_ENDIAN.newBytePacker(BIT_WIDTH);
    private final CapacityByteArrayOutputStream baos;
    private final byte[] packBuffer = new byte[BIT_WIDTH];
    private final int[] bufferedValues = new int[8];
    private int previousValue;
    private int numBufferedValues;
    private int repeatCount;
    private int bitPackedGroupCount;
    private long bitPackedRunHeaderPointer;
    private boolean toBytesCalled;

    DefinitionLevelWriter(boolean lengthFirst, int pageSize, ByteBufferAllocator allocator) {
        this.lengthFirst = lengthFirst;
        this.baos = new CapacityByteArrayOutputStream(64, pageSize, allocator);
        reset(false);
    }

    private void reset(boolean resetBaos) {
        if (resetBaos) {
            baos.reset();
        }
        previousValue = 0;
        numBufferedValues = 0;
        repeatCount = 0;
        bitPackedGroupCount = 0;
        bitPackedRunHeaderPointer = -1;
        toBytesCalled = false;
    }

    /** {@code count} levels of {@code value}, as that many {@link #writeInteger} calls would write them. */
    void writeRepeated(int value, int count) {
        int left = count;
        // value by value until a run of it is long enough to be RLE, then the rest only counts
        while (left > 0 && !(value == previousValue && repeatCount >= 8)) {
            writeInteger(value);
            left--;
        }
        repeatCount += left;
    }

    @Override
    public void writeInteger(int value) {
        if (value == previousValue) {
            ++repeatCount;
            if (repeatCount >= 8) {
                return;
            }
        } else {
            if (repeatCount >= 8) {
                writeRleRun();
            }
            repeatCount = 1;
            previousValue = value;
        }
        bufferedValues[numBufferedValues] = value;
        ++numBufferedValues;
        if (numBufferedValues == 8) {
            writeOrAppendBitPackedRun();
        }
    }

    private void writeOrAppendBitPackedRun() {
        if (bitPackedGroupCount >= 63) {
            endPreviousBitPackedRun();
        }
        if (bitPackedRunHeaderPointer == -1) {
            baos.write(0);
            bitPackedRunHeaderPointer = baos.getCurrentIndex();
        }
        packer.pack8Values(bufferedValues, 0, packBuffer, 0);
        baos.write(packBuffer, 0, packBuffer.length);
        numBufferedValues = 0;
        repeatCount = 0;
        ++bitPackedGroupCount;
    }

    private void endPreviousBitPackedRun() {
        if (bitPackedRunHeaderPointer == -1) {
            return;
        }
        baos.setByte(bitPackedRunHeaderPointer, (byte) ((bitPackedGroupCount << 1) | 1));
        bitPackedRunHeaderPointer = -1;
        bitPackedGroupCount = 0;
    }

    private void writeRleRun() {
        endPreviousBitPackedRun();
        try {
            BytesUtils.writeUnsignedVarInt(repeatCount << 1, baos);
            BytesUtils.writeIntLittleEndianPaddedOnBitWidth(baos, previousValue, BIT_WIDTH);
        } catch (IOException e) {
            throw new ParquetEncodingException(e);
        }
        repeatCount = 0;
        numBufferedValues = 0;
    }

    @Override
    public BytesInput getBytes() {
        if (toBytesCalled) {
            throw new IllegalStateException("the levels' bytes were taken already");
        }
        if (repeatCount >= 8) {
            writeRleRun();
        } else if (numBufferedValues > 0) {
            for (int i = numBufferedValues; i < 8; i++) {
                bufferedValues[i] = 0;
            }
            writeOrAppendBitPackedRun();
            endPreviousBitPackedRun();
        } else {
            endPreviousBitPackedRun();
        }
        toBytesCalled = true;
        BytesInput rle = BytesInput.from(baos);
        return lengthFirst ? BytesInput.concat(BytesInput.fromInt(Math.toIntExact(rle.size())), rle) : rle;
    }

    @Override
    public long getBufferedSize() {
        return baos.size();
    }

    @Override
    public Encoding getEncoding() {
        return Encoding.RLE;
    }

    @Override
    public void reset() {
        reset(true);
    }

    @Override
    public void close() {
        reset(false);
        baos.close();
    }

    @Override
    public long getAllocatedSize() {
        return baos.getCapacity();
    }

    @Override
    public String memUsageString(String prefix) {
        return prefix + " DefinitionLevelWriter " + getAllocatedSize() + " bytes";
    }
}
