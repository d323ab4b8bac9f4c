package dev.kiln.magics.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.magics.core.Sha256;
import dev.kiln.magics.core.UserError;
import dev.kiln.magics.data.remote.Remote;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code kiln data gc} against s3proxy and a directory remote: what goes, what stays, and a push racing it. */
@Timeout(300)
class DataGcTest {

    @RegisterExtension
    static final S3ProxyServer.Lab s3 = new S3ProxyServer.Lab();

    @TempDir
    Path tmp;

    private String remoteAdd(String kind, String prefix) {
        return kind.equals("s3")
                ? "data remote add team s3://lab/" + prefix + " --endpoint " + s3.endpoint()
                : "data remote add team " + tmp.resolve(prefix);
    }

    /** What a killed push leaves: an object no manifest names. */
    private static String orphan(Remote r, byte[] content) {
        String sha = Sha256.hex(content);
        r.putBytesIfAbsent(RemoteLayout.object(sha), content);
        return RemoteLayout.object(sha);
    }

    private static Set<String> keys(Remote r, String prefix) {
        return new TreeSet<>(r.list(prefix));
    }

    private static Set<String> keys(List<Remote.Listed> listed) {
        return listed.stream().map(Remote.Listed::key).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Every manifest on the remote has all its objects; every version a ref reaches has its manifest. */
    private static void assertConsistent(DataRepository repo, Remote r) {
        Set<String> objects = keys(r, "objects/");
        for (String m : keys(r, "manifests/")) {
            Manifest manifest = Manifest.parse(r.getBytes(m).orElseThrow());
            for (ManifestEntry e : manifest.files()) {
                assertTrue(objects.contains(RemoteLayout.object(e.sha256())), m + " names " + e.path() + ", which the remote lacks");
            }
        }
        for (String ref : keys(r, "refs/")) {
            String[] part = ref.split("/");
            for (String id = Metadata.refTarget(r, part[1], part[2]).orElseThrow(); id != null; ) {
                var v = Metadata.parseVersion(r.getBytes(RemoteLayout.version(part[1], id)).orElseThrow());
                assertTrue(r.exists(RemoteLayout.manifest(v.manifest())), "version " + id + " reachable from " + ref + " lost its manifest");
                id = v.parent();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3", "directory"})
    void gcRemovesWhatNoReachableVersionUsesOlderThanTheCutOffAndNothingElse(String kind) throws Exception {
        DataProjects projects = new DataProjects(tmp, S3ProxyServer.credentials());
        DataProjects.Project alice = projects.project("alice");
        DataProjects.Project bob = projects.project("bob");
        alice.run(remoteAdd(kind, "gc-remote"));
        bob.run(remoteAdd(kind, "gc-remote"));
        alice.write("data/pems/a.csv", "id\n1\n");
        alice.write("data/pems/b.csv", "id\n2\n");
        alice.run("data add data/pems");
        alice.run("data push --tag v1");
        alice.write("data/pems/b.csv", "id\n2\n3\n");
        alice.run("data add data/pems");
        alice.run("data push");
        // bob works from v1 and pushes after alice: his version is uploaded, but no ref reaches it
        java.nio.file.Files.copy(alice.dir().resolve("kiln.lock"), bob.dir().resolve("kiln.lock"));
        bob.run("data pull pems@v1");
        bob.write("data/pems/a.csv", "id\nbob\n");
        bob.run("data add data/pems");
        assertThrows(UserError.class, () -> bob.run("data push"));

        try (DataRepository repo = DataRepository.open(alice.dir(), alice.env())) {
            Remote r = repo.remote(null);
            String killedPush = orphan(r, "left by a killed push".getBytes(StandardCharsets.UTF_8));
            String bobsObject = RemoteLayout.object(Sha256.hex("id\nbob\n".getBytes(StandardCharsets.UTF_8)));
            String bobsManifest;
            try (DataRepository bobs = DataRepository.open(bob.dir(), bob.env())) {
                bobsManifest = RemoteLayout.manifest(bobs.lockFile().get("pems").manifest());
            }
            Set<String> versions = keys(r, "versions/");
            Set<String> refs = keys(r, "refs/");

            GarbageCollector.Report young = repo.gc(null, GarbageCollector.parseAge("24h"), true);
            assertEquals(List.of(), young.objects(), "everything is younger than a day");
            assertEquals(List.of(), young.manifests());
            // bob's version is younger than a day: a root, as a push whose ref has not moved yet; the orphan is young
            assertEquals(1, young.youngKept(), "the killed push's object");

            GarbageCollector.Report dry = repo.gc(null, GarbageCollector.parseAge("0s"), true);
            assertEquals(new TreeSet<>(List.of(killedPush, bobsObject)), keys(dry.objects()));
            assertEquals(Set.of(bobsManifest), keys(dry.manifests()));
            assertEquals("left by a killed push".length() + "id\nbob\n".length()
                    + r.getBytes(bobsManifest).orElseThrow().length, dry.bytes());
            assertTrue(r.exists(killedPush) && r.exists(bobsObject) && r.exists(bobsManifest), "a dry run removes nothing");

            GarbageCollector.Report done = repo.gc(null, GarbageCollector.parseAge("0s"), false);
            assertEquals(keys(dry.objects()), keys(done.objects()));
            assertTrue(!r.exists(killedPush) && !r.exists(bobsObject) && !r.exists(bobsManifest));
            assertEquals(versions, keys(r, "versions/"), "version records are never removed");
            assertEquals(refs, keys(r, "refs/"), "refs are never removed");
            assertEquals(Set.of(), keys(r, "locks/"), "gc released its lock");
            assertConsistent(repo, r);
        }
        // every version a ref reaches still comes back whole on a machine with an empty cache
        DataProjects.Project carol = projects.project("carol");
        carol.run(remoteAdd(kind, "gc-remote"));
        carol.run("data pull pems@v1");
        assertEquals(Map.of("a.csv", "id\n1\n", "b.csv", "id\n2\n"), carol.files("data/pems"));
        carol.run("data pull pems@latest");
        assertEquals(Map.of("a.csv", "id\n1\n", "b.csv", "id\n2\n3\n"), carol.files("data/pems"));
        // bob's version lost its manifest, not its record: pushing it again sends what it needs
        assertThrows(UserError.class, () -> bob.run("data push"));
        try (DataRepository repo = DataRepository.open(bob.dir(), bob.env())) {
            assertConsistent(repo, repo.remote(null));
            assertTrue(repo.remote(null).exists(RemoteLayout.object(Sha256.hex("id\nbob\n".getBytes(StandardCharsets.UTF_8)))));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3", "directory"})
    void aPushRacingAGcLosesNothingAVersionUses(String kind) throws Exception {
        DataProjects projects = new DataProjects(tmp, S3ProxyServer.credentials());
        DataProjects.Project alice = projects.project("alice");
        DataProjects.Project admin = projects.project("admin");
        alice.run(remoteAdd(kind, "race-remote"));
        admin.run(remoteAdd(kind, "race-remote"));
        Random random = new Random(7);
        int refusals = 0;
        for (int round = 0; round < 8; round++) {
            byte[] left = ("left by a killed push, round " + round).getBytes(StandardCharsets.UTF_8);
            byte[] fresh = new byte[2 << 20];
            random.nextBytes(fresh);
            try (DataRepository repo = DataRepository.open(alice.dir(), alice.env())) {
                orphan(repo.remote(null), left); // the push below finds it there and does not send it
            }
            alice.write("data/pems/left.bin", new String(left, StandardCharsets.ISO_8859_1));
            java.nio.file.Files.write(alice.dir().resolve("data/pems/fresh.bin"), fresh);
            alice.run("data add data/pems");

            CountDownLatch start = new CountDownLatch(1);
            CompletableFuture<Boolean> push = CompletableFuture.supplyAsync(() -> refusedByTheOther(start, () -> alice.run("data push")));
            CompletableFuture<Boolean> gc = CompletableFuture.supplyAsync(() -> refusedByTheOther(start,
                    () -> admin.run("data gc --delete --older-than 0s")));
            start.countDown();
            boolean pushRefused = push.get(120, TimeUnit.SECONDS);
            refusals += (pushRefused ? 1 : 0) + (gc.get(120, TimeUnit.SECONDS) ? 1 : 0);
            if (pushRefused) {
                alice.run("data push");
            }
            try (DataRepository repo = DataRepository.open(admin.dir(), admin.env())) {
                assertConsistent(repo, repo.remote(null));
            }
            DataProjects.Project reader = projects.project("reader" + round);
            reader.run(remoteAdd(kind, "race-remote"));
            reader.run("data pull pems@latest");
            assertEquals(alice.files("data/pems"), reader.files("data/pems"), "round " + round);
        }
        System.out.println("push or gc refused in " + refusals + " of 16 runs");
    }

    /** Lets one removal of an object or manifest through, then fails the others until {@code open}. */
    static final class FailingRemovals extends ForwardingBlobStore {
        final java.util.concurrent.atomic.AtomicInteger allowed = new java.util.concurrent.atomic.AtomicInteger(1);
        volatile boolean open = true;

        FailingRemovals(org.gaul.s3proxy.blobstore.BlobStore delegate) {
            super(delegate);
        }

        @Override
        public void removeBlob(String container, String name) {
            boolean data = name.contains("/objects/") || name.contains("/manifests/");
            if (data && !open && allowed.getAndDecrement() <= 0) {
                throw new IllegalStateException("the connection dropped");
            }
            delegate().removeBlob(container, name);
        }
    }

    @org.junit.jupiter.api.Test
    void aGcInterruptedMidwayLeavesEveryManifestWithItsObjectsAndTheNextOneFinishes() throws Exception {
        FailingRemovals[] gate = new FailingRemovals[1];
        try (S3ProxyServer server = S3ProxyServer.start(null, store -> gate[0] = new FailingRemovals(store))) {
            server.createBucket("lab");
            DataProjects projects = new DataProjects(tmp, S3ProxyServer.credentials());
            DataProjects.Project alice = projects.project("alice");
            DataProjects.Project bob = projects.project("bob");
            for (DataProjects.Project p : List.of(alice, bob)) {
                p.run("data remote add team s3://lab/p --endpoint " + server.endpoint());
            }
            alice.write("data/pems/a.csv", "id\n1\n");
            alice.run("data add data/pems");
            alice.run("data push");
            alice.write("data/pems/a.csv", "id\n2\n");
            alice.run("data add data/pems");
            alice.run("data push");
            // bob diverges from alice's first version: his version's manifest and object are what gc removes
            java.nio.file.Files.copy(alice.dir().resolve("kiln.lock"), bob.dir().resolve("kiln.lock"));
            try (DataRepository repo = DataRepository.open(alice.dir(), alice.env())) {
                String first = repo.history("pems", null, 2).versions().get(1).id();
                bob.run("data pull pems@" + first);
            }
            bob.write("data/pems/a.csv", "id\nbob\n");
            bob.write("data/pems/b.csv", "id\nbob b\n");
            bob.run("data add data/pems");
            assertThrows(UserError.class, () -> bob.run("data push"));

            gate[0].open = false;
            assertThrows(RuntimeException.class, () -> alice.run("data gc --delete --older-than 0s"));
            try (DataRepository repo = DataRepository.open(alice.dir(), alice.env())) {
                Remote r = repo.remote(null);
                assertEquals(2 + 2 + 2, keys(r, "manifests/").size() + keys(r, "objects/").size(),
                        "alice's 2 manifests and 2 objects stay; 1 of bob's manifest and 2 objects went before the failure");
                assertConsistent(repo, r);
                gate[0].open = true;
                GarbageCollector.Report rest = repo.gc(null, GarbageCollector.parseAge("0s"), false);
                assertEquals(2, rest.manifests().size() + rest.objects().size(), "the next gc removes the rest");
                assertConsistent(repo, r);
                assertEquals(Set.of(), keys(r, "locks/"));
            }
        }
    }

    private interface Run {
        Object run() throws Exception;
    }

    /** Runs {@code run} once {@code start} opens; true when it was refused because the other held the remote. */
    private static boolean refusedByTheOther(CountDownLatch start, Run run) {
        try {
            start.await();
            run.run();
            return false;
        } catch (UserError e) {
            if (e.getMessage().contains("is running") || e.getMessage().contains("in progress")) {
                return true;
            }
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
