package dev.kiln.magics.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.magics.core.CanonicalJson;
import dev.kiln.magics.core.Provenance;
import dev.kiln.magics.core.ProvenanceJson;
import dev.kiln.magics.core.Sha256;
import dev.kiln.magics.core.VersionRecord;
import dev.kiln.magics.env.EnvSnapshot;
import dev.kiln.magics.env.SnapshotStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files written by an earlier Kiln, committed under {@code src/test/resources/golden/} (see its
 * README), read by today's code and written back byte for byte, with the ids they carry as literals:
 * remotes, notebooks and {@code kiln.lock} files hold these ids, so a change in canonical form must
 * fail here (the fix is a new format number and a reader for the old one, never new bytes).
 */
class FrozenFormatsTest {

    private static final Path GOLDEN = Path.of("src/test/resources/golden");

    static final String V1 = "69dfa41a6241cc4d26fddf0725e8b5767cd57e7017950ddc9af158cf36637449";
    static final String V2 = "0a4dcd40c887938584b648a40fad44fb8d515c463e3d013f3e8e6f3c75a84aec";
    static final String MANIFEST_V1 = "6e69d492256ebf163ab0266cb9cad2ded10c2dbebf7ddcaf3715e313d62711f7";
    static final String MANIFEST_V2 = "f1354115ffa6accbeae4abb83ceac6748e61e86a4636316085114e184dfb1a12";
    static final String SNAPSHOT = "37096590fdef15dccafc8abba11ea1189b67750872bdb82cf183da442d8a319e";

    @TempDir
    Path tmp;

    @Test
    void aManifestOnTheRemoteParsesAndWritesItsOwnBytesAndHash() throws IOException {
        for (String hash : List.of(MANIFEST_V1, MANIFEST_V2)) {
            Path file = GOLDEN.resolve("remote").resolve(RemoteLayout.manifest(hash));
            byte[] stored = Files.readAllBytes(file);
            Manifest m = Manifest.parse(stored);
            assertArrayEquals(stored, m.canonicalBytes(), "manifest " + hash + " written back");
            assertEquals(hash, m.hash());
        }
        Manifest v2 = Manifest.parse(Files.readAllBytes(GOLDEN.resolve("remote").resolve(RemoteLayout.manifest(MANIFEST_V2))));
        assertEquals(List.of(
                new ManifestEntry("readings/2026-01.csv", "e6c9c7b21585927ad880cf375f84f0d35b69be67bab3f2b0795869ee642854c7", 11),
                new ManifestEntry("readings/2026-02.csv", "2137e29f54de0cb6081a2f5c5c02c2f6a2985e748dfe9dd7ab08960e8eb36d7a", 14),
                new ManifestEntry("stations.csv", "b40c6a1e399630c64b685b5490a6d7e6e88b0e87d7f305c925abe5fa05efcf95", 40)), v2.files());
    }

    @Test
    void aVersionRecordOnTheRemoteParsesAndWritesItsOwnBytesAndId() throws IOException {
        for (String id : List.of(V1, V2)) {
            byte[] stored = Files.readAllBytes(GOLDEN.resolve("remote").resolve(RemoteLayout.version("pems", id)));
            VersionRecord r = Metadata.parseVersion(stored);
            assertArrayEquals(stored, r.canonicalBytes(), "version " + id + " written back");
            assertEquals(id, r.id());
        }
        VersionRecord v2 = Metadata.parseVersion(Files.readAllBytes(GOLDEN.resolve("remote").resolve(RemoteLayout.version("pems", V2))));
        assertEquals(new VersionRecord("pems", V1, MANIFEST_V2, 3, 65, "February; station 3", "Ana Müller <ana@example.org>",
                "2026-12-05T07:05:10.466414539Z", List.of()), v2);
    }

    @Test
    void aVersionRecordWithLineageAndNullsWritesItsOwnBytesAndId() throws IOException {
        byte[] stored = Files.readAllBytes(GOLDEN.resolve("version-with-lineage.json"));
        VersionRecord r = Metadata.parseVersion(stored);
        assertArrayEquals(stored, r.canonicalBytes());
        assertEquals("4e5d943405b931a138663aae34406986e89fd2c0628bc1fe80ae636b0923a220", r.id());
        assertEquals(null, r.message());
        assertEquals(null, r.lineage().get(1).via());
    }

