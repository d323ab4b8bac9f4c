package dev.kiln.kernel;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * System.out and System.err while a cell runs: each complete line goes to the front end at once,
 * a partial line within 100 ms, and lines keep their order across the two streams (writing to one
 * first sends what the other holds).
 */
public final class CellOutput {

    public enum Stream { STDOUT, STDERR }

    /** Receives text as it is written; called from whatever thread wrote it. */
    public interface Sink {
        void write(Stream stream, String text);
    }

    private final Object lock = new Object();
    private final Buffer out = new Buffer(Stream.STDOUT);
    private final Buffer err = new Buffer(Stream.STDERR);
    private final PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
    private final PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
    private final ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "kiln-output-flush");
        t.setDaemon(true);
        return t;
    });
    private final Sink fallback;
    private volatile Sink sink;

    /** Text written between cells goes to {@code betweenCellsOut} and {@code betweenCellsErr} (the kernel's log). */
    public CellOutput(PrintStream betweenCellsOut, PrintStream betweenCellsErr) {
        this.fallback = (stream, text) -> {
            PrintStream p = stream == Stream.STDOUT ? betweenCellsOut : betweenCellsErr;
            p.print(text);
            p.flush();
        };
        flusher.scheduleWithFixedDelay(this::flush, 100, 100, TimeUnit.MILLISECONDS);
    }

    public PrintStream out() {
        return outStream;
    }

    public PrintStream err() {
        return errStream;
    }

    /** Where text goes from now on; {@code null}: back to the kernel's own streams. */
    public void attach(Sink s) {
        flush();
        sink = s;
    }

    /** Sends everything written so far. */
    public void flush() {
        synchronized (lock) {
            out.send();
            err.send();
        }
    }

    private final class Buffer extends OutputStream {
        private final Stream name;
        private byte[] buf = new byte[256];
        private int count;

        Buffer(Stream name) {
            this.name = name;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            synchronized (lock) {
                Buffer other = this == out ? err : out;
                if (other.count > 0) {
                    other.send();
                }
                if (count + len > buf.length) {
                    byte[] bigger = new byte[Math.max(buf.length * 2, count + len)];
                    System.arraycopy(buf, 0, bigger, 0, count);
                    buf = bigger;
                }
                System.arraycopy(b, off, buf, count, len);
                count += len;
                if (count > 64 * 1024) {
                    send();
                }
            }
        }

        @Override
        public void flush() {
            synchronized (lock) {
                send();
            }
        }

        /** Sends the buffered bytes up to the last complete UTF-8 character. */
        void send() {
            if (count == 0) {
                return;
            }
            int end = completeUtf8(buf, count);
            Sink s = sink != null ? sink : fallback;
            if (end > 0) {
                s.write(name, new String(buf, 0, end, StandardCharsets.UTF_8));
            }
            System.arraycopy(buf, end, buf, 0, count - end);
            count -= end;
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
