package dev.kiln.magics.data;

import dev.kiln.magics.core.CanonicalJson;
import dev.kiln.magics.core.Sha256;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.magics.data.remote.DirectoryRemote;
import dev.kiln.magics.data.remote.Remote;
import dev.kiln.magics.data.remote.S3Remote;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A tampered remote whose metadata hashes right but cannot be used: a manifest or version record
 * that is not JSON, a path '.' or with a NUL, files 'a' and 'a/b' together, a record or ref whose
 * ids lead out of the cache. Each pull fails naming the object, its version and the defect, and
 * leaves the workspace, kiln.lock and every file outside the project as they were.
 */
@Timeout(60)
class DataMalformedMetadataTest {

    @RegisterExtension
    static final S3ProxyServer.Lab s3 = new S3ProxyServer.Lab();

    @TempDir
    Path tmp;

    /** What Mallory writes to the remote: a manifest (or not), a record (or not), and 'latest' pointing at it. */
    enum Tampering {
        MANIFEST_NOT_JSON, RECORD_NOT_JSON, PATH_DOT, PATH_WITH_NUL, FILE_AND_DIRECTORY, MANIFEST_ID_LEADS_OUT,
        PARENT_ID_LEADS_OUT, REF_NOT_AN_ID
    }

    static Stream<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (String kind : List.of("s3", "directory")) {
            for (Tampering t : Tampering.values()) {
                all.add(Arguments.of(kind, t));
            }
        }
        return all.stream();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void metadataThatCannotBeUsedIsRefusedNamingItAndNothingIsWritten(String kind, Tampering tampering) throws Exception {
        String url = kind.equals("s3") ? "s3://lab/" + tmp.getFileName() : tmp.resolve("shared").toString();
        String remoteAdd = "data remote add team " + url + (kind.equals("s3") ? " --endpoint " + s3.endpoint() : "");
        DataProjects projects = new DataProjects(tmp, S3ProxyServer.credentials());
        DataProjects.Project alice = projects.project("alice");
        alice.run(remoteAdd);
        alice.write("data/pems/a.csv", "id\n1\n");
        alice.run("data add data/pems");
        alice.run("data push");
        String v1 = LockFile.read(alice.dir()).get("pems").version();

        DataProjects.Project bob = projects.project("bob");
        bob.run(remoteAdd);
        Files.copy(alice.dir().resolve("kiln.lock"), bob.dir().resolve("kiln.lock"));
        bob.run("data pull");
        Map<String, String> files = bob.files("data/pems");
        String lock = bob.lock();
        // what a record or manifest id leading out of the cache would reach: the cache's own parent
        Path victim = Files.writeString(bob.cache().getParent().resolve("victim.json"), "precious\n");

        Expected expected;
        try (Remote remote = kind.equals("s3")
                ? new S3Remote(new RemoteConfig("team", url, s3.endpoint(), null, null, null), S3ProxyServer.credentials(), 2)
                : new DirectoryRemote("team", Path.of(url))) {
            expected = tamper(remote, tampering, v1);
        }

        MalformedMetadataException e = assertThrows(MalformedMetadataException.class, () -> bob.run("data pull pems@latest"));
        assertEquals(expected.defect(), e.defect(), e.getMessage());
        assertEquals(expected.key(), e.key(), e.getMessage());
        assertEquals(expected.version(), e.version(), e.getMessage());
        assertEquals("pems", e.dataset());
        assertTrue(e.getMessage().startsWith(expected.key()), e.getMessage());
        assertTrue(e.getMessage().chars().noneMatch(c -> c == 0), "a NUL is shown escaped, not raw");
        assertEquals(files, bob.files("data/pems"), "the workspace is as it was");
        assertEquals(lock, bob.lock(), "kiln.lock is as it was");
        assertEquals("precious\n", Files.readString(victim), "nothing outside the cache was touched");
    }

