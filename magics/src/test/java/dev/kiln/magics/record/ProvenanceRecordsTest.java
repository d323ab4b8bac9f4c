package dev.kiln.magics.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.magics.cli.Args;
import dev.kiln.magics.cli.CommandRunner;
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
    /** Sessions of commands run as the CLI runs them, whose recorders stop after each test. */
    private final List<Session> sessions = new ArrayList<>();

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
        sessions.forEach(s -> Recorder.of(s).close());
    }

    /** Runs {@code line} in {@code project}, whose cache is beside it, as the CLI does: its result's records spooled. */
    private void kiln(Path project, String line) throws Exception {
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        Session s = new Session(Files.createDirectories(project), quiet, quiet, Progress.NONE, Map.of("USER", "ana",
                "KILN_CACHE_DIR", project + "-cache", "KILN_SIDECAR_FILE", dir.resolve("no-sidecar.json").toString()), "cli");
        sessions.add(s);
        ProvenanceRecords records = new ProvenanceRecords(s);
        new CommandRunner(s, result -> records.record(result.provenance())).run(Args.split(line));
    }

    private List<JsonNode> spooled(String kind) throws Exception {
        return spooled(dir, kind);
    }

    /** The records {@code project}'s spool holds, oldest first. */
    private static List<JsonNode> spooled(Path project, String kind) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        if (!Files.isDirectory(project.resolve(".kiln/spool"))) {
            return out;
        }
        try (Stream<Path> s = Files.list(project.resolve(".kiln/spool"))) {
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

    @Test
    void aCsvVersionAddedCarriesTheRowsAddCountedIntoTheCache() throws Exception {
        Path project = dir.resolve("a");
        Files.createDirectories(project.resolve("data/weather"));
        // two records, one with a line break inside a quoted field
        Files.writeString(project.resolve("data/weather/2013.csv"), "date,note\n2013-01-01,\"rain,\nthen sun\"\n2013-01-02,dry\n");
        Files.writeString(project.resolve("data/weather/README.md"), "daily weather, Seattle\n");
        kiln(project, "data add data/weather");

        List<JsonNode> versions = spooled(project, "versions");
        assertEquals(1, versions.size(), versions.toString());
        assertEquals("weather", versions.get(0).get("dataset").asText());
        assertEquals(2, versions.get(0).get("files").asLong());
        assertTrue(versions.get(0).path("rows").isIntegralNumber(), "rows recorded: " + versions);
        assertEquals(2, versions.get(0).get("rows").asLong(), "the records of the CSV file, not its lines");
    }

    /** Alice adds a CSV dataset and its Parquet conversion and pushes both; what her records carry. */
    private Map<String, Long> alicePushes(Path alice, Path bob) throws Exception {
        kiln(alice, "data remote add team " + dir.resolve("remote"));
        kiln(bob, "data remote add team " + dir.resolve("remote"));
        Files.createDirectories(alice.resolve("data/weather"));
        Files.writeString(alice.resolve("data/weather/2012.csv"), "date,temp_max\n2012-01-01,12.8\n2012-01-02,10.6\n2012-01-03,11.7\n");
        kiln(alice, "parquet convert data/weather/2012.csv --to data/weather-parquet/2012.parquet");
        kiln(alice, "data add data/weather");
        kiln(alice, "data add data/weather-parquet");
        kiln(alice, "data push");
        Map<String, Long> pushed = new java.util.TreeMap<>();
        for (JsonNode v : spooled(alice, "versions")) {
            pushed.put(v.get("dataset").asText(), v.path("rows").asLong(-1));
        }
        return pushed;
    }

    /** Bob clones the project (its kiln.lock) and pulls with a cache of his own; the versions his records carry. */
    private Map<String, JsonNode> bobPulls(Path alice, Path bob) throws Exception {
        Files.copy(alice.resolve("kiln.lock"), bob.resolve("kiln.lock"));
        kiln(bob, "data pull");
        List<JsonNode> pulled = spooled(bob, "versions");
        Map<String, JsonNode> byDataset = new java.util.TreeMap<>();
        pulled.forEach(v -> byDataset.put(v.get("dataset").asText(), v));
        assertEquals(2, pulled.size(), pulled.toString());
        return byDataset;
    }

    @Test
    void aPushAndAColleaguesPullCarryTheRowsAddCounted() throws Exception {
        Path alice = dir.resolve("alice");
        Path bob = dir.resolve("bob");
        Map<String, Long> pushed = alicePushes(alice, bob);
        assertEquals(Map.of("weather", 3L, "weather-parquet", 3L), pushed, "as add counted them: " + spooled(alice, "versions"));

        Map<String, JsonNode> pulled = bobPulls(alice, bob);
        assertEquals(3, pulled.get("weather").path("rows").asLong(-1), "the CSV's rows from the index push sent: " + pulled);
        assertEquals(3, pulled.get("weather-parquet").path("rows").asLong(-1), pulled.toString());
    }

    @Test
    void aPullFromARemoteWithoutIndexesCountsParquetFootersButNotCsvFiles() throws Exception {
        Path alice = dir.resolve("alice");
        Path bob = dir.resolve("bob");
        alicePushes(alice, bob);
        // as a Kiln before indexes pushed it
        try (Stream<Path> s = Files.walk(dir.resolve("remote/indexes"))) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        Map<String, JsonNode> pulled = bobPulls(alice, bob);
        assertEquals(3, pulled.get("weather-parquet").path("rows").asLong(), "from the footer in bob's workspace: " + pulled);
        assertFalse(pulled.get("weather").has("rows"), "unknown rather than counted by reading the CSV: " + pulled);
    }
}