    @Test
    void theRemoteLayoutPutsEachThingWhereItAlwaysWas() throws IOException {
        Map<String, String> expected = new TreeMap<>(Map.of(
                "manifests/sha256/6e/69d492256ebf163ab0266cb9cad2ded10c2dbebf7ddcaf3715e313d62711f7", "manifest v1",
                "manifests/sha256/f1/354115ffa6accbeae4abb83ceac6748e61e86a4636316085114e184dfb1a12", "manifest v2",
                "objects/sha256/21/37e29f54de0cb6081a2f5c5c02c2f6a2985e748dfe9dd7ab08960e8eb36d7a", "object",
                "objects/sha256/9a/fcb5b4448b04959547398ccd4bc955bb5d2d57f35c122fcb1f6c7474e2b9eb", "object",
                "objects/sha256/b4/0c6a1e399630c64b685b5490a6d7e6e88b0e87d7f305c925abe5fa05efcf95", "object",
                "objects/sha256/e6/c9c7b21585927ad880cf375f84f0d35b69be67bab3f2b0795869ee642854c7", "object",
                "refs/pems/latest", "ref", "refs/pems/v1", "ref",
                "versions/pems/0a4dcd40c887938584b648a40fad44fb8d515c463e3d013f3e8e6f3c75a84aec.json", "version v2",
                "versions/pems/69dfa41a6241cc4d26fddf0725e8b5767cd57e7017950ddc9af158cf36637449.json", "version v1"));
        assertEquals(expected.keySet(), tree(GOLDEN.resolve("remote")).keySet());
        assertEquals("manifests/sha256/f1/354115ffa6accbeae4abb83ceac6748e61e86a4636316085114e184dfb1a12", RemoteLayout.manifest(MANIFEST_V2));
        assertEquals("objects/sha256/21/37e29f54de0cb6081a2f5c5c02c2f6a2985e748dfe9dd7ab08960e8eb36d7a",
                RemoteLayout.object("2137e29f54de0cb6081a2f5c5c02c2f6a2985e748dfe9dd7ab08960e8eb36d7a"));
        assertEquals("versions/pems/" + V1 + ".json", RemoteLayout.version("pems", V1));
        assertEquals("refs/pems/v1", RemoteLayout.ref("pems", "v1"));
        // an object is named by the SHA-256 of its bytes; a ref is a version id and a newline
        for (Map.Entry<String, byte[]> e : tree(GOLDEN.resolve("remote")).entrySet()) {
            if (e.getKey().startsWith("objects/")) {
                assertEquals(e.getKey(), RemoteLayout.object(Sha256.hex(e.getValue())));
            }
        }
        assertEquals(V2 + "\n", Files.readString(GOLDEN.resolve("remote/refs/pems/latest")));
        assertEquals(V1 + "\n", Files.readString(GOLDEN.resolve("remote/refs/pems/v1")));
    }

    @Test
    void todaysCodePullsTheOldRemoteAndPushesItAgainByteForByte() throws Exception {
        Path old = copyTree(GOLDEN.resolve("remote"), tmp.resolve("old-remote"));
        DataProjects.Project p = new DataProjects(tmp, Map.of()).project("colleague");
        p.run("data remote add old " + old);
        p.run("data pull pems@v1");
        assertEquals(Map.of("readings/2026-01.csv", "id,t\n1,3.5\n", "stations.csv", latin1("id,name\n1,Zürich\n2,東京\n")),
                p.files("data/pems"));
        p.run("data pull pems@latest");
        assertEquals(Map.of("readings/2026-01.csv", "id,t\n1,3.5\n", "readings/2026-02.csv", "id,t\n1,4.0\n2,\n",
                "stations.csv", latin1("id,name\n1,Zürich\n2,東京\n3,\"Bern, BE\"\n")), p.files("data/pems"));
        // kiln.lock after the pull is the golden one, byte for byte
        assertArrayEquals(Files.readAllBytes(GOLDEN.resolve("kiln.lock")), Files.readAllBytes(p.dir().resolve("kiln.lock")));

        Path fresh = tmp.resolve("new-remote");
        p.run("data remote add new " + fresh);
        p.run("data push --remote new");
        Map<String, byte[]> pushed = tree(fresh);
        Map<String, byte[]> golden = tree(GOLDEN.resolve("remote"));
        // the old remote's keys, byte for byte, and beside each object the index today's push adds
        // (ranged reads check their blocks against it; its format is frozen in golden/index/)
        Map<String, byte[]> indexes = tree(GOLDEN.resolve("index"));
        for (Map.Entry<String, byte[]> e : golden.entrySet()) {
            if (e.getKey().startsWith("objects/")) {
                String index = RemoteLayout.objectIndex(Sha256.hex(e.getValue()));
                assertEquals(true, indexes.containsKey(index), "a golden index " + index + " for " + e.getKey());
            }
        }
        assertEquals(List.of(), pushed.keySet().stream().filter(k -> !golden.containsKey(k) && !indexes.containsKey(k)).toList(),
                "keys today's push writes that the old layout did not have");
        for (Map.Entry<String, byte[]> e : pushed.entrySet()) {
            byte[] expected = golden.containsKey(e.getKey()) ? golden.get(e.getKey()) : indexes.get(e.getKey());
            assertArrayEquals(expected, e.getValue(), e.getKey() + " pushed again");
        }
        assertEquals(indexes.keySet(), pushed.keySet().stream().filter(k -> k.startsWith("indexes/")).collect(Collectors.toSet()));
        assertEquals(V2 + "\n", new String(pushed.get("refs/pems/latest"), StandardCharsets.US_ASCII));
        assertArrayEquals(golden.get(RemoteLayout.version("pems", V2)), pushed.get(RemoteLayout.version("pems", V2)));
        assertArrayEquals(golden.get(RemoteLayout.manifest(MANIFEST_V2)), pushed.get(RemoteLayout.manifest(MANIFEST_V2)));
    }

