package dev.kiln.magics.parquet;

import dev.kiln.magics.core.ProgressText;
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
 * Reads a CSV file (plain or gzip, in any encoding: see {@link CsvText}) as chunks of UTF-8 that
 * each hold whole records, so workers can parse chunks independently. A chunk ends at the last
 * record boundary before its size; finding it is a search for the last line break when the chunk
 * holds no quote character, and a run of the shared {@link CsvScanner} otherwise. A record longer
 * than a chunk grows the chunk, up to the longest record allowed and no further.
 *
 * <p>A chunk becomes one row group, so where chunks end depends on the file alone, never on the
 * thread count: the same CSV gives the same Parquet bytes on any machine.
 */
final class CsvReader implements Closeable {

    /** Records in {@code buf[start, end)}; {@code index} counts chunks from 0. */
    record Chunk(byte[] buf, int start, int end, long index) {
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final Path path;
    private final InputStream in;
    private final CsvText text;
    /** The longest record allowed, line break included. */
    private final int maxRecord;
    private final AtomicLong rawBytes = new AtomicLong();
    private final CsvScanner scanner;
    private final byte quote;
    private final int chunkSize;
    /** Bytes of a plain file, or -1 for gzip (its CSV size is unknown). */
    private final long fileSize;
    private byte[] carry = new byte[0];
    private int carryLen;
    private boolean eof;
    private long index;
    /** Chunk buffers handed back by {@link #recycle}: a converter reuses a few instead of allocating one per chunk. */
    private final java.util.concurrent.ConcurrentLinkedQueue<byte[]> spare = new java.util.concurrent.ConcurrentLinkedQueue<>();

    /**
     * Near the end of a plain file, each chunk is this fraction of what is left (half, then a
     * quarter…), so the last ones spread over the workers instead of leaving one to finish alone. A
     * constant, not the thread count: row-group boundaries (and so the file's bytes) must not depend
     * on the machine. Not more than 2: a quarter made most of a 17 MiB file's 4 MiB groups 1 MiB ones,
     * and a reader fetching one column in place then fetched two thirds of the file.
     */
    static final int TAIL_SPLIT = 2;
    /** The smallest chunk the tail split makes (a smaller row group costs more than it balances). */
    private static final int TAIL_MIN_CHUNK = 1 << 20;

