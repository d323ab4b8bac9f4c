package dev.kiln.magics.data;

import dev.kiln.magics.core.Sha256;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.magics.data.remote.DirectoryRemote;
import dev.kiln.magics.data.remote.S3Remote;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import java.util.concurrent.CountDownLatch;
import com.google.common.hash.HashCode;
import java.io.InputStream;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartPart;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A push killed with SIGKILL midway through a transfer, then run again: the next run removes what
 * the killed one left on the remote (a directory remote's temporary file, an S3 multipart upload)
 * and completes. The push is held midway: by a named pipe in the place of the cached object it reads
 * (directory remote), by a server that holds its parts back (S3).
 */
@Timeout(180)
class DataPushKilledTest {

    @TempDir
    Path tmp;

    /** A {@code kiln data push} of its own, in {@code project}. */
    private Process push(DataProjects.Project project) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.kiln.magics.cli.Main", "data", "push", "--jobs", "2"));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(project.dir().toFile())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile());
        pb.environment().putAll(project.env());
        return pb.start();
    }

    /** Puts a named pipe where the cache keeps {@code content}: whoever reads it waits for the test. */
    private static Path pipeInPlaceOf(DataProjects.Project p, byte[] content) throws Exception {
        Path cached = p.cache().resolve(RemoteLayout.object(Sha256.hex(content)));
        Files.delete(cached);
        Process mkfifo = new ProcessBuilder("mkfifo", cached.toString()).start();
        assertTrue(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "mkfifo");
        return cached;
    }

    private void waitFor(String what, BooleanSupplier condition) throws Exception {
        for (long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); !condition.getAsBoolean(); Thread.sleep(20)) {
            assertTrue(System.nanoTime() < end, what + "; the child said: " + Files.readString(tmp.resolve("child.log")));
        }
    }

    private static void kill(Process child) throws InterruptedException {
        child.destroyForcibly(); // SIGKILL
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        assertEquals(137, child.exitValue(), "killed by SIGKILL");
    }

    /** Files on a directory remote that are not the objects, manifests, records and refs it publishes (nor a ref's lock). */
    private static List<Path> temporaries(Path remote) throws IOException {
        try (Stream<Path> s = Files.walk(remote)) {
            return s.filter(Files::isRegularFile).filter(f -> f.startsWith(remote.resolve(DirectoryRemote.TMP))
                    || f.getFileName().toString().startsWith(".tmp-") && !f.getFileName().toString().endsWith(".lock")).toList();
        }
    }

    @Test
    void aKilledPushLeavesNoTemporaryFileOnADirectoryRemoteOnceRunAgain() throws Exception {
        DataProjects.Project alice = new DataProjects(tmp, java.util.Map.of()).project("alice");
        Path shared = tmp.resolve("shared");
        alice.run("data remote add shared " + shared);
        byte[] big = new byte[3 << 20];
        new Random(2).nextBytes(big);
        Files.createDirectories(alice.dir().resolve("data/pems"));
        Files.write(alice.dir().resolve("data/pems/big.bin"), big);
        alice.write("data/pems/a.csv", "id\n1\n");
        alice.run("data add data/pems");
        Path pipe = pipeInPlaceOf(alice, big);

        Process child = push(alice);
        // the child copies what the pipe gives; half the file, and it waits for the rest
        CountDownLatch killed = new CountDownLatch(1);
        CompletableFuture<Void> feeding = CompletableFuture.runAsync(() -> {
            try (OutputStream out = Files.newOutputStream(pipe)) {
                out.write(big, 0, big.length / 2);
                out.flush();
                killed.await(60, TimeUnit.SECONDS);
            } catch (IOException | InterruptedException e) {
                // the reader was killed
            }
        });
        waitFor("a temporary file with the first MiB on the remote", () -> {
            try {
                return temporaries(shared).stream().anyMatch(f -> f.toFile().length() >= 1 << 20);
            } catch (IOException e) {
                return false;
            }
        });
        kill(child);
        killed.countDown();
        feeding.get(30, TimeUnit.SECONDS);
        assertFalse(temporaries(shared).isEmpty(), "the killed push left its temporary file");

        Files.delete(pipe);
        Files.write(pipe, big);
        alice.run("data push");
        assertEquals(List.of(), temporaries(shared), "the next run removed it");
        assertArrayEquals(big, Files.readAllBytes(shared.resolve(RemoteLayout.object(Sha256.hex(big)))));
    }

    /** Holds every part upload until {@code release}: a push is midway through its upload for as long as the test likes. */
    static final class StallingParts extends ForwardingBlobStore {
        final CountDownLatch stalled = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        StallingParts(BlobStore delegate) {
            super(delegate);
        }

        @Override
        public MultipartPart uploadMultipartPart(MultipartUpload mpu, int partNumber, InputStream payload, long length,
                HashCode md5) {
            if (release.getCount() > 0) {
                stalled.countDown();
                try {
                    release.await(120, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IllegalStateException("the client is gone");
            }
            return delegate().uploadMultipartPart(mpu, partNumber, payload, length, md5);
        }
    }

    @Test
    void aKilledPushLeavesNoMultipartUploadInTheBucketOnceRunAgain() throws Exception {
        StallingParts[] gate = new StallingParts[1];
        try (S3ProxyServer s3 = S3ProxyServer.start(null, store -> gate[0] = new StallingParts(store))) {
            s3.createBucket("lab");
            DataProjects.Project alice = new DataProjects(tmp, S3ProxyServer.credentials()).project("alice");
            alice.run("data remote add team s3://lab/p --endpoint " + s3.endpoint());
            // above the size that goes in parts
            byte[] big = new byte[(int) S3Remote.MULTIPART_THRESHOLD + (1 << 20)];
            new Random(4).nextBytes(big);
            Files.createDirectories(alice.dir().resolve("data/pems"));
            Files.write(alice.dir().resolve("data/pems/big.bin"), big);
            alice.run("data add data/pems");

            Process child = push(alice);
            assertTrue(gate[0].stalled.await(60, TimeUnit.SECONDS),
                    "the child never sent a part: " + Files.readString(tmp.resolve("child.log")));
            kill(child);
            gate[0].release.countDown();
            assertEquals(1, s3.multipartUploads("lab").size(), "the killed push left its upload");

            alice.run("data push");
            assertEquals(List.of(), s3.multipartUploads("lab"), "the next run aborted it");
            assertArrayEquals(big, s3.object("lab", "p/" + RemoteLayout.object(Sha256.hex(big))));
        }
    }
}
