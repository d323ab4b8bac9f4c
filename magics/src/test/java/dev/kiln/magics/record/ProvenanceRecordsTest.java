package dev.kiln.magics.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.magics.core.Lineage;
import dev.kiln.magics.core.Progress;
import dev.kiln.magics.core.Provenance;
import dev.kiln.magics.core.Provenance.DatasetVersion;
import dev.kiln.magics.core.Session;
import dev.kiln.magics.core.VersionRecord;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a result's provenance sends to the sidecar: snapshots, and versions from the records it carries. */
class ProvenanceRecordsTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Session session;

    private ProvenanceRecords records() {
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        // an empty cache: what is recorded can only come from the provenance itself
        session = new Session(dir, quiet, quiet, Progress.NONE, Map.of("KILN_CACHE_DIR", dir.resolve("empty-cache").toString(),
                "KILN_SIDECAR_FILE", dir.resolve("no-sidecar.json").toString()), "kernel");
        return new ProvenanceRecords(session);
    }

    @AfterEach
    void stopRecorder() {
        if (session != null) {
            Recorder.of(session).close();
        }
    }

    private List<JsonNode> spooled(String kind) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        if (!Files.isDirectory(dir.resolve(".kiln/spool"))) {
            return out;
        }
        try (Stream<Path> s = Files.list(dir.resolve(".kiln/spool"))) {
            for (Path f : s.filter(p -> p.getFileName().toString().endsWith("." + kind + ".json")).sorted().toList()) {
                out.add(JSON.readTree(f.toFile()));
            }
        }
        return out;
    }

    private static VersionRecord record(String parent) {
        return new VersionRecord("pems", parent, "c".repeat(64), 3, 120, "Jan", "ana", "2026-01-02T03:04:05Z",
                List.of(new Lineage("raw", "d".repeat(64), null)));
    }

    @Test
    void aPulledVersionIsRecordedFromTheRecordItsResultCarriesNotFromTheCache() throws Exception {
        VersionRecord v = record("b".repeat(64));
        records().record(Provenance.of("data pull").withDatasets(List.of(
                new DatasetVersion("pems", v.id(), v.manifest(), "data/pems", null, v))));

        List<JsonNode> versions = spooled("versions");
        assertEquals(1, versions.size(), versions.toString());
        assertEquals(JSON.readTree("{\"dataset\":\"pems\",\"id\":\"" + v.id() + "\",\"parent\":\"" + "b".repeat(64) + "\","
                + "\"manifest\":\"" + "c".repeat(64) + "\",\"size\":120,\"files\":3,\"message\":\"Jan\",\"author\":\"ana\","
                + "\"time\":\"2026-01-02T03:04:05Z\",\"lineage\":[{\"dataset\":\"raw\",\"version\":\"" + "d".repeat(64) + "\",\"via\":\"\"}],"
                + "\"project\":" + JSON.writeValueAsString(dir.toRealPath().toString()) + "}"),
                versions.get(0), "the project named, a folder without a remote; no rows, the workspace holds nothing of it");
    }

    @Test
    void versionsAStatusOrAResultWithoutRecordsOnlyNamesAreNotRecorded() throws Exception {
        VersionRecord v = record(null);
        ProvenanceRecords records = records();
        records.record(Provenance.of("data status").withDatasets(List.of(new DatasetVersion("pems", v.id(), null, null, null, v))));
        records.record(Provenance.of("data pull").withDatasets(List.of(DatasetVersion.of("pems", v.id()))));
        assertEquals(List.of(), spooled("versions"));
    }

    @Test
    void aSnapshotIsRecordedWithItsNotebookAndWhenItWasSeen() throws Exception {
        Map<String, Object> environment = Map.of("notebook", "work/a.ipynb", "format", 1);
        records().record(Provenance.of("env snapshot").withSnapshot(new Provenance.Snapshot("e".repeat(64), environment)));
        List<JsonNode> snapshots = spooled("snapshots");
        assertEquals(1, snapshots.size());
        assertEquals("e".repeat(64), snapshots.get(0).get("id").asText());
        assertEquals(JSON.valueToTree(environment), snapshots.get(0).get("environment"));
        assertEquals("work/a.ipynb", snapshots.get(0).get("notebook").asText());
        assertTrue(snapshots.get(0).get("time").asText().matches("\\d{4}-\\d\\d-\\d\\dT.*Z"), snapshots.get(0).toString());
    }
}
