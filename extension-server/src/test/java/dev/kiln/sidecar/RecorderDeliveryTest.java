package dev.kiln.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.magics.record.Recorder;
import dev.kiln.magics.record.SidecarClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernel's side: records go to the sidecar in the background, wait on disk while it is down
 * (even killed mid-stream) and arrive after it restarts, none lost and none twice.
 */
class RecorderDeliveryTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    Map<String, String> env(Path info) {
        return Map.of("KILN_SIDECAR_FILE", info.toString(), "HOME", dir.toString());
    }

    @Test
    void recordsSpooledWhileTheSidecarIsKilledArriveAfterItRestarts() throws Exception {
        Path info = dir.resolve("run/sidecar.json");
        Path db = dir.resolve("records.db");
        Path project = dir.resolve("project");
        int total = 600;
        int killAt = 200;
        try (SidecarProcess first = SidecarProcess.start(info, Map.of(), "--db", db.toString());
             Recorder recorder = new Recorder(project, SidecarClient.forEnvironment(env(info)), System.err)) {
            for (int i = 0; i < total; i++) {
                if (i == killAt) {
                    first.kill(); // mid-stream: some records sent, some in flight, some not yet made
                }
                recorder.recordSnapshot(snapshot(i));
                if (i % 3 == 0) {
                    recorder.recordRun(Map.of("id", "run-" + i, "notebook", "kill.ipynb", "start", "2024-05-01T10:00:00Z",
                            "snapshot", "snap-" + i));
                }
            }
            assertTrue(recorder.pending() > 0, "with the sidecar dead, records wait on disk");
            assertTrue(Files.list(project.resolve(".kiln/spool")).anyMatch(p -> p.toString().endsWith(".snapshots.json")));

            try (SidecarProcess second = SidecarProcess.start(info, Map.of(), "--db", db.toString())) {
                assertTrue(recorder.flush(Duration.ofSeconds(120)), "everything delivered once the sidecar is back");
                assertEquals(0, recorder.pending());
                JsonNode snaps = JSON.readTree(second.http().get("/api/snapshots?notebook=kill.ipynb&limit=10000").body());
                Set<String> ids = new HashSet<>();
                snaps.forEach(s -> ids.add(s.get("id").asText()));
                assertEquals(total, snaps.size(), "no record lost, none twice");
                assertEquals(total, ids.size());
                JsonNode runs = JSON.readTree(second.http().get("/api/runs?notebook=kill.ipynb&limit=10000").body());
                assertEquals(total / 3, runs.size());
                assertFalse(Files.exists(project.resolve(".kiln/spool/rejected")), "nothing refused");
                assertFalse(second.output().contains(second.endpoint.token()), "the token is not in the sidecar's output");
            }
        }
    }

    @Test
    void recordsLeftByAnEarlierSessionGoOutWhenARecorderStarts() throws Exception {
        Path info = dir.resolve("sidecar.json");
        Path project = dir.resolve("project");
        try (Recorder offline = new Recorder(project, SidecarClient.forEnvironment(env(info)), System.err)) {
            for (int i = 0; i < 5; i++) {
                offline.recordVersion(Map.of("dataset", "climate", "id", "v" + i, "size", 100 * (i + 1), "files", 1,
                        "time", "2024-05-0" + (i + 1) + "T00:00:00Z", "lineage", List.of()));
            }
            assertEquals(5, offline.pending());
        }
        try (SidecarProcess sidecar = SidecarProcess.start(info, Map.of(), "--db", dir.resolve("db").toString());
             Recorder next = new Recorder(project, SidecarClient.forEnvironment(env(info)), System.err)) {
            assertTrue(next.flush(Duration.ofSeconds(60)));
            JsonNode versions = JSON.readTree(sidecar.http().get("/api/datasets/climate/versions").body());
            assertEquals(5, versions.size());
            assertEquals("v0", versions.get(0).get("id").asText(), "delivered oldest first");
        }
    }

    @Test
    void aRecordTheSidecarRefusesIsSetAsideWithItsReasonAndTheRestStillArrive() throws Exception {
        Path info = dir.resolve("sidecar.json");
        Path project = dir.resolve("project");
        ByteArrayOutputStream warnings = new ByteArrayOutputStream();
        try (SidecarProcess sidecar = SidecarProcess.start(info, Map.of(), "--db", dir.resolve("db").toString());
             Recorder recorder = new Recorder(project, SidecarClient.forEnvironment(env(info)), new PrintStream(warnings, true))) {
            recorder.recordRun(Map.of("id", "r1", "notebook", "n.ipynb", "start", "not a time"));
            recorder.recordSnapshot(Map.of("id", "after-the-bad-one"));
            assertTrue(recorder.flush(Duration.ofSeconds(60)));
            assertEquals(200, sidecar.http().get("/api/snapshots/after-the-bad-one").status());
            try (Stream<Path> rejected = Files.list(project.resolve(".kiln/spool/rejected"))) {
                List<Path> files = rejected.toList();
                assertEquals(2, files.size(), files.toString()); // the record and its reason
                Path reason = files.stream().filter(p -> p.toString().endsWith(".reason.txt")).findFirst().orElseThrow();
                assertTrue(Files.readString(reason).contains("HTTP 400") && Files.readString(reason).contains("start"), Files.readString(reason));
            }
            assertTrue(warnings.toString().contains("refused"), warnings.toString());
        }
    }

    private static Map<String, Object> snapshot(int i) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("id", "snap-" + i);
        s.put("notebook", "kill.ipynb");
        s.put("time", "2024-05-01T10:00:00Z");
        s.put("java", Map.of("version", "17.0.15", "vendor", "Debian"));
        s.put("n", i);
        return s;
    }
}
