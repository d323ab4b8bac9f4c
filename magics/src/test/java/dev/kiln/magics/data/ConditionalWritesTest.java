package dev.kiln.magics.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.magics.core.Sha256;
import dev.kiln.magics.core.UserError;
import dev.kiln.magics.data.remote.DirectoryRemote;
import dev.kiln.magics.data.remote.RefConflictException;
import dev.kiln.magics.data.remote.Remote;
import dev.kiln.magics.data.remote.S3Remote;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.HttpResponse;
import org.gaul.s3proxy.blobstore.HttpResponseException;
import org.gaul.s3proxy.blobstore.domain.Blob;
import org.gaul.s3proxy.blobstore.domain.MultipartPart;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import org.gaul.s3proxy.blobstore.options.PutOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kiln's conditional writes against a server that decides them (s3proxy 4, {@link S3ProxyServer}):
 * two writers of one object, two updates of one ref from the same ETag, each raced many times; and
 * S3's 409 for a conditional write that meets another write of the key in flight, which s3proxy
 * never answers by itself: the store behind it answers it here, as S3's does.
 */
@Timeout(180)
class ConditionalWritesTest {

    static final int ROUNDS = 16;

    static S3ProxyServer s3;
    static InFlightWrites inFlight;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startS3() throws Exception {
        s3 = S3ProxyServer.start(null, store -> inFlight = new InFlightWrites(store));
        s3.createBucket("lab");
    }

    @AfterAll
    static void stopS3() throws Exception {
        s3.close();
    }

    /**
     * Answers 409 (ConditionalRequestConflict) to a conditional write of a key another client is
     * writing, as S3 does: {@link #writing} marks the key, {@link #conflicts} counts the 409s sent.
     */
    static final class InFlightWrites extends ForwardingBlobStore {
        final Set<String> writing = ConcurrentHashMap.newKeySet();
        final Semaphore conflicts = new Semaphore(0);

        InFlightWrites(BlobStore delegate) {
            super(delegate);
        }

        private void refuseWhileWritten(String key, PutOptions options) {
            if (options != null && (options.ifMatch() != null || options.ifNoneMatch() != null) && writing.contains(key)) {
                conflicts.release();
                throw new HttpResponseException(new HttpResponse(409));
            }
        }

        @Override
        public String putBlob(String container, Blob blob, PutOptions options) {
            refuseWhileWritten(blob.getMetadata().name(), options);
            return delegate().putBlob(container, blob, options);
        }

        @Override
        public String completeMultipartUpload(MultipartUpload mpu, List<MultipartPart> parts) {
            refuseWhileWritten(mpu.blobName(), mpu.putOptions());
            return delegate().completeMultipartUpload(mpu, parts);
        }
    }

    /** A client of its own (its own connections), parts of 5 MiB above 5 MiB. */
    private static S3Remote client(String prefix) {
        RemoteConfig rc = new RemoteConfig("team", "s3://lab/" + prefix, s3.endpoint(), null, null, null);
        return new S3Remote(rc, S3ProxyServer.credentials(), 2, new S3Remote.Parts(5L << 20, 5L << 20), null);
    }

