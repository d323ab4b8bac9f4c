package dev.kiln.magics.parquet;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;

/**
 * A file's chunks in order, as a converter takes them: first those read ahead, then the reader's.
 * A conversion opens its first file before the types are known and another thread reads its
 * first chunks while inference runs, so that they are ready for the workers the moment the schema
 * is (the core that would idle during inference reads them).
 */
final class FileChunks implements Closeable {

    /** A chunk ({@code null} at the end) and the file's bytes read once it was. */
    private record Read(CsvReader.Chunk chunk, long rawBytes) {
    }

    private final CsvReader reader;
    /** Reads begun on another thread, taken in order before the reader's own. */
    private final ArrayDeque<Future<Read>> ahead = new ArrayDeque<>();
    private long rawBytes;
    /** A read ahead met the end, or failed: the reads after it read nothing. */
    private boolean endedAhead;
    private boolean closed;

    private FileChunks(CsvReader reader) {
        this.reader = reader;
    }

    /** The chunks of {@code file}, read as a conversion with {@code options} reads them. */
    static FileChunks open(Path file, ConversionOptions options) throws IOException {
        return new FileChunks(new CsvReader(file, options.format(), (int) Math.min(options.rowGroupBytes(), 1 << 30),
                options.maxLineBytes()));
    }

    /**
     * {@code file} opened here and its first {@code count} chunks being read on another thread, or
     * {@code null} when the file cannot be opened (inference then meets the fault itself and
     * reports it as always). A read's fault (a record too long, a broken gzip stream) reaches the
     * converter when it takes that chunk, as if it had read the chunk itself.
     */
    static FileChunks readAhead(Path file, ConversionOptions options, int count) {
        FileChunks chunks;
        try {
            chunks = open(file, options);
        } catch (IOException | RuntimeException e) {
            return null;
        }
        List<FutureTask<Read>> reads = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            reads.add(new FutureTask<>(chunks::readAheadOne));
        }
        // a thread of its own rather than a pool's, which a failure may shut down before the reads
        // begin (close() waits for them). The reader is that thread's until its last read is done:
        // each future's get orders the read before what the converter does next.
        Thread t = new Thread(() -> reads.forEach(FutureTask::run), "kiln-parquet-read-ahead");
        t.setDaemon(true);
        try {
            t.start();
            chunks.ahead.addAll(reads);
        } catch (OutOfMemoryError | RuntimeException e) {
            // no thread to be had: the converter reads every chunk itself
        }
        return chunks;
    }

    /**
     * The next chunk, or {@code null} at the end.
     *
     * @throws CsvReader.RecordTooLong when a record does not end within the longest allowed
     */
    CsvReader.Chunk next() throws IOException {
        Read r = ahead.isEmpty() ? read() : CsvToParquet.await(ahead.removeFirst());
        rawBytes = r.rawBytes();
        return r.chunk();
    }

    /** Bytes read from the file (compressed bytes for gzip) once the last chunk {@link #next} gave was read. */
    long rawBytesRead() {
        return rawBytes;
    }

    /** The encoding the file is read in. */
    CsvText text() {
        return reader.text();
    }

    /** Takes back a chunk's buffer once nothing refers to its bytes any more. */
    void recycle(byte[] buf) {
        reader.recycle(buf);
    }

    private Read readAheadOne() throws IOException {
        if (endedAhead) {
            return new Read(null, reader.rawBytesRead());
        }
        try {
            Read r = read();
            endedAhead = r.chunk() == null;
            return r;
        } catch (IOException | RuntimeException e) {
            endedAhead = true;
            throw e;
        }
    }

    private Read read() throws IOException {
        CsvReader.Chunk c = reader.next();
        return new Read(c, reader.rawBytesRead());
    }

    /** Closes the file once the reads ahead are over (their chunks unused). */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        boolean interrupted = false;
        for (Future<Read> f : ahead) {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    break;
                }
            }
        }
        ahead.clear();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        reader.close();
    }
}