    @Test
    void kilnLockReadsAndWritesItsOwnBytes() throws IOException {
        Path project = Files.createDirectories(tmp.resolve("p"));
        Files.copy(GOLDEN.resolve("kiln.lock"), project.resolve("kiln.lock"));
        LockFile lock = LockFile.read(project);
        assertEquals(Map.of("pems", new LockFile.Entry("data/pems", V2, MANIFEST_V2, 65, 3)), lock.datasets());
        lock.write();
        assertArrayEquals(Files.readAllBytes(GOLDEN.resolve("kiln.lock")), Files.readAllBytes(project.resolve("kiln.lock")));
    }

    @Test
    void aStoredEnvironmentSnapshotLoadsWithItsIdAndIsStoredAgainByteForByte() throws IOException {
        Path stored = GOLDEN.resolve("snapshot/" + SNAPSHOT + ".json");
        Path a = Files.createDirectories(tmp.resolve("a/.kiln/snapshots"));
        Files.copy(stored, a.resolve(SNAPSHOT + ".json"));
        EnvSnapshot s = new SnapshotStore(tmp.resolve("a")).load("37096590");
        assertEquals(SNAPSHOT, s.id());
        assertArrayEquals(Files.readAllBytes(stored), s.canonicalBytes());
        assertEquals("Linux", s.environment().os().name());
        new SnapshotStore(tmp.resolve("b")).save(s, "cli");
        assertArrayEquals(Files.readAllBytes(stored), Files.readAllBytes(tmp.resolve("b/.kiln/snapshots/" + SNAPSHOT + ".json")));
    }

    @Test
    void metadataKilnReadsBackAndIsWrittenAgainByteForByte() throws IOException {
        for (String name : List.of("data-pull.json", "parquet-convert.json")) {
            byte[] stored = Files.readAllBytes(GOLDEN.resolve("metadata-kiln/" + name));
            JsonNode tree = CanonicalJson.mapper().readTree(stored);
            Provenance p = ProvenanceJson.read(tree);
            assertArrayEquals(stored, CanonicalJson.mapper().writeValueAsBytes(ProvenanceJson.write(p)), name + " written back");
        }
        Provenance pull = ProvenanceJson.read(CanonicalJson.mapper().readTree(GOLDEN.resolve("metadata-kiln/data-pull.json").toFile()));
        assertEquals("data pull", pull.command());
        assertEquals(List.of(new Provenance.DatasetVersion("pems", V2, MANIFEST_V2, "data/pems", null, null)), pull.datasets());
        assertEquals(SNAPSHOT, pull.snapshot().id());
        // the environment a notebook carries still hashes to the id it carries with it
        assertEquals(SNAPSHOT, EnvSnapshot.of(pull.snapshot()).id());
        Provenance convert = ProvenanceJson.read(CanonicalJson.mapper().readTree(GOLDEN.resolve("metadata-kiln/parquet-convert.json").toFile()));
        assertEquals("parquet convert", convert.command());
        assertEquals(List.of(new Provenance.DatasetVersion("pems", V2, null, null, "readings", null)), convert.lineage());
        assertEquals("zstd", convert.settings().get("codec"));
    }

    private static String latin1(String utf8Text) {
        return new String(utf8Text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    /** Every file under {@code root} by its '/'-separated relative path, leaving out a directory remote's lock files. */
    private static Map<String, byte[]> tree(Path root) throws IOException {
        Map<String, byte[]> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path f : s.filter(Files::isRegularFile).toList()) {
                if (!f.getFileName().toString().startsWith(".tmp-")) {
                    m.put(root.relativize(f).toString().replace('\\', '/'), Files.readAllBytes(f));
                }
            }
        }
        return m;
    }

    @Test
    void aPushLockOfEitherFormatReadsAndFormat2WritesItsOwnBytes() throws IOException {
        byte[] stored = Files.readAllBytes(GOLDEN.resolve("locks/push-format-2"));
        LockHolder v2 = LockHolder.parse(stored, java.time.Instant.now());
        assertEquals(new LockHolder(2, "Ana Müller <ana@example.org>", "lab-3", "4f1c2a9e-6b7d-4c1e-9a55-0d2b3c4e5f60", 4242,
                "2026-12-05T09:58:12.340Z", "2026-12-05T10:00:00.125Z", "2026-12-05T10:04:00Z"), v2);
        assertArrayEquals(stored, v2.bytes());
        // format 1, before heartbeats: one line, '<instant> <who>'; it still reads, and counts from when it was taken
        LockHolder v1 = LockHolder.parse(Files.readAllBytes(GOLDEN.resolve("locks/push-format-1")), java.time.Instant.now());
        assertEquals(1, v1.format());
        assertEquals("Ana Müller <ana@example.org>", v1.who());
        assertEquals(java.time.Instant.parse("2026-12-05T07:05:10.466414539Z"), v1.heartbeatAt().orElseThrow());
        assertEquals(-1, v1.pid());
    }

    private static Path copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path f : s.toList()) {
                Path t = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(f, t);
                }
            }
        }
        return to;
    }
}
