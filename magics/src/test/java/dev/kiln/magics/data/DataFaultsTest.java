package dev.kiln.magics.data;

import dev.kiln.magics.core.Sha256;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.magics.core.UserError;
import dev.kiln.magics.data.remote.DirectoryRemote;
import dev.kiln.magics.data.remote.RefConflictException;
import dev.kiln.magics.data.remote.Remote;
import dev.kiln.magics.data.remote.S3Remote;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Bad input and faults: each is refused or detected with a message that names what and says what to do. */
class DataFaultsTest {

    @RegisterExtension
    static final S3ProxyServer.Lab s3 = new S3ProxyServer.Lab();

    @TempDir
    Path tmp;

    private DataProjects.Project project(String name, Map<String, String> env) throws Exception {
        DataProjects.Project p = new DataProjects(tmp, env).project(name);
        p.run("data remote add team s3://lab/" + tmp.getFileName() + " --endpoint " + s3.endpoint());
        return p;
    }

    private DataProjects.Project pushed(String name) throws Exception {
        DataProjects.Project p = project(name, S3ProxyServer.credentials());
        p.write("data/pems/a.csv", "id\n1\n");
        p.write("data/pems/b.csv", "id\n2\n");
        p.run("data add data/pems");
        p.run("data push");
        return p;
    }

    private static UserError fails(DataProjects.Project p, String line) {
        return assertThrows(UserError.class, () -> p.run(line));
    }

    @Test
    void wrongCredentialsAreReportedNamingTheRemote() throws Exception {
        Map<String, String> env = new HashMap<>(S3ProxyServer.credentials());
        env.put("AWS_SECRET_ACCESS_KEY", "not-the-secret-42");
        DataProjects.Project p = project("p", env);
        p.write("data/pems/a.csv", "id\n1\n");
        p.run("data add data/pems");
        UserError e = fails(p, "data push");
        assertTrue(e.getMessage().startsWith("remote 'team' (s3://lab/"), e.getMessage());
        assertTrue(e.getMessage().contains("access denied") && e.getMessage().contains("AWS_SECRET_ACCESS_KEY"), e.getMessage());
        assertFalse(e.getMessage().contains("not-the-secret-42"), "the secret must not be shown");
    }

    @Test
    void missingBucketIsReportedNamingTheRemote() throws Exception {
        DataProjects.Project p = new DataProjects(tmp, S3ProxyServer.credentials()).project("p");
        p.run("data remote add archive s3://no-such-bucket/x --endpoint " + s3.endpoint());
        p.write("data/pems/a.csv", "id\n1\n");
        p.run("data add data/pems");
        UserError e = fails(p, "data push");
        assertTrue(e.getMessage().contains("remote 'archive'") && e.getMessage().contains("bucket 'no-such-bucket' does not exist"),
                e.getMessage());
    }

    @Test
    void unknownDatasetOrVersionIsRefused() throws Exception {
        DataProjects.Project p = pushed("p");
        assertTrue(fails(p, "data pull nosuch@latest").getMessage().contains("Unknown dataset 'nosuch'"));
        assertTrue(fails(p, "data pull nosuch").getMessage().contains("Unknown dataset 'nosuch'"));
        UserError tag = fails(p, "data pull pems@v9");
        assertTrue(tag.getMessage().contains("Unknown version 'v9' of dataset 'pems'")
                && tag.getMessage().contains("kiln data version pems"), tag.getMessage());
        UserError id = fails(p, "data checkout pems@" + "ab".repeat(32));
        assertTrue(id.getMessage().contains("Unknown version " + "ab".repeat(32)), id.getMessage());
        assertTrue(fails(p, "data version nosuch").getMessage().contains("Unknown dataset 'nosuch'"));
        assertTrue(fails(p, "data push nosuch").getMessage().contains("Unknown dataset 'nosuch'"));
    }

