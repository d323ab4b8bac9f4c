package dev.kiln.magics.parquet;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads a CSV file (plain or gzip) as chunks that each hold whole records, so workers can parse
 * chunks independently. A chunk ends at the last record boundary before its size; finding it is
 * a search for the last line break when the chunk holds no quote character, and a run of the
 * shared {@link CsvScanner} otherwise.
 */
final class CsvReader implements Closeable {

    /** Records in {@code buf[start, end)}; {@code index} counts chunks from 0. */
    record Chunk(byte[] buf, int start, int end, long index) {
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final Path path;
    private final InputStream in;
    private final AtomicLong rawBytes = new AtomicLong();
    private final CsvScanner scanner;
    private final byte quote;
    private final int chunkSize;
    private final int tailSplit;
    /** Bytes of a plain file, or -1 for gzip (its CSV size is unknown). */
    private final long fileSize;
    private byte[] carry = new byte[0];
    private int carryLen;
    private boolean eof;
    private long index;
    private boolean first = true;
    /** Chunk buffers handed back by {@link #recycle}: a converter reuses a few instead of allocating one per chunk. */
    private final java.util.concurrent.ConcurrentLinkedQueue<byte[]> spare = new java.util.concurrent.ConcurrentLinkedQueue<>();

    CsvReader(Path path, CsvFormat format, int chunkSize) throws IOException {
        this(path, format, chunkSize, 1);
    }

    /**
     * @param tailSplit near the end of a plain file, chunks shrink so the last ones spread over this
     *                  many workers instead of leaving one to finish alone
     */
    CsvReader(Path path, CsvFormat format, int chunkSize, int tailSplit) throws IOException {
        this.path = path;
        this.tailSplit = tailSplit;
        this.scanner = new CsvScanner(format);
        this.quote = (byte) format.quote();
        this.chunkSize = chunkSize;
        InputStream raw = new FilterInputStream(Files.newInputStream(path)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    rawBytes.addAndGet(n);
                }
                return n;
            }
        };
        InputStream s = raw;
        if (CsvFormat.isGzip(path)) {
            s = new GZIPInputStream(new BufferedInputStream(raw, 1 << 16), 1 << 16);
            this.fileSize = -1;
        } else {
            this.fileSize = Files.size(path);
        }
        this.in = s;
    }

    /** Bytes read from the file so far (compressed bytes for gzip). */
    long rawBytesRead() {
        return rawBytes.get();
    }

    /**
     * The next chunk, or {@code null} at the end. The first chunk starts after a byte-order mark.
     */
    Chunk next() throws IOException {
        int target = chunkSize;
        if (fileSize >= 0 && tailSplit > 1) {
            long remaining = fileSize - rawBytes.get() + carryLen;
            if (remaining < (long) chunkSize * tailSplit) {
                target = (int) Math.max(Math.min(chunkSize, 1 << 20), remaining / tailSplit + 1);
            }
        }
        int size = Math.max(target, carryLen + 1);
        byte[] pooled = size == chunkSize ? spare.poll() : null;
        byte[] buf = pooled != null ? pooled : new byte[size];
        System.arraycopy(carry, 0, buf, 0, carryLen);
        int len = carryLen;
        int start = 0;
        while (true) {
            len = fill(buf, len);
            if (first && len >= 3 && (buf[0] & 0xff) == 0xEF && (buf[1] & 0xff) == 0xBB && (buf[2] & 0xff) == 0xBF) {
                start = 3;
            }
            first = false;
            if (eof) {
                carryLen = 0;
                return len > start ? new Chunk(buf, start, len, index++) : null;
            }
            int boundary = lastRecordEnd(buf, start, len);
            if (boundary > start) {
                carryLen = len - boundary;
                if (carry.length < carryLen) {
                    carry = new byte[Math.max(carryLen, chunkSize / 4)];
                }
                System.arraycopy(buf, boundary, carry, 0, carryLen);
                return new Chunk(buf, start, boundary, index++);
            }
            // one record longer than the chunk: read on
            buf = Arrays.copyOf(buf, buf.length * 2);
        }
    }

    /**
     * Reads the first records for sampling: up to {@code maxBytes}, cut at a record boundary (or
     * the end). Does not advance this reader; open a fresh one for the conversion.
     */
    Chunk sample(int maxBytes) throws IOException {
        byte[] buf = new byte[maxBytes];
        int len = fill(buf, 0);
        int start = len >= 3 && (buf[0] & 0xff) == 0xEF && (buf[1] & 0xff) == 0xBB && (buf[2] & 0xff) == 0xBF ? 3 : 0;
        int end = eof ? len : lastRecordEnd(buf, start, len);
        if (end <= start && !eof) {
            end = len;
        }
        return new Chunk(buf, start, Math.max(end, start), 0);
    }

    /** Takes back a chunk's buffer once nothing refers to its bytes any more. */
    void recycle(byte[] buf) {
        if (buf.length == chunkSize && spare.size() < 16) {
            spare.add(buf);
        }
    }

    private int fill(byte[] buf, int len) throws IOException {
        try {
            while (len < buf.length) {
                int n = in.read(buf, len, buf.length - len);
                if (n < 0) {
                    eof = true;
                    break;
                }
                len += n;
            }
            return len;
        } catch (EOFException e) {
            throw new CsvInputException(path + " is cut short: its gzip stream ends early (" + e.getMessage()
                    + "). Download or compress it again.", e);
        } catch (ZipException e) {
            throw new CsvInputException(path + " is not a valid gzip file (" + e.getMessage()
                    + "). Check the file, or remove the .gz extension if it is plain CSV.", e);
        }
    }

    private int lastRecordEnd(byte[] buf, int start, int len) {
        if (indexOf(buf, start, len, quote) < 0) {
            for (int i = len - 1; i >= start; i--) {
                if (buf[i] == '\n') {
                    return i + 1;
                }
            }
            return start;
        }
        int pos = start;
        int n;
        while ((n = scanner.next(buf, pos, len, false)) >= 0) {
            pos = n;
        }
        return pos;
    }

    /** First index of {@code b} in {@code buf[from, to)}, or -1; eight bytes at a time. */
    static int indexOf(byte[] buf, int from, int to, byte b) {
        long pattern = (b & 0xffL) * 0x0101010101010101L;
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long x = (long) LONGS.get(buf, i) ^ pattern;
            long found = (x - 0x0101010101010101L) & ~x & 0x8080808080808080L;
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (buf[i] == b) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** The input cannot be read as CSV at all (a broken gzip stream). */
    static final class CsvInputException extends IOException {
        CsvInputException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
