package dev.kiln.kernel;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * System.out and System.err while a cell runs. Text is coalesced into chunks, one message each: a
 * chunk is sent when it holds {@link #CHUNK_BYTES}, when the other stream is written to (so lines
 * keep their order across the two), on {@link #flush()}, or {@link #LINGER_MS} after its first byte,
 * so a lone line still shows at once. A sender thread does the sending; a writer that gets more
 * than {@link #UNSENT_LIMIT} ahead of it waits (back-pressure), so a flood of prints arrives whole
 * with bounded memory.
 */
public final class CellOutput {

    public enum Stream { STDOUT, STDERR }

    /** Receives text as it is written, in order; called from the sender thread. */
    public interface Sink {
        void write(Stream stream, String text);
    }

    static final int CHUNK_BYTES = 1 << 20;
    static final long LINGER_MS = 5;
    static final int UNSENT_LIMIT = 4 * CHUNK_BYTES;

    private final Object lock = new Object();
    private final PrintStream outStream = new KernelStream(Stream.STDOUT);
    private final PrintStream errStream = new KernelStream(Stream.STDERR);
    private final Sink fallback;
    private final Thread sender;
    // guarded by lock
    private final ArrayDeque<Chunk> ready = new ArrayDeque<>();
    /** The bytes of a character cut by a chunk's end, per stream, that begin its next chunk. */
    private final byte[][] cutCharacter = {new byte[0], new byte[0]};
    private Chunk open;
    private Sink sink;
    private long unsentBytes;
    private long chunksClosed;
    private long chunksSent;
    private boolean sending;
    private boolean waitingReleased;

    /** Text written between cells goes to {@code betweenCellsOut} and {@code betweenCellsErr} (the kernel's log). */
    public CellOutput(PrintStream betweenCellsOut, PrintStream betweenCellsErr) {
        this.fallback = (stream, text) -> {
            PrintStream p = stream == Stream.STDOUT ? betweenCellsOut : betweenCellsErr;
            p.print(text);
            p.flush();
        };
        this.sender = new Thread(this::sendChunks, "kiln-output");
        sender.setDaemon(true);
        sender.start();
    }

    public PrintStream out() {
        return outStream;
    }

    public PrintStream err() {
        return errStream;
    }

    /** Where text goes from now on; {@code null}: back to the kernel's own streams. Sends what was written before. */
    public void attach(Sink s) {
        // a cell stopped inside println (Java 17's Thread.stop) leaves text in the PrintStream's own
        // buffer, which the next print would send with the next cell's output: it goes out now
        outStream.print("");
        errStream.print("");
        flush();
        synchronized (lock) {
            if (ready.isEmpty() && !sending) {
                // nothing on its way: the counts start afresh (a cell stopped mid-write, Java 17's
                // Thread.stop, may have left them off, and back-pressure would wait on bytes that are gone)
                unsentBytes = open == null ? 0 : open.size;
                chunksSent = chunksClosed;
            }
            sink = s;
            waitingReleased = false;
        }
    }

    /** Sends everything written so far and returns once it is sent. */
    public void flush() {
        synchronized (lock) {
            closeOpen();
            if (Thread.currentThread() == sender) {
                return; // the sink itself printed: what it waits for is its own return
            }
            long target = chunksClosed;
            boolean interrupted = false;
            while (chunksSent < target) {
                interrupted |= awaitLock(0);
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Writers stop waiting for the sender until the next {@link #attach}: the cell is being interrupted. */
    public void releaseWaitingWriters() {
        synchronized (lock) {
            waitingReleased = true;
            lock.notifyAll();
        }
    }

    private void write(Stream stream, byte[] b, int off, int len) {
        if (Thread.currentThread() == sender) {
            fallback.write(stream, new String(b, off, len, StandardCharsets.UTF_8)); // e.g. the sink's own logging
            return;
        }
        boolean interrupted = false;
        synchronized (lock) {
            while (len > 0) {
                while (unsentBytes >= UNSENT_LIMIT && !waitingReleased) {
                    interrupted |= awaitLock(0);
                }
                if (open != null && (open.stream != stream || open.sink != sink)) {
                    closeOpen();
                }
                if (open == null) {
                    byte[] cut = cutCharacter[stream.ordinal()];
                    open = new Chunk(stream, sink, cut);
                    unsentBytes += cut.length;
                    cutCharacter[stream.ordinal()] = new byte[0];
                    lock.notifyAll(); // the sender times the new chunk's linger
                }
                int n = Math.min(len, CHUNK_BYTES - open.size);
                open.append(b, off, n);
                unsentBytes += n;
                off += n;
                len -= n;
                if (open.size >= CHUNK_BYTES) {
                    closeOpen();
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt(); // kept for the cell, which may be waiting for it
        }
    }

    /** Moves the open chunk to the ready queue, up to its last complete character. Holds the lock. */
    private void closeOpen() {
        Chunk c = open;
        if (c == null) {
            return;
        }
        open = null;
        int end = completeUtf8(c.bytes, c.size);
        cutCharacter[c.stream.ordinal()] = Arrays.copyOfRange(c.bytes, end, c.size);
        unsentBytes -= c.size - end;
        c.size = end;
        if (end > 0) {
            ready.add(c);
            chunksClosed++;
            lock.notifyAll();
        }
    }

    private void sendChunks() {
        while (true) {
            Chunk c;
            synchronized (lock) {
                while ((c = ready.poll()) == null) {
                    long lingered = open == null ? 0 : System.nanoTime() - open.started;
                    if (open != null && lingered >= LINGER_MS * 1_000_000) {
                        closeOpen();
                    } else {
                        awaitLock(open == null ? 0 : LINGER_MS * 1_000_000 - lingered);
                    }
                }
                sending = true;
            }
            try {
                (c.sink != null ? c.sink : fallback).write(c.stream, new String(c.bytes, 0, c.size, StandardCharsets.UTF_8));
            } catch (Throwable e) {
                fallback.write(Stream.STDERR, "kiln: cell output could not be sent: " + e + "\n");
            } finally {
                synchronized (lock) {
                    sending = false;
                    chunksSent++;
                    unsentBytes -= c.size;
                    lock.notifyAll();
                }
            }
        }
    }

    /**
     * Waits for the lock's next notification, at most {@code nanos} (0: no limit); returns whether
     * the thread was interrupted, which ends only this wait: back-pressure holds for an interrupted
     * writer too.
     */
    private boolean awaitLock(long nanos) {
        try {
            if (nanos <= 0) {
                lock.wait();
            } else {
                lock.wait(nanos / 1_000_000, (int) (nanos % 1_000_000));
            }
            return false;
        } catch (InterruptedException e) {
            return true;
        }
    }

    /** Text of one stream on its way to one sink. */
    private static final class Chunk {
        final Stream stream;
        final Sink sink;
        final long started = System.nanoTime();
        byte[] bytes;
        int size;

        Chunk(Stream stream, Sink sink, byte[] start) {
            this.stream = stream;
            this.sink = sink;
            this.bytes = Arrays.copyOf(start, Math.max(start.length, 256));
            this.size = start.length;
        }

        void append(byte[] b, int off, int len) {
            if (size + len > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.min(CHUNK_BYTES + 4, Math.max(bytes.length * 2, size + len)));
            }
            System.arraycopy(b, off, bytes, size, len);
            size += len;
        }
    }

    /** System.out or System.err of every cell: a cell's {@code close()} must not silence the ones after it. */
    private final class KernelStream extends PrintStream {
        KernelStream(Stream stream) {
            super(new Writer(stream), true, StandardCharsets.UTF_8);
        }

        @Override
        public void close() {
            flush();
        }
    }

    private final class Writer extends OutputStream {
        private final Stream stream;

        Writer(Stream stream) {
            this.stream = stream;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            CellOutput.this.write(stream, b, off, len);
        }
    }

    /** The length of the longest prefix of {@code b[0..n)} that does not end inside a UTF-8 character. */
    static int completeUtf8(byte[] b, int n) {
        int i = n - 1;
        int back = 0;
        while (i >= 0 && back < 4 && (b[i] & 0xC0) == 0x80) {
            i--;
            back++;
        }
        if (i < 0) {
            return n;
        }
        int lead = b[i] & 0xFF;
        int need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        return (n - i) >= need ? n : i;
    }
}