    @Test
    void objectCorruptedOnTheRemoteIsDetectedNamedAndNeverMaterialized() throws Exception {
        DataProjects.Project alice = pushed("alice");
        String sha = Sha256.hex("id\n2\n".getBytes(StandardCharsets.UTF_8));
        String key = tmp.getFileName() + "/" + RemoteLayout.object(sha);
        s3.server().putObject("lab", key, "id\n666\n".getBytes(StandardCharsets.UTF_8));

        DataProjects.Project bob = project("bob", S3ProxyServer.credentials());
        Files.copy(alice.dir().resolve("kiln.lock"), bob.dir().resolve("kiln.lock"));
        UserError e = fails(bob, "data pull --jobs 1");
        assertTrue(e instanceof CorruptObjectException, e.toString());
        assertTrue(e.getMessage().contains("remote 'team'") && e.getMessage().contains(RemoteLayout.object(sha))
                && e.getMessage().contains("corrupt"), e.getMessage());
        assertFalse(Files.exists(bob.dir().resolve("data/pems/b.csv")), "a corrupt object must never reach the workspace");
        assertFalse(Files.exists(bob.cache().resolve(RemoteLayout.object(sha))), "nor stay in the cache");
        try (Stream<Path> s = Files.walk(bob.dir())) {
            assertTrue(s.noneMatch(f -> f.getFileName().toString().contains("666")));
        }
    }

    @Test
    void pathOutsideTheProjectIsRefused() throws Exception {
        DataProjects.Project p = project("p", S3ProxyServer.credentials());
        Path outside = Files.createDirectories(tmp.resolve("elsewhere"));
        Files.writeString(outside.resolve("x.csv"), "x\n");
        UserError e = fails(p, "data add ../elsewhere");
        assertTrue(e.getMessage().contains("outside the project"), e.getMessage());
        assertTrue(fails(p, "data add " + outside).getMessage().contains("outside the project"));
        Files.createSymbolicLink(p.dir().resolve("sneaky"), outside);
        assertTrue(fails(p, "data add sneaky").getMessage().contains("outside the project"));
        assertFalse(Files.exists(p.dir().resolve("kiln.lock")), "nothing was recorded");
        pushed("other");
        DataProjects.Project q = project("q", S3ProxyServer.credentials());
        UserError to = fails(q, "data pull pems@latest --to ../elsewhere");
        assertTrue(to.getMessage().contains("outside the project"), to.getMessage());
        assertFalse(Files.exists(outside.resolve("a.csv")), "nothing was written outside");
    }

    @Test
    void twoPushesRacingForLatestOneWinsTheOtherIsToldNothingLost() throws Exception {
        DataProjects.Project alice = pushed("alice");
        DataProjects.Project bob = project("bob", S3ProxyServer.credentials());
        Files.copy(alice.dir().resolve("kiln.lock"), bob.dir().resolve("kiln.lock"));
        bob.run("data pull");
        alice.write("data/pems/a.csv", "id\n1\nalice\n");
        bob.write("data/pems/b.csv", "id\n2\nbob\n");
        alice.run("data add data/pems -m alice");
        bob.run("data add data/pems -m bob");
        String aliceVersion = LockFile.read(alice.dir()).get("pems").version();
        String bobVersion = LockFile.read(bob.dir()).get("pems").version();

        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<String>> outcomes = new ArrayList<>();
        for (DataProjects.Project p : List.of(alice, bob)) {
            outcomes.add(pool.submit(() -> {
                start.await();
                try {
                    return "ok: " + p.run("data push").text();
                } catch (UserError e) {
                    return "refused: " + e.getMessage();
                }
            }));
        }
        List<String> results = new ArrayList<>();
        for (Future<String> f : outcomes) {
            results.add(f.get());
        }
        pool.shutdown();
        assertEquals(1, results.stream().filter(r -> r.startsWith("ok: ")).count(), results.toString());
        String refused = results.stream().filter(r -> r.startsWith("refused: ")).findFirst().orElseThrow();
        assertTrue(refused.contains("uploaded and safe") && refused.contains("not moved"), refused);

        // nothing lost: both versions are on the remote, and latest is the winner's
        DataProjects.Project carol = project("carol", S3ProxyServer.credentials());
        String winner = results.get(0).startsWith("ok: ") ? aliceVersion : bobVersion;
        String loser = winner.equals(aliceVersion) ? bobVersion : aliceVersion;
        carol.run("data pull pems@latest");
        assertEquals(winner, LockFile.read(carol.dir()).get("pems").version());
        carol.run("data checkout pems@" + loser.substring(0, 16));
        assertEquals(loser, LockFile.read(carol.dir()).get("pems").version());
    }

