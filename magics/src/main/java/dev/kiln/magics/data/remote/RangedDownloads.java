package dev.kiln.magics.data.remote;

import dev.kiln.magics.core.UserError;
import dev.kiln.magics.core.Sha256;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Objects from an S3 bucket into files, hashed on the way so that the file is never read back:
 * small ones in one GET, large ones in ranged GETs side by side, hashed in order as they land.
 */
final class RangedDownloads {

    /** Downloads fetch ranges of this size (aws s3's own chunk size), or the part size if smaller. */
    static final long RANGE_SIZE = 8L << 20;

    private final S3Bucket bucket;
    private final ExecutorService parts;
    private final long multipartThreshold;
    private final long partSize;
    private final int jobs;

    RangedDownloads(S3Bucket bucket, ExecutorService parts, long multipartThreshold, long partSize, int jobs) {
        this.bucket = bucket;
        this.parts = parts;
        this.multipartThreshold = multipartThreshold;
        this.partSize = partSize;
        this.jobs = jobs;
    }

    /** Writes the object at {@code k} to {@code target} (created or truncated); returns the SHA-256 of what it wrote. */
    String download(String k, Path target, long expectedSize) {
        try (FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            if (expectedSize > multipartThreshold) {
                return downloadRanges(k, target, out, expectedSize);
            }
            try (ResponseInputStream<GetObjectResponse> in = bucket.client().getObject(
                    b -> b.bucket(bucket.bucket()).key(bucket.key(k)))) {
                MessageDigest md = Sha256.digest();
                byte[] buf = new byte[1 << 16];
                long pos = 0;
                for (int n; (n = bucket.received(k, () -> in.read(buf))) > 0; ) {
                    md.update(buf, 0, n);
                    ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
                    while (bb.hasRemaining()) {
                        pos += out.write(bb, pos);
                    }
                }
                return Sha256.hex(md);
            }
        } catch (NoSuchKeyException e) {
            throw new UserError(bucket.describe() + ": " + k + " is missing. Was the version pushed? "
                    + "Run 'kiln data push' from the project that made it.", e);
        } catch (SdkException e) {
            throw bucket.explain("download " + k, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Ranged GETs in parallel, each kept in memory while it is written to its region of the file
     * ({@link RangeFile}) and hashed from there in order. At most {@code jobs}, and four per core,
     * are in flight or waiting to be hashed: unbounded, the hashing of all still behind is left until
     * after the last byte, on one core.
     */
    private String downloadRanges(String k, Path target, FileChannel out, long size) throws IOException {
        int range = (int) Math.min(partSize, RANGE_SIZE);
        int count = (int) ((size + range - 1) / range);
        int window = Math.min(jobs, 4 * Runtime.getRuntime().availableProcessors());
        // one buffer per range in flight, and one for the range being hashed
        BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(window + 1);
        for (int i = 0; i < Math.min(count, window + 1); i++) {
            free.add(new byte[range]);
        }
        List<Future<byte[]>> futures = new ArrayList<>();
        try (RangeFile file = RangeFile.open(target, out, range, window)) {
            IntFunction<Future<byte[]>> fetch = i -> parts.submit(() -> {
                long from = (long) i * range;
                int len = (int) Math.min(range, size - from);
                byte[] buf = free.take();
                try (ResponseInputStream<GetObjectResponse> in = bucket.client().getObject(b -> b.bucket(bucket.bucket())
                        .key(bucket.key(k)).range("bytes=" + from + "-" + (from + len - 1)))) {
                    for (int done = 0; done < len; ) {
                        int at = done;
                        int n = bucket.received(k, () -> in.readNBytes(buf, at, Math.min(RangeFile.CHUNK, len - at)));
                        if (n == 0) {
                            throw new UserError(bucket.describe() + ": " + k + " ended at byte " + (from + done)
                                    + " of " + size + "; was it replaced during the pull? Run the command again.");
                        }
                        file.write(buf, done, n, from + done);
                        done += n;
                    }
                }
                return buf;
            });
            for (int i = 0; i < Math.min(count, window); i++) {
                futures.add(fetch.apply(i));
            }
            MessageDigest md = Sha256.digest();
            for (int i = 0; i < count; i++) {
                byte[] buf = futures.get(i).get();
                if (futures.size() < count) {
                    futures.add(fetch.apply(futures.size()));
                }
                Sha256.update(md, buf, 0, (int) Math.min(range, size - (long) i * range));
                free.add(buf);
            }
            file.finish(size);
            return Sha256.hex(md);
        } catch (ExecutionException e) {
            for (Future<?> f : futures) {
                f.cancel(true);
            }
            if (e.getCause() instanceof NoSuchKeyException nk) {
                throw nk;
            }
            if (e.getCause() instanceof UserError ue) {
                throw ue;
            }
            if (e.getCause() instanceof SdkException se) {
                throw bucket.explain("download " + k, se);
            }
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException("downloading " + k + " failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while downloading " + k, e);
        }
    }
}
