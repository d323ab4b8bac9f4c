package dev.kiln.magics.data.remote;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A new file written in ranges, by several threads at once, from bytes the caller keeps in memory
 * (to hash them). Where the file system allows, the bytes go straight to the disk (O_DIRECT), not
 * through the page cache: a download is hashed from memory and never read back, and on a virtual
 * machine each fresh page-cache page costs the CPU the transfer needs (README, "Pull writes").
 * Elsewhere, or when the ranges are not aligned to the file system's blocks, it is written as usual.
 */
final class RangeFile implements Closeable {

    /** Bytes go to the disk a megabyte at a time, as they arrive. */
    static final int CHUNK = 1 << 20;
    /** File systems whose direct I/O is known to be sound for this use (overwrites of new files). */
    private static final Set<String> DIRECT_IO = Set.of("ext4", "xfs");

    private final FileChannel out;
    private final FileChannel direct;
    private final int alignment;
    private final BlockingQueue<ByteBuffer> buffers;
    private volatile boolean padded;

    private RangeFile(FileChannel out, FileChannel direct, int alignment, int writers) {
        this.out = out;
        this.direct = direct;
        this.alignment = alignment;
        this.buffers = new ArrayBlockingQueue<>(Math.max(1, writers));
    }

    /**
     * Opens {@code file} (already open as {@code out}, which stays the caller's) for ranges that
     * start at multiples of {@code rangeSize}, written by at most {@code writers} threads at a time.
     */
    static RangeFile open(Path file, FileChannel out, long rangeSize, int writers) {
        if (Boolean.parseBoolean(System.getProperty("kiln.data.directio", "true"))) {
            try {
                FileStore store = Files.getFileStore(file);
                int block = (int) store.getBlockSize();
                if (DIRECT_IO.contains(store.type()) && block > 0
                        && rangeSize % block == 0 && CHUNK % block == 0) {
                    FileChannel direct = FileChannel.open(file, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT);
                    return new RangeFile(out, direct, block, writers);
                }
            } catch (IOException | UnsupportedOperationException e) {
                // no direct I/O here: through the page cache
            }
        }
        return new RangeFile(out, null, 1, writers);
    }

    boolean direct() {
        return direct != null;
    }

    /** Writes {@code b[off, off + len)} at {@code position}, a megabyte at a time. */
    void write(byte[] b, int off, int len, long position) throws IOException {
        for (int done = 0; done < len; done += CHUNK) {
            int n = Math.min(CHUNK, len - done);
            if (direct == null) {
                writeFully(out, ByteBuffer.wrap(b, off + done, n), position + done);
            } else {
                writeDirect(b, off + done, n, position + done);
            }
        }
    }

    /**
     * Only the file's last chunk can be shorter than a block; it goes padded with zeros, and
     * {@link #finish} cuts the file back to its size.
     */
    private void writeDirect(byte[] b, int off, int n, long position) throws IOException {
        ByteBuffer buf = buffers.poll();
        if (buf == null) {
            buf = ByteBuffer.allocateDirect(CHUNK + alignment).alignedSlice(alignment);
        }
        try {
            buf.clear();
            buf.put(b, off, n);
            int whole = (n + alignment - 1) / alignment * alignment;
            if (whole != n) {
                buf.put(new byte[whole - n]);
                padded = true;
            }
            buf.flip();
            writeFully(direct, buf, position);
        } finally {
            buffers.offer(buf);
        }
    }

    /**
     * The file system lets one write into a file at a time and spins the others on its lock;
     * taking turns here instead lets the waiting threads sleep (or read their sockets) rather
     * than burn the CPU the writer needs.
     */
    private void writeFully(FileChannel ch, ByteBuffer bb, long position) throws IOException {
        long pos = position;
        synchronized (this) {
            while (bb.hasRemaining()) {
                pos += ch.write(bb, pos);
            }
        }
    }

    /** Gives the file its final size, once every range is written. */
    void finish(long size) throws IOException {
        if (padded) {
            out.truncate(size);
        }
    }

    @Override
    public void close() throws IOException {
        if (direct != null) {
            direct.close();
        }
    }
}