    @Test
    @Timeout(120)
    void aPushThatLosesTheRaceSuggestsACommandThatShowsTheWinner() throws Exception {
        DataProjects.Project alice = pushed("alice");
        DataProjects.Project bob = project("bob", S3ProxyServer.credentials());
        Files.copy(alice.dir().resolve("kiln.lock"), bob.dir().resolve("kiln.lock"));
        bob.run("data pull");
        alice.write("data/pems/c.csv", "id\n3\nalice\n");
        alice.run("data add data/pems -m alice");
        byte[] bobs = "id\n4\nbob\n".getBytes(StandardCharsets.UTF_8);
        bob.write("data/pems/d.csv", new String(bobs, StandardCharsets.UTF_8));
        bob.run("data add data/pems -m bob");
        String aliceVersion = LockFile.read(alice.dir()).get("pems").version();

        // Bob's push reads 'latest', then waits on his new file (a named pipe) while Alice pushes
        Path pipe = bob.cache().resolve(RemoteLayout.object(Sha256.hex(bobs)));
        Files.delete(pipe);
        Process mkfifo = new ProcessBuilder("mkfifo", pipe.toString()).start();
        assertTrue(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "mkfifo");
        CompletableFuture<UserError> bobsPush = CompletableFuture.supplyAsync(() -> {
            try {
                bob.run("data push");
                return null;
            } catch (UserError e) {
                return e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try (OutputStream out = CompletableFuture.supplyAsync(() -> {
            try {
                return Files.newOutputStream(pipe); // returns once Bob's push opens the pipe to read it
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }).get(60, TimeUnit.SECONDS)) {
            alice.run("data push");
            out.write(bobs);
        }
        UserError lost = bobsPush.get(60, TimeUnit.SECONDS);
        assertNotNull(lost, "Bob's push must lose the race");
        java.util.regex.Matcher suggested = java.util.regex.Pattern.compile("'kiln (data version [^']+)'").matcher(lost.getMessage());
        assertTrue(suggested.find(), lost.getMessage());

        List<String> shown = bob.run(suggested.group(1)).text().lines().toList();
        assertTrue(shown.get(0).contains(aliceVersion.substring(0, 12)) && shown.get(0).contains("latest"),
                "the suggested command shows the version that won: " + shown);
    }

    @Test
    void twoTagsRacingForTheSameNameOneWinsTheOtherIsTold() throws Exception {
        DataProjects.Project alice = pushed("alice");
        String first = LockFile.read(alice.dir()).get("pems").version();
        alice.write("data/pems/c.csv", "id\n3\n");
        alice.run("data add data/pems");
        alice.run("data push");
        String second = LockFile.read(alice.dir()).get("pems").version();

        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<String>> outcomes = new ArrayList<>();
        for (String v : List.of(first, second)) {
            outcomes.add(pool.submit(() -> {
                start.await();
                try {
                    alice.run("data tag pems@" + v.substring(0, 12) + " v4");
                    return "ok " + v;
                } catch (UserError e) {
                    return "refused: " + e.getMessage();
                }
            }));
        }
        List<String> results = new ArrayList<>();
        for (Future<String> f : outcomes) {
            results.add(f.get());
        }
        pool.shutdown();
        assertEquals(1, results.stream().filter(r -> r.startsWith("ok ")).count(), results.toString());
        String refused = results.stream().filter(r -> r.startsWith("refused: ")).findFirst().orElseThrow();
        assertTrue(refused.contains("Tag 'v4'"), refused);
        String winner = results.stream().filter(r -> r.startsWith("ok ")).findFirst().orElseThrow().substring(3);
        assertTrue(alice.run("data version pems").text().lines()
                .anyMatch(l -> l.contains(winner.substring(0, 12)) && l.contains("v4")));
    }

    @Test
    void refUpdateWithAStaleEtagIsRefusedOnBothRemoteKinds() throws Exception {
        RemoteConfig rc = new RemoteConfig("team", "s3://lab/refs-test", s3.endpoint(), null, null, null);
        try (Remote s3r = new S3Remote(rc, S3ProxyServer.credentials(), 2);
             Remote dir = new DirectoryRemote("local", tmp.resolve("dir-remote"))) {
            for (Remote r : List.of(s3r, dir)) {
                r.writeRef("refs/pems/latest", "one".getBytes(), null);
                assertThrows(RefConflictException.class, () -> r.writeRef("refs/pems/latest", "x".getBytes(), null));
                Remote.Ref read = r.readRef("refs/pems/latest").orElseThrow();
                r.writeRef("refs/pems/latest", "two".getBytes(), read.etag());
                assertThrows(RefConflictException.class, () -> r.writeRef("refs/pems/latest", "three".getBytes(), read.etag()));
                assertEquals("two", new String(r.readRef("refs/pems/latest").orElseThrow().content()));
            }
        }
    }

    @Test
    void localChangesAreNotOverwrittenWithoutForce() throws Exception {
        DataProjects.Project p = pushed("p");
        String v1 = LockFile.read(p.dir()).get("pems").version();
        p.write("data/pems/a.csv", "id\n1\n2\n");
        p.run("data add data/pems");
        p.write("data/pems/a.csv", "id\nmy unsaved work\n");
        UserError e = fails(p, "data checkout pems@" + v1.substring(0, 8));
        assertTrue(e.getMessage().contains("a.csv") && e.getMessage().contains("--force"), e.getMessage());
        assertEquals("id\nmy unsaved work\n", Files.readString(p.dir().resolve("data/pems/a.csv")));
        p.run("data checkout pems@" + v1.substring(0, 8) + " --force");
        assertEquals("id\n1\n", Files.readString(p.dir().resolve("data/pems/a.csv")));
    }

    @Test
    void aDirectoryThatBecomesAFileChecksOutBothWaysAndAFileInTheWayIsAConflict() throws Exception {
        DataProjects.Project p = project("p", S3ProxyServer.credentials());
        p.write("data/pems/a/b.csv", "id\n1\n");
        p.write("data/pems/c.csv", "id\n3\n");
        p.run("data add data/pems");
        String v1 = LockFile.read(p.dir()).get("pems").version();
        Map<String, String> first = p.files("data/pems");
        Files.delete(p.dir().resolve("data/pems/a/b.csv"));
        Files.delete(p.dir().resolve("data/pems/a"));
        p.write("data/pems/a", "now a file\n");
        p.run("data add data/pems");
        String v2 = LockFile.read(p.dir()).get("pems").version();
        Map<String, String> second = p.files("data/pems");

        p.run("data checkout pems@" + v1.substring(0, 12));
        assertEquals(first, p.files("data/pems"));
        p.run("data checkout pems@" + v2.substring(0, 12));
        assertEquals(second, p.files("data/pems"));

        // a file of the user's own where the version needs a directory
        p.run("data checkout pems@" + v1.substring(0, 12));
        Files.delete(p.dir().resolve("data/pems/a/b.csv"));
        Files.delete(p.dir().resolve("data/pems/a"));
        p.write("data/pems/a", "mine\n");
        String lock = p.lock();
        UserError e = fails(p, "data checkout pems@" + v1.substring(0, 12));
        assertTrue(e.getMessage().contains("local changes") && e.getMessage().contains(" a") && e.getMessage().contains("--force"),
                e.getMessage());
        assertEquals("mine\n", Files.readString(p.dir().resolve("data/pems/a")));
        assertEquals(lock, p.lock());
        p.run("data checkout pems@" + v1.substring(0, 12) + " --force");
        assertEquals(first, p.files("data/pems"));
    }

    @Test
    void largeFilesGoInPartsAndAnObjectPresentIsNotSentAgain() throws Exception {
        RemoteConfig rc = new RemoteConfig("team", "s3://lab/multipart", s3.endpoint(), null, null, null);
        Path big = tmp.resolve("big.bin");
        // a size no file system block divides: the last range is written padded and cut back
        byte[] data = new byte[(12 << 20) + 1234];
        new java.util.Random(7).nextBytes(data);
        Files.write(big, data);
        String sha = Sha256.ofFile(big);
        // two transfers at a time for three parts: the third range is fetched once the first is hashed
        try (S3Remote r = new S3Remote(rc, S3ProxyServer.credentials(), 2, new S3Remote.Parts(5L << 20, 5L << 20), null)) {
            assertTrue(r.putFileIfAbsent(RemoteLayout.object(sha), big, sha, data.length));
            assertFalse(r.putFileIfAbsent(RemoteLayout.object(sha), big, sha, data.length), "present: not sent twice");
            Path back = tmp.resolve("back.bin");
            assertEquals(sha, r.download(RemoteLayout.object(sha), back, data.length),
                    "ranged GETs hash the parts in order as they land");
            assertEquals(sha, Sha256.ofFile(back));

            // the same size, one byte changed in the last part: caught, and nothing enters the cache
            data[data.length - 3] ^= 1;
            s3.server().putObject("lab", "multipart/" + RemoteLayout.object(sha), data);
            Cache cache = new Cache(tmp.resolve("cache-multipart"));
            Transfer transfer = new Transfer(cache, 2);
            CorruptObjectException bad = assertThrows(CorruptObjectException.class, () -> transfer.fetch(r, sha, data.length));
            assertTrue(bad.getMessage().contains(RemoteLayout.object(sha)), bad.getMessage());
            assertFalse(cache.has(sha));
            Path small = Files.writeString(tmp.resolve("small"), "hello");
            String s = Sha256.ofFile(small);
            assertTrue(r.putFileIfAbsent(RemoteLayout.object(s), small, s, 5));
            assertFalse(r.putFileIfAbsent(RemoteLayout.object(s), small, s, 5), "If-None-Match: * refused the second put");
        }
    }

    @Test
    void everyUploadCarriesItsBodysSha256AndOnlyThoseBodiesGoUnsigned() throws Exception {
        RemoteConfig rc = new RemoteConfig("team", "s3://lab/checksums", s3.endpoint(), null, null, null);
        byte[] data = new byte[11 << 20];
        new java.util.Random(11).nextBytes(data);
        Path big = Files.write(tmp.resolve("big.bin"), data);
        String sha = Sha256.ofFile(big);
        Path small = Files.writeString(tmp.resolve("small"), "hello");
        String smallSha = Sha256.ofFile(small);
        s3.server().record();
        try (S3Remote r = new S3Remote(rc, S3ProxyServer.credentials(), 3, new S3Remote.Parts(5L << 20, 5L << 20), null)) {
            // the server checks every request's signature: these succeed only if the signing is right
            assertTrue(r.putFileIfAbsent(RemoteLayout.object(sha), big, sha, data.length));
            assertTrue(r.putFileIfAbsent(RemoteLayout.object(smallSha), small, smallSha, 5));
            assertEquals(sha, r.download(RemoteLayout.object(sha), tmp.resolve("back.bin"), data.length));
        }
        List<S3ProxyServer.Seen> seen = s3.server().requests();
        Map<Integer, S3ProxyServer.Seen> parts = new HashMap<>();
        for (S3ProxyServer.Seen q : seen) {
            String query = q.query() == null ? "" : q.query();
            if ("PUT".equals(q.method()) && query.contains("partNumber=")) {
                int n = Integer.parseInt(query.replaceAll(".*partNumber=(\\d+).*", "$1"));
                parts.put(n, q);
            }
        }
        assertEquals(List.of(1, 2, 3), parts.keySet().stream().sorted().toList(), "11 MiB in 5 MiB parts");
        for (var e : parts.entrySet()) {
            int from = (e.getKey() - 1) * (5 << 20);
            int to = Math.min(data.length, from + (5 << 20));
            assertEquals(java.util.Base64.getEncoder().encodeToString(Sha256.of(data, from, to - from)),
                    e.getValue().checksumSha256(), "part " + e.getKey() + " carries its own SHA-256");
            assertEquals("UNSIGNED-PAYLOAD", e.getValue().contentSha256(), "the checksum header covers the body");
        }
        S3ProxyServer.Seen put = seen.stream()
                .filter(q -> "PUT".equals(q.method()) && q.path().endsWith(RemoteLayout.object(smallSha)))
                .findFirst().orElseThrow();
        assertEquals(Sha256.base64OfHex(smallSha), put.checksumSha256());
        assertEquals("UNSIGNED-PAYLOAD", put.contentSha256());
        S3ProxyServer.Seen complete = seen.stream()
                .filter(q -> "POST".equals(q.method()) && q.query() != null && q.query().contains("uploadId="))
                .findFirst().orElseThrow();
        assertEquals(null, complete.checksumSha256());
        assertTrue(Sha256.isHex(complete.contentSha256()), "a body without a checksum header is signed: "
                + complete.contentSha256());
    }
}
