package dev.kiln.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.magics.record.Recorder;
import dev.kiln.magics.record.SidecarClient;
import dev.kiln.magics.record.SidecarEndpoint;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
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

    @Test
    @Timeout(120)
    void aSidecarThatAnswers404IsAskedAgainLaterAndTheRecordIsNotSetAside() throws Exception {
        Path info = dir.resolve("sidecar.json");
        Path pointed = dir.resolve("pointed/sidecar.json");
        Path project = dir.resolve("project");
        try (SidecarProcess sidecar = SidecarProcess.start(info, Map.of(), "--db", dir.resolve("db").toString());
             Recorder recorder = new Recorder(project, SidecarClient.forEnvironment(env(pointed)), System.err)) {
            // a sidecar that answers 404 for the API, as one does for a moment while it starts
            SidecarEndpoint notYet = new SidecarEndpoint(sidecar.endpoint.url().resolve("starting/"), sidecar.endpoint.token());
            notYet.write(pointed, 1);
            assertEquals(404, new Http(notYet.url(), notYet.token()).post("/api/snapshots", "{\"id\":\"probe\"}").status());

            recorder.recordSnapshot(Map.of("id", "sent-into-a-404"));
            assertFalse(recorder.flush(Duration.ofSeconds(2)));
            assertEquals(1, recorder.pending(), "still waiting");
            assertFalse(Files.exists(project.resolve(".kiln/spool/rejected")), "not set aside");

            sidecar.endpoint.write(pointed, 1); // the sidecar is ready
            assertTrue(recorder.flush(Duration.ofSeconds(60)));
            assertEquals(200, sidecar.http().get("/api/snapshots/sent-into-a-404").status());
        }
    }

    @Test
    @Timeout(120)
    void aRecordLargerThanTheSidecarTakesIsSetAsideWithItsReasonAndHoldsUpNothing() throws Exception {
        Path info = dir.resolve("sidecar.json");
        Path project = dir.resolve("project");
        try (SidecarProcess sidecar = SidecarProcess.start(info, Map.of(), "--db", dir.resolve("db").toString(), "--max-body", "65536");
             Recorder recorder = new Recorder(project, SidecarClient.forEnvironment(env(info)), System.err)) {
            recorder.recordSnapshot(Map.of("id", "too-large", "jars", "x".repeat(4 << 20)));
            recorder.recordSnapshot(Map.of("id", "after-the-large-one"));
            assertTrue(recorder.flush(Duration.ofSeconds(60)));
            assertEquals(200, sidecar.http().get("/api/snapshots/after-the-large-one").status());
            try (Stream<Path> rejected = Files.list(project.resolve(".kiln/spool/rejected"))) {
                Path reason = rejected.filter(p -> p.toString().endsWith(".reason.txt")).findFirst().orElseThrow();
                assertTrue(Files.readString(reason).startsWith("HTTP 413"), Files.readString(reason));
            }
        }
    }

    @Test
    @Timeout(120)
    void aWaitingRecordThatCannotBeReadStaysWhereItIsAndHoldsUpNothing() throws Exception {
        Path info = dir.resolve("sidecar.json");
        Path project = dir.resolve("project");
        // not readable as a file (as one another user left would not be), oldest in the spool
        Path odd = Files.createDirectories(project.resolve(".kiln/spool/0000000000001-1-000000001.snapshots.json"));
        ByteArrayOutputStream warnings = new ByteArrayOutputStream();
        try (SidecarProcess sidecar = SidecarProcess.start(info, Map.of(), "--db", dir.resolve("db").toString());
             Recorder recorder = new Recorder(project, SidecarClient.forEnvironment(env(info)), new PrintStream(warnings, true))) {
            recorder.recordSnapshot(Map.of("id", "behind-the-unreadable-one"));
            assertTrue(recorder.flush(Duration.ofSeconds(30)));
            assertEquals(200, sidecar.http().get("/api/snapshots/behind-the-unreadable-one").status());
            assertTrue(Files.isDirectory(odd), "left where it is");
            assertEquals(1, warnings.toString().lines().filter(l -> l.contains(odd.getFileName().toString())).count(),
                    "said once: " + warnings);
        }
    }

    @Test
    @Timeout(120)
    void aSpoolFileOfAKindTheSidecarDoesNotTakeIsSetAsideAndHoldsUpNothing() throws Exception {
        Path info = dir.resolve("sidecar.json");
        Path project = dir.resolve("project");
        Path spool = Files.createDirectories(project.resolve(".kiln/spool"));
        // left by another tool or a newer Kiln, oldest in the spool
        Files.writeString(spool.resolve("0000000000001-1-000000001.bookmarks.json"), "{\"id\":\"b1\"}");
        try (SidecarProcess sidecar = SidecarProcess.start(info, Map.of(), "--db", dir.resolve("db").toString());
             Recorder recorder = new Recorder(project, SidecarClient.forEnvironment(env(info)), System.err)) {
            recorder.recordSnapshot(Map.of("id", "behind-the-odd-one"));
            assertTrue(recorder.flush(Duration.ofSeconds(30)));
            assertEquals(200, sidecar.http().get("/api/snapshots/behind-the-odd-one").status());
            assertTrue(Files.exists(spool.resolve("rejected/0000000000001-1-000000001.bookmarks.json")), "kept aside, not lost");
        }
    }

    /**
     * Three producers record while the sidecar is killed or stopped and started again, three times,
     * on the same port (as a kernel pointed at it by KILN_SIDECAR_URL sees it): every record arrives,
     * each once, and none is set aside.
     */
    @Test
    @Timeout(600)
    void everyRecordOfThousandsArrivesExactlyOnceAcrossThreeRestartsOnOnePort() throws Exception {
        int port = SidecarCommandTest.freePort();
        String token = "restart-token-0123456789abcdef";
        Map<String, String> sidecarEnv = Map.of("KILN_SIDECAR_TOKEN", token);
        Map<String, String> clientEnv = Map.of("KILN_SIDECAR_URL", "http://127.0.0.1:" + port + "/", "KILN_SIDECAR_TOKEN", token,
                "HOME", dir.toString());
        String[] args = {"--port", String.valueOf(port), "--db", dir.resolve("records.db").toString()};
        Path info = dir.resolve("sidecar.json");
        int producers = 3;
        List<Recorder> recorders = new ArrayList<>();
        Set<String> made = ConcurrentHashMap.newKeySet();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        SidecarProcess sidecar = SidecarProcess.start(info, sidecarEnv, args);
        try {
            for (int p = 0; p < producers; p++) {
                Recorder r = new Recorder(dir.resolve("project-" + p), SidecarClient.forEnvironment(clientEnv), System.err);
                recorders.add(r);
                int producer = p;
                Thread t = new Thread(() -> {
                    // at most 3,000 each: the API lists at most 10,000, and a loaded machine restarts the
                    // sidecar slowly while the producers go on (CI made 12,648 and read back the first 10,000)
                    for (int i = 0; !stop.get() && i < 3_000; i++) {
                        Map<String, Object> s = snapshot(i);
                        s.put("id", "load-" + producer + "-" + i);
                        s.put("notebook", "load.ipynb");
                        r.recordSnapshot(s);
                        made.add((String) s.get("id"));
                        try {
                            Thread.sleep(3);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }, "producer-" + p);
                t.start();
                threads.add(t);
            }
            for (int restart = 0; restart < 3; restart++) {
                Thread.sleep(1_500);
                if (restart == 1) {
                    sidecar.stop(); // SIGTERM, as Ctrl-C or Jupyter stops it
                } else {
                    sidecar.kill(); // SIGKILL: requests cut off mid-way
                }
                sidecar.close();
                sidecar = SidecarProcess.start(info, sidecarEnv, args);
            }
            Thread.sleep(1_500);
            stop.set(true);
            for (Thread t : threads) {
                t.join(30_000);
            }
            for (Recorder r : recorders) {
                assertTrue(r.flush(Duration.ofSeconds(240)), "delivered once the load is over");
            }
            assertTrue(made.size() >= 2_000, "a few thousand records: " + made.size());
            JsonNode snaps = JSON.readTree(sidecar.http().get("/api/snapshots?notebook=load.ipynb&limit=10000").body());
            List<String> arrived = new ArrayList<>();
            snaps.forEach(n -> arrived.add(n.get("id").asText()));
            assertEquals(made.size(), arrived.size(), "none lost, none twice");
            assertEquals(made, new HashSet<>(arrived));
            for (int p = 0; p < producers; p++) {
                assertFalse(Files.exists(dir.resolve("project-" + p + "/.kiln/spool/rejected")), "nothing set aside");
            }
        } finally {
            stop.set(true);
            for (Recorder r : recorders) {
                r.close();
            }
            sidecar.close();
        }
    }

    @Test
    @Timeout(120)
    void theSidecarDeliversWhatWaitsInTheProjectsItIsGiven() throws Exception {
        Path project = dir.resolve("project");
        try (Recorder offline = new Recorder(project, SidecarClient.forEnvironment(env(dir.resolve("none/sidecar.json"))), System.err)) {
            for (int i = 0; i < 3; i++) {
                offline.recordVersion(Map.of("dataset", "climate", "id", "v" + i, "size", 10 * (i + 1), "files", 1,
                        "time", "2024-05-0" + (i + 1) + "T00:00:00Z", "lineage", List.of()));
            }
        }
        assertEquals(3, Recorder.pendingIn(project));
        try (SidecarProcess sidecar = SidecarProcess.start(dir.resolve("sidecar.json"), Map.of(), "--db", dir.resolve("db").toString(),
                "--project", project.toString())) {
            JsonNode versions = poll(sidecar, "/api/datasets/climate/versions", n -> n.size() == 3);
            assertEquals("v0", versions.get(0).get("id").asText());
            assertEquals(0, Recorder.pendingIn(project), "taken from the spool");
        }
    }

    /** GETs {@code path} until {@code done} holds: the sidecar delivers spools in the background. */
    static JsonNode poll(SidecarProcess sidecar, String path, java.util.function.Predicate<JsonNode> done) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            Http.Response r = sidecar.http().get(path);
            JsonNode n = r.status() == 200 ? JSON.readTree(r.body()) : null;
            if (n != null && done.test(n)) {
                return n;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not there within 60 s: " + path + " answered " + r.status() + " " + r.body());
            }
            Thread.sleep(100);
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
