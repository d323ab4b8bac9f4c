package dev.kiln.magics.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.magics.core.Sha256;
import dev.kiln.magics.core.TempFiles;
import dev.kiln.magics.core.UserError;
import dev.kiln.magics.data.remote.DirectoryRemote;
import dev.kiln.magics.data.remote.Remote;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A push's lock on the remote says who holds it, where, and when it last renewed it: gc removes the
 * lock of a push killed midway (its process is gone) or gone quiet elsewhere (an old heartbeat), and
 * names it; it still waits for a push that runs.
 */
@Timeout(180)
class DataStaleLockTest {

    @TempDir
    Path tmp;

    private void waitFor(String what, BooleanSupplier condition) throws Exception {
        for (long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); !condition.getAsBoolean(); Thread.sleep(20)) {
            assertTrue(System.nanoTime() < end, () -> what + "; the child said: " + childLog());
        }
    }

    private String childLog() {
        try {
            return Files.readString(tmp.resolve("child.log"));
        } catch (IOException e) {
            return "(no child)";
        }
    }

    private static Set<String> locks(Remote r) {
        return new TreeSet<>(r.list("locks/"));
    }

    @Test
    void aPushKilledMidwayLeavesALockThatGcNamesAsStaleAndRemoves() throws Exception {
        DataProjects.Project alice = new DataProjects(tmp, Map.of()).project("alice");
        Path shared = tmp.resolve("shared");
        alice.run("data remote add shared " + shared);
        byte[] big = new byte[3 << 20];
        new Random(21).nextBytes(big);
        Files.createDirectories(alice.dir().resolve("data/pems"));
        Files.write(alice.dir().resolve("data/pems/big.bin"), big);
        alice.run("data add data/pems");
        // the push reads the cached object from a pipe: it holds its lock, midway, until the test kills it
        Path cached = alice.cache().resolve(RemoteLayout.object(Sha256.hex(big)));
        Files.delete(cached);
        Process mkfifo = new ProcessBuilder("mkfifo", cached.toString()).start();
        assertTrue(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "mkfifo");

        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.kiln.magics.cli.Main", "data", "push", "--jobs", "2"));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(alice.dir().toFile())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile());
        pb.environment().putAll(alice.env());
        Process child = pb.start();
        CountDownLatch killed = new CountDownLatch(1);
        CompletableFuture<Void> feeding = CompletableFuture.runAsync(() -> {
            try (OutputStream out = Files.newOutputStream(cached)) {
                out.write(big, 0, big.length / 2);
                out.flush();
                killed.await(60, TimeUnit.SECONDS);
            } catch (IOException | InterruptedException e) {
                // the reader was killed
            }
        });
        DirectoryRemote remote = new DirectoryRemote("shared", shared);
        waitFor("the push's lock and its first MiB on the remote", () -> !remote.list(RemoteLocks.PUSHES).isEmpty()
                && sizeOfTemporaries(shared) >= 1 << 20);
        String key = remote.list(RemoteLocks.PUSHES).iterator().next();
        LockHolder held = LockHolder.parse(remote.getBytes(key).orElseThrow(), Instant.now());
        assertEquals(child.pid(), held.pid(), "the lock names the push's process");
        assertEquals(LockHolder.FORMAT, held.format());

        child.destroyForcibly(); // SIGKILL
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        assertEquals(137, child.exitValue(), "killed by SIGKILL");
        killed.countDown();
        feeding.get(30, TimeUnit.SECONDS);
        assertEquals(Set.of(key), locks(remote), "the killed push left its lock");

        try (DataRepository repo = DataRepository.open(alice.dir(), alice.env())) {
            GarbageCollector.Report dry = repo.gc(null, Duration.ZERO, true);
            assertEquals(List.of(key), dry.staleLocks().stream().map(GarbageCollector.StaleLock::key).toList());
            assertEquals(Set.of(key), locks(remote), "a dry run removes no lock");

            GarbageCollector.Report done = repo.gc(null, Duration.ZERO, false);
            assertEquals(1, done.staleLocks().size(), done.text());
            GarbageCollector.StaleLock stale = done.staleLocks().get(0);
            assertEquals(key, stale.key());
            assertEquals(held.who(), stale.who());
            assertTrue(stale.why().contains("pid " + child.pid()), stale.why());
            assertEquals(Set.of(), locks(remote), "gc removed the stale lock and released its own");
        }
        Files.delete(cached);
        Files.write(cached, big);
        alice.run("data push");
        assertEquals(Set.of(), locks(remote), "the next push holds and releases its own lock");
    }

    private static long sizeOfTemporaries(Path remote) {
        try (var s = Files.walk(remote)) {
            return s.filter(Files::isRegularFile).filter(f -> f.startsWith(remote.resolve(DirectoryRemote.TMP))
                    || f.getFileName().toString().startsWith(".tmp-")).mapToLong(f -> f.toFile().length()).max().orElse(0);
        } catch (IOException e) {
            return 0;
        }
    }

    /** A lock another machine wrote: its process cannot be looked at, only its heartbeat. */
    private static byte[] elsewhere(Instant taken, Instant heartbeat) {
        return new LockHolder(LockHolder.FORMAT, "Bob <bob@example.org>", "lab-7", "another-boot", 4242, taken.toString(),
                taken.toString(), heartbeat.toString()).bytes();
    }

    @Test
    void aLockFromAnotherMachineIsStaleOnceItsHeartbeatIsQuietAndHeldWhileItBeats() throws Exception {
        DataProjects.Project admin = new DataProjects(tmp, Map.of()).project("admin");
        Path shared = tmp.resolve("shared");
        admin.run("data remote add shared " + shared);
        DirectoryRemote remote = new DirectoryRemote("shared", shared);
        Instant now = Instant.now();
        Instant taken = now.minus(Duration.ofHours(3));
        try (DataRepository repo = DataRepository.open(admin.dir(), admin.env())) {
            remote.putBytesIfAbsent(RemoteLocks.PUSHES + "beating", elsewhere(taken, now.minus(Duration.ofMinutes(2))));
            UserError refused = assertThrows(UserError.class, () -> repo.gc(null, Duration.ZERO, false));
            assertTrue(refused.getMessage().contains("pid 4242 on lab-7"), refused.getMessage());
            assertEquals(Set.of(RemoteLocks.PUSHES + "beating"), locks(remote), "gc left the live push's lock, and none of its own");

            remote.delete(RemoteLocks.PUSHES + "beating");
            remote.putBytesIfAbsent(RemoteLocks.PUSHES + "quiet", elsewhere(taken, now.minus(Duration.ofMinutes(11))));
            GarbageCollector.Report done = repo.gc(null, Duration.ZERO, false);
            assertEquals(List.of(new GarbageCollector.StaleLock(RemoteLocks.PUSHES + "quiet", "Bob <bob@example.org>",
                    done.staleLocks().get(0).why())), done.staleLocks());
            assertTrue(done.staleLocks().get(0).why().startsWith("its last heartbeat was at " + now.minus(Duration.ofMinutes(11))),
                    done.staleLocks().get(0).why());
            assertEquals(Set.of(), locks(remote));

            // an older Kiln's lock (format 1, no heartbeat) counts for 24 h after it was taken
            remote.putBytesIfAbsent(RemoteLocks.PUSHES + "old", (taken + " Carol\n").getBytes(StandardCharsets.UTF_8));
            assertThrows(UserError.class, () -> repo.gc(null, Duration.ZERO, false));
            remote.delete(RemoteLocks.PUSHES + "old");
            remote.putBytesIfAbsent(RemoteLocks.PUSHES + "old", (now.minus(Duration.ofHours(25)) + " Carol\n").getBytes(StandardCharsets.UTF_8));
            assertEquals(List.of(RemoteLocks.PUSHES + "old"),
                    repo.gc(null, Duration.ZERO, false).staleLocks().stream().map(GarbageCollector.StaleLock::key).toList());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3", "directory"})
    void aRunningPushRenewsItsHeartbeatAndGcWaitsForIt(String kind) throws Exception {
        S3ProxyServer s3 = kind.equals("s3") ? S3ProxyServer.transientStore() : null;
        try {
            DataProjects.Project admin = new DataProjects(tmp, S3ProxyServer.credentials()).project("admin");
            if (s3 != null) {
                s3.createBucket("lab");
                admin.run("data remote add team s3://lab/p --endpoint " + s3.endpoint());
            } else {
                admin.run("data remote add team " + tmp.resolve("shared"));
            }
            try (DataRepository repo = DataRepository.open(admin.dir(), admin.env())) {
                Remote r = repo.remote(null);
                Instant before;
                try (RemoteLocks.Lease lease = RemoteLocks.push(r, "Ana", Duration.ofMillis(100))) {
                    String key = r.list(RemoteLocks.PUSHES).iterator().next();
                    before = LockHolder.parse(r.getBytes(key).orElseThrow(), Instant.now()).heartbeatAt().orElseThrow();
                    waitFor("a renewed heartbeat", () -> LockHolder.parse(r.getBytes(key).orElseThrow(), Instant.now())
                            .heartbeatAt().orElseThrow().isAfter(before));
                    assertEquals(lease.taken().toString(), LockHolder.parse(r.getBytes(key).orElseThrow(), Instant.now()).taken());
                    assertThrows(UserError.class, () -> repo.gc(null, Duration.ZERO, false), "a push of this machine that runs is not stale");
                }
                assertEquals(Set.of(), locks(r), "closing the lease removed the lock; no beat wrote it again");
                Thread.sleep(300);
                assertEquals(Set.of(), locks(r));
            }
        } finally {
            if (s3 != null) {
                s3.close();
            }
        }
    }

    /** Every file under {@code root}, hidden ones too, relative to it. */
    private static Set<String> everyFile(Path root) throws IOException {
        try (var s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(f -> root.relativize(f).toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    @Test
    void aPushLockOnADirectoryRemoteLeavesNoFileBehindWhetherItsBeatsSucceedFailOrAreInterrupted() throws Exception {
        Path shared = tmp.resolve("shared");
        DirectoryRemote r = new DirectoryRemote("shared", shared);
        r.checkAccess();
        r.putBytesIfAbsent("refs/pems/latest", "v1\n".getBytes(StandardCharsets.UTF_8));
        Set<String> before = everyFile(shared);

        try (RemoteLocks.Lease lease = RemoteLocks.push(r, "Ana", Duration.ofMillis(5))) {
            String key = r.list(RemoteLocks.PUSHES).iterator().next();
            Instant first = LockHolder.parse(r.getBytes(key).orElseThrow(), Instant.now()).heartbeatAt().orElseThrow();
            waitFor("a renewed heartbeat", () -> LockHolder.parse(r.getBytes(key).orElseThrow(), Instant.now())
                    .heartbeatAt().orElseThrow().isAfter(first));
        }
        assertEquals(before, everyFile(shared), "beats that succeeded");

        // closed while a beat may be midway: the heartbeat thread is interrupted wherever it is
        for (int i = 0; i < 40; i++) {
            try (RemoteLocks.Lease lease = RemoteLocks.push(r, "Ana", Duration.ofMillis(1))) {
                Thread.sleep(i % 4);
            }
        }
        assertEquals(before, everyFile(shared), "beats that were interrupted");

        // beats that fail: the remote's tmp/ cannot hold a file while the push runs
        try (RemoteLocks.Lease lease = RemoteLocks.push(r, "Ana", Duration.ofMillis(5))) {
            Path tmpDir = shared.resolve(DirectoryRemote.TMP);
            TempFiles.deleteRecursively(tmpDir);
            Files.writeString(tmpDir, "in the way");
            Thread.sleep(100);
            Files.delete(tmpDir);
        }
        Set<String> left = everyFile(shared);
        assertEquals(before.stream().filter(f -> !f.startsWith(DirectoryRemote.TMP)).collect(Collectors.toCollection(TreeSet::new)), left,
                "beats that failed");
    }
}