    /** Runs the two at once (a barrier releases both) and gives their results in order. */
    private static <T> List<T> together(Callable<T> first, Callable<T> second) throws Exception {
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> c : List.of(first, second)) {
                futures.add(pool.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    return c.call();
                }));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get(60, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private static String update(Remote r, String key, String content, String etag) {
        try {
            r.writeRef(key, content.getBytes(StandardCharsets.UTF_8), etag);
            return content;
        } catch (RefConflictException e) {
            return "refused";
        }
    }

    @Test
    void twoWritersOfOneObjectOneStoresItTheOtherIsToldItIsThere() throws Exception {
        try (S3Remote alice = client("objects-race"); S3Remote bob = client("objects-race")) {
            s3.record();
            for (int round = 0; round < ROUNDS; round++) {
                byte[] bytes = ("content of round " + round + "\n").getBytes(StandardCharsets.UTF_8);
                String key = RemoteLayout.object(Sha256.hex(bytes));
                List<Boolean> stored = together(() -> alice.putBytesIfAbsent(key, bytes), () -> bob.putBytesIfAbsent(key, bytes));
                assertEquals(1, stored.stream().filter(b -> b).count(), "round " + round + ": " + stored);
                assertArrayEquals(bytes, s3.object("lab", "objects-race/" + key));
            }
            long puts = s3.requests().stream().filter(q -> q.method().equals("PUT") && q.path().contains("/objects-race/")).count();
            assertEquals(2 * ROUNDS, puts, "both writers sent every object: the server refused the second");
        }
    }

    @Test
    void twoWritersOfOneLargeObjectInPartsOneCompletesTheOtherIsToldItIsThere() throws Exception {
        byte[] data = new byte[(11 << 20) + 17];
        try (S3Remote alice = client("parts-race"); S3Remote bob = client("parts-race")) {
            for (int round = 0; round < 3; round++) {
                new Random(round).nextBytes(data);
                Path file = Files.write(tmp.resolve("big-" + round), data);
                String sha = Sha256.ofFile(file);
                String key = RemoteLayout.object(sha);
                List<Boolean> stored = together(() -> alice.putFileIfAbsent(key, file, sha, data.length),
                        () -> bob.putFileIfAbsent(key, file, sha, data.length));
                assertEquals(1, stored.stream().filter(b -> b).count(), "round " + round + ": " + stored);
                assertArrayEquals(data, s3.object("lab", "parts-race/" + key));
                assertEquals(List.of(), s3.multipartUploads("lab"), "the loser's upload was aborted");
            }
        }
    }

    @Test
    void twoUpdatesOfOneRefFromTheSameEtagOneMovesItTheOtherIsRefused() throws Exception {
        try (S3Remote alice = client("refs-race"); S3Remote bob = client("refs-race")) {
            for (int round = 0; round < ROUNDS; round++) {
                String key = "refs/pems/race-" + round;
                alice.writeRef(key, "base".getBytes(StandardCharsets.UTF_8), null);
                assertThrows(RefConflictException.class, () -> bob.writeRef(key, "x".getBytes(StandardCharsets.UTF_8), null),
                        "If-None-Match: * on a ref that exists");
                String etag = alice.readRef(key).orElseThrow().etag();
                List<String> outcomes = together(() -> update(alice, key, "alice", etag), () -> update(bob, key, "bob", etag));
                assertEquals(1, outcomes.stream().filter(o -> o.equals("refused")).count(), "round " + round + ": " + outcomes);
                String winner = outcomes.stream().filter(o -> !o.equals("refused")).findFirst().orElseThrow();
                assertEquals(winner, new String(alice.readRef(key).orElseThrow().content(), StandardCharsets.UTF_8),
                        "the ref holds the winner's update, and only it");
            }
        }
    }

    /** Writes with {@code key} marked as being written by another client; unmarks it after the first 409. */
    private static <T> T meetingAnotherWrite(String key, Callable<T> write) throws Exception {
        inFlight.conflicts.drainPermits();
        inFlight.writing.add(key);
        try {
            CompletableFuture<T> result = CompletableFuture.supplyAsync(() -> {
                try {
                    return write.call();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertTrue(inFlight.conflicts.tryAcquire(30, TimeUnit.SECONDS), "the write met the other one");
            inFlight.writing.remove(key); // the other client died: its object never landed
            return result.get(60, TimeUnit.SECONDS);
        } finally {
            inFlight.writing.remove(key);
        }
    }

    @Test
    void aConditionalWriteThatMetAnotherInFlightIsSentAgainAndLands() throws Exception {
        try (S3Remote r = client("conflict")) {
            byte[] small = "a small object\n".getBytes(StandardCharsets.UTF_8);
            String smallKey = RemoteLayout.object(Sha256.hex(small));
            assertTrue(meetingAnotherWrite("conflict/" + smallKey, () -> r.putBytesIfAbsent(smallKey, small)),
                    "a 409 says nothing of the key: the object was not there");
            assertArrayEquals(small, s3.object("lab", "conflict/" + smallKey));

            byte[] big = new byte[(11 << 20) + 5];
            new Random(9).nextBytes(big);
            Path file = Files.write(tmp.resolve("big"), big);
            String sha = Sha256.ofFile(file);
            String bigKey = RemoteLayout.object(sha);
            assertTrue(meetingAnotherWrite("conflict/" + bigKey, () -> r.putFileIfAbsent(bigKey, file, sha, big.length)));
            assertArrayEquals(big, s3.object("lab", "conflict/" + bigKey));
            assertEquals(List.of(), s3.multipartUploads("lab"), "the upload refused at completion was aborted");

            String ref = "refs/pems/latest";
            r.writeRef(ref, "one".getBytes(StandardCharsets.UTF_8), null);
            String etag = r.readRef(ref).orElseThrow().etag();
            meetingAnotherWrite("conflict/" + ref, () -> {
                r.writeRef(ref, "two".getBytes(StandardCharsets.UTF_8), etag);
                return null;
            });
            assertEquals("two", new String(r.readRef(ref).orElseThrow().content(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void aWriteThatKeepsMeetingAnotherIsGivenUpAfterSixTriesAndChangesNothing() throws Exception {
        try (S3Remote r = client("conflict-forever")) {
            byte[] bytes = "contested\n".getBytes(StandardCharsets.UTF_8);
            String key = RemoteLayout.object(Sha256.hex(bytes));
            String ref = "refs/pems/latest";
            r.writeRef(ref, "one".getBytes(StandardCharsets.UTF_8), null);
            String etag = r.readRef(ref).orElseThrow().etag();
            inFlight.writing.addAll(List.of("conflict-forever/" + key, "conflict-forever/" + ref));
            try {
                inFlight.conflicts.drainPermits();
                UserError e = assertThrows(UserError.class, () -> r.putBytesIfAbsent(key, bytes));
                assertTrue(e.getMessage().contains(key), e.getMessage());
                assertEquals(6, inFlight.conflicts.drainPermits(), "sent six times");
                assertThrows(RefConflictException.class, () -> r.writeRef(ref, "two".getBytes(StandardCharsets.UTF_8), etag));
                assertEquals(6, inFlight.conflicts.drainPermits());
            } finally {
                inFlight.writing.clear();
            }
            assertEquals(null, s3.object("lab", "conflict-forever/" + key));
            assertEquals("one", new String(r.readRef(ref).orElseThrow().content(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void aRefRemovedSinceItWasReadIsAConflictOnBothRemoteKinds() throws Exception {
        Path dir = tmp.resolve("dir-remote");
        try (Remote s3r = client("removed-ref"); Remote local = new DirectoryRemote("local", dir)) {
            String ref = "refs/pems/latest";
            for (Remote r : List.of(s3r, local)) {
                r.writeRef(ref, "one".getBytes(StandardCharsets.UTF_8), null);
                String etag = r.readRef(ref).orElseThrow().etag();
                if (r == local) {
                    Files.delete(dir.resolve(ref));
                } else {
                    s3.removeObject("lab", "removed-ref/" + ref);
                }
                assertThrows(RefConflictException.class, () -> r.writeRef(ref, "two".getBytes(StandardCharsets.UTF_8), etag),
                        r.describe());
                assertFalse(r.readRef(ref).isPresent(), r.describe());
            }
        }
    }
}