    @Test
    void aKilnLockWhoseIdsLeadOutOfTheCacheIsRefusedAndNothingIsTouched() throws Exception {
        DataProjects projects = new DataProjects(tmp, S3ProxyServer.credentials());
        DataProjects.Project bob = projects.project("bob");
        bob.run("data remote add team " + tmp.resolve("shared"));
        bob.write("data/pems/a.csv", "id\n1\n");
        bob.run("data add data/pems");
        bob.run("data push");
        Path victim = Files.writeString(bob.cache().getParent().resolve("victim.json"), "precious\n");
        // kiln.lock comes through git: a version id that climbs out of the cache
        String version = LockFile.read(bob.dir()).get("pems").version();
        Files.writeString(bob.dir().resolve("kiln.lock"), bob.lock().replace(version, "..//../../victim"));
        String lock = bob.lock();
        for (String command : List.of("data pull", "data status", "data version pems", "data push")) {
            dev.kiln.magics.core.UserError e = assertThrows(dev.kiln.magics.core.UserError.class, () -> bob.run(command));
            assertTrue(e.getMessage().startsWith(bob.dir().resolve("kiln.lock") + " cannot be read"), e.getMessage());
        }
        assertEquals("precious\n", Files.readString(victim), "nothing outside the cache was touched");
        assertEquals(lock, bob.lock());
        assertEquals(Map.of("a.csv", "id\n1\n"), bob.files("data/pems"));
    }

    record Expected(MalformedMetadataException.Defect defect, String key, String version) {
    }

    private static Expected tamper(Remote remote, Tampering tampering, String v1) {
        byte[] object = "id\n666\n".getBytes(StandardCharsets.UTF_8);
        String objectSha = Sha256.hex(object);
        remote.putBytesIfAbsent(RemoteLayout.object(objectSha), object);
        byte[] manifest = switch (tampering) {
            case MANIFEST_NOT_JSON -> "this is not a manifest".getBytes(StandardCharsets.UTF_8);
            case PATH_DOT -> manifestOf(List.of("."), objectSha, object.length);
            case PATH_WITH_NUL -> manifestOf(List.of("a\u0000b.csv"), objectSha, object.length);
            case FILE_AND_DIRECTORY -> manifestOf(List.of("a", "a/b", "c"), objectSha, object.length);
            default -> manifestOf(List.of("a.csv"), objectSha, object.length);
        };
        String manifestId = Sha256.hex(manifest);
        remote.putBytesIfAbsent(RemoteLayout.manifest(manifestId), manifest);
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("dataset", "pems");
        record.put("parent", tampering == Tampering.PARENT_ID_LEADS_OUT ? "..//../../victim" : v1);
        record.put("manifest", tampering == Tampering.MANIFEST_ID_LEADS_OUT ? "..//../../victim.json" : manifestId);
        record.put("files", 1);
        record.put("size", object.length);
        record.put("message", "tampered");
        record.put("author", "mallory");
        record.put("time", "2024-01-01T00:00:00Z");
        record.put("lineage", List.of());
        byte[] recordBytes = tampering == Tampering.RECORD_NOT_JSON ? "{\"dataset\": \"pems\", oops".getBytes(StandardCharsets.UTF_8)
                : CanonicalJson.DATA.bytes(record);
        String id = Sha256.hex(recordBytes);
        remote.putBytesIfAbsent(RemoteLayout.version("pems", id), recordBytes);
        String latest = RemoteLayout.ref("pems", "latest");
        byte[] target = (tampering == Tampering.REF_NOT_AN_ID ? "../../victim\n" : id + "\n").getBytes(StandardCharsets.UTF_8);
        remote.writeRef(latest, target, remote.readRef(latest).map(Remote.Ref::etag).orElse(null));
        return switch (tampering) {
            case MANIFEST_NOT_JSON -> new Expected(MalformedMetadataException.Defect.NOT_JSON, RemoteLayout.manifest(manifestId), id);
            case RECORD_NOT_JSON -> new Expected(MalformedMetadataException.Defect.NOT_JSON, RemoteLayout.version("pems", id), id);
            case PATH_DOT, PATH_WITH_NUL -> new Expected(MalformedMetadataException.Defect.UNSAFE_PATH, RemoteLayout.manifest(manifestId), id);
            case FILE_AND_DIRECTORY -> new Expected(MalformedMetadataException.Defect.FILE_AND_DIRECTORY, RemoteLayout.manifest(manifestId), id);
            case MANIFEST_ID_LEADS_OUT, PARENT_ID_LEADS_OUT -> new Expected(MalformedMetadataException.Defect.NOT_AN_ID,
                    RemoteLayout.version("pems", id), id);
            case REF_NOT_AN_ID -> new Expected(MalformedMetadataException.Defect.NOT_AN_ID, latest, null);
        };
    }

    private static byte[] manifestOf(List<String> paths, String sha, long size) {
        List<Map<String, Object>> files = new ArrayList<>();
        for (String p : paths) {
            files.add(Map.of("path", p, "sha256", sha, "size", size));
        }
        return CanonicalJson.DATA.bytes(Map.of("files", files));
    }
}