    /**
     * @param maxRecord the longest record allowed, in bytes with its line break
     * @throws CsvInputException when the file cannot be opened or read, is broken gzip, or its
     *     encoding cannot be read as given
     */
    CsvReader(Path path, CsvFormat format, int chunkSize, int maxRecord) throws IOException {
        this.path = path;
        this.scanner = new CsvScanner(format);
        this.quote = (byte) format.quote();
        this.chunkSize = chunkSize;
        this.maxRecord = maxRecord;
        InputStream file;
        boolean gzip;
        long size;
        try {
            gzip = CsvFormat.isGzip(path);
            size = Files.size(path);
            file = Files.newInputStream(path);
        } catch (IOException e) {
            throw unreadable(e);
        }
        InputStream raw = new FilterInputStream(file) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    rawBytes.addAndGet(n);
                }
                return n;
            }
        };
        try {
            InputStream s = gzip ? new GZIPInputStream(new BufferedInputStream(raw, 1 << 16), 1 << 16) : raw;
            this.text = CsvText.open(path, s, format.encoding());
        } catch (IOException e) {
            raw.close();
            throw e instanceof CsvInputException c ? c : readFailure(e);
        }
        this.in = text.in;
        this.fileSize = gzip || text.transcoded() ? -1 : size;
    }

    /** The encoding the file is read in. */
    CsvText text() {
        return text;
    }

    /** Bytes read from the file so far (compressed bytes for gzip). */
    long rawBytesRead() {
        return rawBytes.get();
    }

    /**
     * The next chunk, or {@code null} at the end.
     *
     * @throws RecordTooLong when a record does not end within the longest allowed
     */
    Chunk next() throws IOException {
        int target = chunkSize;
        if (fileSize >= 0) {
            long remaining = fileSize - rawBytes.get() + carryLen;
            if (remaining < (long) chunkSize * TAIL_SPLIT) {
                target = (int) Math.max(Math.min(chunkSize, TAIL_MIN_CHUNK), remaining / TAIL_SPLIT + 1);
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
            // one record longer than the chunk (it starts the buffer): read on, within the limit
            buf = grow(buf, len);
        }
    }

    /**
     * A longer buffer for the record that starts {@code buf}, up to the limit; a record that
     * reaches the limit, or the heap's end before it, is refused (the failed allocation is the
     * only one of that size, so the JVM goes on).
     */
    private byte[] grow(byte[] buf, int len) throws RecordTooLong {
        if (len >= maxRecord) {
            throw tooLong(buf, len, false);
        }
        try {
            return Arrays.copyOf(buf, (int) Math.min(2L * buf.length, maxRecord));
        } catch (OutOfMemoryError e) {
            throw tooLong(buf, len, true);
        }
    }

    private RecordTooLong tooLong(byte[] buf, int len, boolean heapFull) {
        scanner.next(buf, 0, len, true);
        boolean openQuote = CsvScanner.UNCLOSED_QUOTE.equals(scanner.problem);
        return new RecordTooLong(maxRecord, openQuote, heapFull ? len : -1);
    }

    /**
     * Reads the first records for sampling: up to {@code maxBytes} (more when the first record is
     * longer), cut at a record boundary (or the end). Open a fresh reader for the conversion.
     *
     * @throws RecordTooLong when the first record does not end within the longest allowed
     */
    Chunk sample(int maxBytes) throws IOException {
        byte[] buf = new byte[maxBytes];
        int len = fill(buf, 0);
        while (!eof && scanner.next(buf, 0, len, false) < 0) {
            buf = grow(buf, len);
            len = fill(buf, len);
        }
        int end = eof ? len : lastRecordEnd(buf, 0, len);
        return new Chunk(buf, 0, end, 0);
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
        } catch (CsvInputException e) {
            throw e;
        } catch (IOException e) {
            throw readFailure(e);
        }
    }

    private CsvInputException readFailure(IOException e) {
        if (e instanceof EOFException) {
            return new CsvInputException(path + " is cut short: its gzip stream ends early (" + e.getMessage()
                    + "). Download or compress it again.", e);
        }
        if (e instanceof ZipException) {
            return new CsvInputException(path + " is not a valid gzip file (" + e.getMessage()
                    + "). Check the file, or remove the .gz extension if it is plain CSV.", e);
        }
        return unreadable(e);
    }

    private CsvInputException unreadable(IOException e) {
        return new CsvInputException("Cannot read " + path + ": " + WriteFailure.reason(e) + ". Nothing was converted;"
                + " check the file (and the disk it is on), then run the conversion again.", e);
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

    /** The input cannot be read as CSV at all (unreadable, broken gzip, not in its encoding); the message says why. */
    static class CsvInputException extends IOException {
        CsvInputException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A record longer than the limit: its line is the first not yet handed out in a chunk. */
    static final class RecordTooLong extends CsvInputException {
        final long limit;
        /** Whether the record starts a quoted field that is not closed within the limit. */
        final boolean openQuote;
        /** The bytes read of the record when the heap could not hold more, below the limit; -1 when the limit stopped it. */
        final long heapFullAt;

        RecordTooLong(long limit, boolean openQuote, long heapFullAt) {
            super("a record longer than " + (heapFullAt >= 0 ? heapFullAt : limit) + " bytes", null);
            this.limit = limit;
            this.openQuote = openQuote;
            this.heapFullAt = heapFullAt;
        }

        /** The user's message, for the record starting at {@code line} of {@code path}. */
        String describe(Path path, long line) {
            String quote = "It opens a quoted field that is not closed within that: a stray quote character is the likely cause."
                    + " Fix that line, or give the quote character the file uses with --quote.";
            if (heapFullAt >= 0) {
                return path + " line " + line + ": a record longer than " + ProgressText.bytes(heapFullAt) + " does not fit in the"
                        + " memory of this JVM (" + ProgressText.bytes(Runtime.getRuntime().maxMemory()) + " of heap), below the"
                        + " limit of " + size(limit) + " (--max-line). " + (openQuote ? quote + " " : "")
                        + "Lower --max-line to refuse such records sooner, or give the JVM more memory (-Xmx; for the kernel"
                        + " --jvm-option=-Xmx8g) to convert them.";
            }
            String doubled = limit % 1024 == 0 ? ProgressText.bytes(2 * limit).replace(" ", "") : Long.toString(2 * limit);
            return path + " line " + line + ": a record longer than " + size(limit) + ", the limit (--max-line). "
                    + (openQuote ? quote : "If the file really holds records this long, raise the limit, e.g. --max-line " + doubled
                    + " (converting then needs about twice that in memory). A file whose lines end in a bare carriage"
                    + " return (CR), or that is not text at all, also reads as one endless record.");
        }

        private static String size(long bytes) {
            return bytes % 1024 == 0 ? ProgressText.bytes(bytes) : bytes + " bytes";
        }
    }
}
