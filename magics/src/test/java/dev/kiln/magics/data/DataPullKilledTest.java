package dev.kiln.magics.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.magics.core.TempFiles;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.Blob;
import org.gaul.s3proxy.blobstore.options.GetOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pull killed with SIGKILL in the middle of a download, then run again: it completes, and the
 * workspace holds no partial file. The server holds the big object's second half back until the
 * test has killed the client, so the kill lands mid-transfer every time.
 */
@Timeout(180) // each test; it waits on a process or a socket
class DataPullKilledTest {

    @TempDir
    Path tmp;

    /** Serves the first {@code bytes} of objects larger than that, then waits for {@code release}. */
    static final class StallingStore extends ForwardingBlobStore {
        final CountDownLatch stalled = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final long bytes;

        StallingStore(BlobStore delegate, long bytes) {
            super(delegate);
            this.bytes = bytes;
        }

        @Override
        public Blob getBlob(String container, String name, GetOptions options) {
            Blob b = delegate().getBlob(container, name, options);
            if (b == null || release.getCount() == 0 || b.getMetadata().size() <= bytes) {
                return b;
            }
            return b.toBuilder().payload(new Stall(b.getPayload())).build();
        }

        private final class Stall extends FilterInputStream {
            long served;

            Stall(InputStream in) {
                super(in);
            }

            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                if (served >= bytes) {
                    stalled.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        throw new IOException(e);
                    }
                }
                int n = super.read(buf, off, (int) Math.max(1, Math.min(len, bytes - served > 0 ? bytes - served : len)));
                if (n > 0) {
                    served += n;
                }
                return n;
            }

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }
        }
    }

    @Test
    void pullKilledMidwayCompletesWhenRunAgainWithNoPartialFile() throws Exception {
        StallingStore[] gate = new StallingStore[1];
        try (S3ProxyServer s3 = S3ProxyServer.start(null, store -> gate[0] = new StallingStore(store, 1 << 20))) {
            s3.createBucket("lab");
            DataProjects projects = new DataProjects(tmp, S3ProxyServer.credentials());
            DataProjects.Project alice = projects.project("alice");
            String remote = "data remote add team s3://lab/p --endpoint " + s3.endpoint();
            alice.run(remote);
            byte[] big = new byte[3 << 20];
            new Random(1).nextBytes(big);
            Files.createDirectories(alice.dir().resolve("data/pems"));
            Files.write(alice.dir().resolve("data/pems/big.bin"), big);
            for (int i = 0; i < 20; i++) {
                alice.write("data/pems/small-" + i + ".csv", "id\n" + i + "\n");
            }
            alice.run("data add data/pems");
            alice.run("data push");

            DataProjects.Project bob = projects.project("bob");
            bob.run(remote);
            Files.copy(alice.dir().resolve("kiln.lock"), bob.dir().resolve("kiln.lock"));

            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), "dev.kiln.magics.cli.Main", "data", "pull", "--jobs", "2"));
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(bob.dir().toFile())
                    .redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile());
            pb.environment().putAll(bob.env());
            Process child = pb.start();
            boolean midway = gate[0].stalled.await(60, TimeUnit.SECONDS);
            assertTrue(midway, "the child never reached the big object: " + Files.readString(tmp.resolve("child.log")));
            child.destroyForcibly(); // SIGKILL
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            assertEquals(137, child.exitValue(), "killed by SIGKILL");
            gate[0].release.countDown();

            assertFalse(Files.exists(bob.dir().resolve("data/pems/big.bin")), "no partial file under the real name");

            var again = bob.run("data pull");
            assertTrue(again.text().contains("21 files"), again.text());
            assertEquals(alice.files("data/pems"), bob.files("data/pems"));
            try (Stream<Path> s = Files.walk(bob.dir())) {
                assertTrue(s.noneMatch(f -> f.getFileName().toString().contains(TempFiles.MARK)), "no temporary file left");
            }
            try (Stream<Path> s = Files.list(bob.cache().resolve("tmp"))) {
                assertEquals(0, s.count(), "the killed pull's partial download was cleaned out of the cache");
            }
            var status = bob.run("data status");
            assertTrue(status.text().contains("workspace clean"), status.text());
        }
    }
}
