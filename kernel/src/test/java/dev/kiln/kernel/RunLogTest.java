package dev.kiln.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.magics.core.Progress;
import dev.kiln.magics.core.Provenance;
import dev.kiln.magics.core.Result;
import dev.kiln.magics.core.Session;
import dev.kiln.sidecar.SidecarServer;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The run a kernel session records in the sidecar, cell by cell, from what its magics returned. */
class RunLogTest {

    static final String TOKEN = "run-log-test-token-0123456789abcdef";
    static final ObjectMapper JSON = new ObjectMapper();
    static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @TempDir
    Path tmp;

    @Test
    @Timeout(60)
    void everyMagicOfACellIsInTheRunNotOnlyTheLast() throws Exception {
        try (SidecarServer sidecar = SidecarServer.start(
                new SidecarServer.Options("127.0.0.1", 0, tmp.resolve("sidecar.db").toString(), TOKEN, 1 << 20))) {
            String url = "http://127.0.0.1:" + sidecar.port();
            Session session = new Session(tmp.resolve("project"), QUIET, QUIET, Progress.NONE, Map.of(
                    "KILN_SIDECAR_URL", url, "KILN_SIDECAR_TOKEN", TOKEN, "JPY_SESSION_NAME", "analysis.ipynb"), "kernel");
            RunLog log = RunLog.open(session, "session-1", QUIET);

            log.cellFinished(1, true, List.of(Result.ofText("a %help page: no provenance")));
            log.cellFinished(2, true, List.of(pulled("climate", "v1"), Result.of("", null, Provenance.of("maven").withReport(Map.of("maven", List.of("a:b:1")))),
                    pulled("rain", "v7"), Result.of("", null, Provenance.of("env snapshot").withSnapshot(new Provenance.Snapshot("env-1", null)))));
            // a front end's own query (Kiln's Lab panel runs %data status unstored) is no cell of the run
            log.cellFinished(2, false, List.of(pulled("asked-by-the-panel", "v9")));
            // a conversion used the version it read and the one it wrote
            log.cellFinished(3, true, List.of(Result.of("Converted", null, Provenance.of("parquet convert")
                    .withDatasets(List.of(Provenance.DatasetVersion.of("climate-parquet", "p1")))
                    .withLineage(List.of(Provenance.DatasetVersion.of("climate-raw", "r4"))))));
            log.endAndDeliver();

            JsonNode runs = get(url + "/api/runs?notebook=analysis.ipynb");
            for (int i = 0; i < 300 && runs.path(0).path("outputs").isEmpty(); i++) { // records are sent in the background
                Thread.sleep(100);
                runs = get(url + "/api/runs?notebook=analysis.ipynb");
            }
            assertEquals(1, runs.size(), runs.toPrettyString());
            JsonNode run = runs.get(0);
            assertEquals("session-1", run.get("session").asText());
            assertEquals("ended", run.get("status").asText(), "a clean shutdown ends the run");
            assertEquals("env-1", run.get("snapshot").asText());
            assertEquals(JSON.readTree("[{\"dataset\":\"climate\",\"version\":\"v1\"},{\"dataset\":\"rain\",\"version\":\"v7\"},"
                    + "{\"dataset\":\"climate-parquet\",\"version\":\"p1\"},{\"dataset\":\"climate-raw\",\"version\":\"r4\"}]"),
                    run.get("datasets"));
            assertEquals(JSON.readTree("[{\"cell\":2,\"kiln\":[\"data\",\"maven\",\"snapshot\"]},{\"cell\":3,\"kiln\":[\"command\",\"data\"]}]"),
                    run.get("outputs"),
                    "a cell without provenance adds no output");
        }
    }

    /** Magic cells that end while the kernel still starts wait for the run log, and are recorded in the order they ran. */
    @Test
    @Timeout(60)
    void cellsThatEndBeforeTheRunLogOpensAreRecordedInTheOrderTheyRan() throws Exception {
        try (SidecarServer sidecar = SidecarServer.start(
                new SidecarServer.Options("127.0.0.1", 0, tmp.resolve("sidecar.db").toString(), TOKEN, 1 << 20))) {
            String url = "http://127.0.0.1:" + sidecar.port();
            Session session = new Session(tmp.resolve("project"), QUIET, QUIET, Progress.NONE, Map.of(
                    "KILN_SIDECAR_URL", url, "KILN_SIDECAR_TOKEN", TOKEN, "JPY_SESSION_NAME", "early.ipynb"), "kernel");
            PendingRunLog pending = new PendingRunLog();
            for (int cell = 1; cell <= 4; cell++) {
                pending.cellFinished(cell, true, List.of(pulled("d" + cell, "v" + cell)));
            }
            pending.open(RunLog.open(session, "session-early", QUIET));
            pending.now().endAndDeliver();

            JsonNode runs = get(url + "/api/runs?notebook=early.ipynb");
            for (int i = 0; i < 300 && runs.path(0).path("outputs").size() < 4; i++) { // records are sent in the background
                Thread.sleep(100);
                runs = get(url + "/api/runs?notebook=early.ipynb");
            }
            List<Integer> cells = new java.util.ArrayList<>();
            runs.path(0).path("outputs").forEach(o -> cells.add(o.path("cell").asInt()));
            assertEquals(List.of(1, 2, 3, 4), cells, runs.toPrettyString());
            List<String> datasets = new java.util.ArrayList<>();
            runs.path(0).path("datasets").forEach(d -> datasets.add(d.path("dataset").asText()));
            assertEquals(List.of("d1", "d2", "d3", "d4"), datasets);
        }
    }

    /** What {@code %data pull DATASET@VERSION} returns, as far as the run log reads it. */
    private static Result pulled(String dataset, String version) {
        return Result.of("Pulled " + dataset + "@" + version, null,
                Provenance.of("data pull").withDatasets(List.of(Provenance.DatasetVersion.of(dataset, version))));
    }

    private static JsonNode get(String url) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }
}
