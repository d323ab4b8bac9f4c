package dev.kiln.magics.data;

import dev.kiln.magics.core.Lineage;
import dev.kiln.magics.core.VersionRecord;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bytes behind every id a remote already holds: a version record's id and a manifest's hash
 * are the SHA-256 of their canonical JSON, so these bytes may never change. The expected bytes and
 * ids are literals, taken from the code that wrote the first remotes.
 */
class StoredRecordBytesTest {

    @TempDir
    Path tmp;

    /** Non-ASCII (two-byte, three-byte and a surrogate pair), quotes, backslashes and control characters. */
    private static final String AWKWARD = "Zürich — 東京 🚀 \"q\" \\ \t\n\r\b\f \u0001\u001f\u007f end";

    @Test
    void aFirstVersionRecordWritesItsNullParentAndEscapesAsItAlwaysDid() {
        VersionRecord r = new VersionRecord("pems", null,
                "a".repeat(64), 3, 9_007_199_254_740_993L, AWKWARD, "ana", "2026-01-02T03:04:05.678Z", List.of());
        assertEquals("{\"author\":\"ana\",\"dataset\":\"pems\",\"files\":3,\"lineage\":[],\"manifest\":\""
                + "a".repeat(64) + "\",\"message\":\"Zürich — 東京 \\uD83D\\uDE80 \\\"q\\\" \\\\ \\t\\n\\r\\b\\f \\u0001\\u001F\u007f end\","
                + "\"parent\":null,\"size\":9007199254740993,\"time\":\"2026-01-02T03:04:05.678Z\"}",
                new String(r.canonicalBytes(), StandardCharsets.UTF_8));
        assertEquals("02d79a72d9798597ca0b40db452f9fe2c0b1f72b02b9ca86aa2fb72bd3746652", r.id());
    }

    @Test
    void aDerivedVersionRecordWritesItsLineageAndItsNulls() {
        VersionRecord r = new VersionRecord("pems-parquet", "b".repeat(64), "c".repeat(64), 1, 0, null, "bob",
                "2026-01-02T03:04:05Z", List.of(new Lineage("pems", "d".repeat(64), "parquet convert {codec=zstd}"),
                        new Lineage("weather", "e".repeat(64), null)));
        assertEquals("{\"author\":\"bob\",\"dataset\":\"pems-parquet\",\"files\":1,\"lineage\":["
                + "{\"dataset\":\"pems\",\"version\":\"" + "d".repeat(64) + "\",\"via\":\"parquet convert {codec=zstd}\"},"
                + "{\"dataset\":\"weather\",\"version\":\"" + "e".repeat(64) + "\",\"via\":null}],"
                + "\"manifest\":\"" + "c".repeat(64) + "\",\"message\":null,\"parent\":\"" + "b".repeat(64) + "\","
                + "\"size\":0,\"time\":\"2026-01-02T03:04:05Z\"}",
                new String(r.canonicalBytes(), StandardCharsets.UTF_8));
        assertEquals("4e5d943405b931a138663aae34406986e89fd2c0628bc1fe80ae636b0923a220", r.id());
    }

    @Test
    void loneSurrogatesInAVersionRecordAreEscapedAsTheyAlwaysWere() {
        VersionRecord r = new VersionRecord("d", null, "a".repeat(64), 1, 2, "x\uD800y\uDC00z", "me", "t", List.of());
        assertEquals("{\"author\":\"me\",\"dataset\":\"d\",\"files\":1,\"lineage\":[],\"manifest\":\"" + "a".repeat(64)
                + "\",\"message\":\"x\\uD800y\\uDC00z\",\"parent\":null,\"size\":2,\"time\":\"t\"}",
                new String(r.canonicalBytes(), StandardCharsets.UTF_8));
        assertEquals("7488eecc9049cfaad571d4381a764d8faabf9a405c5f4e4c41eda18a7d15d192", r.id());
    }

    @Test
    void aVersionRecordReadBackGivesTheBytesItWasReadFrom() {
        VersionRecord r = new VersionRecord("pems", "b".repeat(64), "a".repeat(64), 2, 10, AWKWARD, "ana",
                "2026-01-02T03:04:05Z", List.of(new Lineage("raw", "d".repeat(64), null)));
        assertArrayEquals(r.canonicalBytes(), Metadata.parseVersion(r.canonicalBytes()).canonicalBytes());
    }

    @Test
    void aManifestSortsItsPathsAndKeepsItsHash() {
        Manifest m = new Manifest(List.of(
                new ManifestEntry("é/ü.csv", "1".repeat(64), 12),
                new ManifestEntry("a/b.csv", "2".repeat(64), 0),
                new ManifestEntry("B.csv", "3".repeat(64), 5_000_000_000L),
                new ManifestEntry("tab\there\u0007.csv", "4".repeat(64), 1),
                new ManifestEntry("🚀.txt", "5".repeat(64), 2)));
        assertEquals("{\"files\":["
                + "{\"path\":\"B.csv\",\"sha256\":\"" + "3".repeat(64) + "\",\"size\":5000000000},"
                + "{\"path\":\"a/b.csv\",\"sha256\":\"" + "2".repeat(64) + "\",\"size\":0},"
                + "{\"path\":\"tab\\there\\u0007.csv\",\"sha256\":\"" + "4".repeat(64) + "\",\"size\":1},"
                + "{\"path\":\"é/ü.csv\",\"sha256\":\"" + "1".repeat(64) + "\",\"size\":12},"
                + "{\"path\":\"\\uD83D\\uDE80.txt\",\"sha256\":\"" + "5".repeat(64) + "\",\"size\":2}]}",
                new String(m.canonicalBytes(), StandardCharsets.UTF_8));
        assertEquals("85ab2a061596322fefa46c9e32b44ab6e56eba18a16dd52428e02f99ec7a59a8", m.hash());
    }

    @Test
    void aRefHoldsTheVersionIdAndANewline() throws Exception {
        DataProjects.Project p = new DataProjects(tmp, Map.of()).project("a");
        p.run("data remote add shared " + tmp.resolve("remote"));
        p.write("data/pems/a.csv", "x\n1\n");
        p.run("data add data/pems");
        p.run("data push --tag v1");
        String id = LockFile.read(p.dir()).get("pems").version();
        byte[] expected = (id + "\n").getBytes(StandardCharsets.US_ASCII);
        assertArrayEquals(expected, Files.readAllBytes(tmp.resolve("remote/refs/pems/latest")));
        assertArrayEquals(expected, Files.readAllBytes(tmp.resolve("remote/refs/pems/v1")));
        VersionRecord stored = Metadata.parseVersion(Files.readAllBytes(tmp.resolve("remote/versions/pems/" + id + ".json")));
        assertEquals(id, stored.id(), "a version's file on the remote hashes to its name");
    }

    @Test
    void kilnLockIsIndentedJsonWithSortedKeysAndNoNulls() throws Exception {
        Files.createDirectories(tmp.resolve("p"));
        LockFile lock = LockFile.read(tmp.resolve("p"));
        lock.put("zeta", new LockFile.Entry("data/zeta", "f".repeat(64), "e".repeat(64), 5_000_000_000L, 2));
        lock.put("alpha", new LockFile.Entry("data/ä lpha", "1".repeat(64), "2".repeat(64), 0, 0));
        lock.write();
        assertEquals("{\n"
                + "  \"datasets\" : {\n"
                + "    \"alpha\" : {\n"
                + "      \"files\" : 0,\n"
                + "      \"manifest\" : \"" + "2".repeat(64) + "\",\n"
                + "      \"path\" : \"data/ä lpha\",\n"
                + "      \"size\" : 0,\n"
                + "      \"version\" : \"" + "1".repeat(64) + "\"\n"
                + "    },\n"
                + "    \"zeta\" : {\n"
                + "      \"files\" : 2,\n"
                + "      \"manifest\" : \"" + "e".repeat(64) + "\",\n"
                + "      \"path\" : \"data/zeta\",\n"
                + "      \"size\" : 5000000000,\n"
                + "      \"version\" : \"" + "f".repeat(64) + "\"\n"
                + "    }\n"
                + "  },\n"
                + "  \"format\" : 1\n"
                + "}\n", Files.readString(tmp.resolve("p/kiln.lock")));
    }
}
