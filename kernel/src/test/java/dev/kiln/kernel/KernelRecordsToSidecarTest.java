package dev.kiln.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.sidecar.SidecarServer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The kernel finds the sidecar by itself and records its run and the snapshots its cells take. */
class KernelRecordsToSidecarTest {

    static final String TOKEN = "kernel-test-token-0123456789abcdef";
    static final ObjectMapper JSON = new ObjectMapper();
    static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    static final String GITHUB_TOKEN = "ghp_16C7e42F292c6912E7710c838347Ae178B4a";

    @TempDir
    Path tmp;

    @Test
    void aNotebooksRunAndSnapshotReachTheSidecar() throws Exception {
        try (SidecarServer sidecar = SidecarServer.start(
                new SidecarServer.Options("127.0.0.1", 0, tmp.resolve("sidecar.db").toString(), TOKEN, 1 << 20))) {
            Path project = Files.createDirectories(tmp.resolve("project"));
            ObjectNode nb = JSON.createObjectNode();
            nb.put("nbformat", 4).put("nbformat_minor", 5);
            nb.putObject("metadata").putObject("kernelspec").put("name", "kiln").put("display_name", "Java 17 (Kiln)").put("language", "java");
            ArrayNode cells = nb.putArray("cells");
            // the same environment snapshotted twice: the second is the same record seen later, not a conflict
            for (String source : new String[] {"%env snapshot", "1 + 1", "%env snapshot"}) {
                ObjectNode c = cells.addObject();
                c.put("cell_type", "code").put("source", source).putObject("metadata");
                c.putArray("outputs");
                c.putNull("execution_count");
            }
            Path in = tmp.resolve("analysis.ipynb");
            Path out = tmp.resolve("executed.ipynb");
            JSON.writeValue(in.toFile(), nb);

            String url = "http://127.0.0.1:" + sidecar.port();
            new PythonTests(tmp).pytest(Path.of("src/test/python/test_execute_given_notebook.py"), Map.of(
                    "KILN_NOTEBOOK_IN", in.toString(), "KILN_NOTEBOOK_OUT", out.toString(),
                    "KILN_NOTEBOOK_CWD", project.toString(), "JPY_SESSION_NAME", "analysis.ipynb",
                    "KILN_SIDECAR_URL", url, "KILN_SIDECAR_TOKEN", TOKEN,
                    "KILN_CACHE_DIR", tmp.resolve("cache").toString(),
                    // real-looking secrets in the kernel's environment must never reach the sidecar
                    "AWS_SECRET_ACCESS_KEY", SECRET, "GITHUB_TOKEN", GITHUB_TOKEN));

            JsonNode executed = JSON.readTree(out.toFile());
            String snapshotId = executed.at("/cells/0/outputs/0/metadata/kiln/snapshot/id").asText();
            assertEquals(64, snapshotId.length(), executed.toPrettyString());
            assertEquals(snapshotId, executed.at("/cells/2/outputs/0/metadata/kiln/snapshot/id").asText(), "the same environment again");

            String notebook = URLEncoder.encode("analysis.ipynb", StandardCharsets.UTF_8);
            JsonNode snapshots = poll(url + "/api/snapshots?notebook=" + notebook, n -> n.toString().contains(snapshotId));
            assertTrue(snapshots.toString().contains(snapshotId), snapshots.toString());
            JsonNode runs = poll(url + "/api/runs?notebook=" + notebook, n -> n.toString().contains(snapshotId));
            assertTrue(runs.toString().contains("\"snapshot\":\"" + snapshotId + "\""), runs.toString());
            String stored = get(url + "/api/snapshots/" + snapshotId).toString();
            assertTrue(stored.contains("AWS_SECRET_ACCESS_KEY"), "the variable is recorded by name: " + stored);
            assertTrue(!stored.contains(SECRET) && !stored.contains(GITHUB_TOKEN), "never by value");
            assertTrue(!Files.readString(out).contains(SECRET), "nor in the notebook's outputs");
            assertTrue(!Files.exists(project.resolve(".kiln/spool")) || Files.list(project.resolve(".kiln/spool"))
                    .noneMatch(p -> p.toString().endsWith(".json")), "everything was delivered, nothing left spooled");
            assertTrue(!Files.exists(project.resolve(".kiln/spool/rejected")), "nothing set aside as refused");
            assertEquals(1, snapshots.size(), "the snapshot is kept once: " + snapshots);
        }
    }

    @Test
    @Timeout(600)
    void aKilledKernelsRunIsLostAndACleanlyShutDownKernelsRunEnded() throws Exception {
        Duration lostAfter = Duration.ofSeconds(3);
        try (SidecarServer sidecar = SidecarServer.start(new SidecarServer.Options("127.0.0.1", 0,
                tmp.resolve("sidecar.db").toString(), TOKEN, 1 << 20, lostAfter))) {
            Path project = Files.createDirectories(tmp.resolve("states"));
            String url = "http://127.0.0.1:" + sidecar.port();
            String report = new PythonTests(tmp).pytest(Path.of("src/test/python/test_run_states.py"), Map.of(
                    "KILN_SIDECAR_URL", url, "KILN_SIDECAR_TOKEN", TOKEN, "KILN_PROJECT", project.toString(),
                    "KILN_EXPECTED_PROJECT", project.toRealPath().toString(), "KILN_HEARTBEAT_SECONDS", "1",
                    "KILN_LOST_AFTER", String.valueOf(lostAfter.toSeconds()), "KILN_CACHE_DIR", tmp.resolve("cache").toString()));
            assertTrue(report.contains("2 passed"), report);

            JsonNode runs = get(url + "/api/runs?project=" + URLEncoder.encode(project.toRealPath().toString(), StandardCharsets.UTF_8));
            assertEquals(2, runs.size(), runs.toString());
            java.util.List<String> states = new java.util.ArrayList<>();
            runs.forEach(r -> states.add(r.get("status").asText()));
            java.util.Collections.sort(states);
            assertEquals(java.util.List.of("ended", "lost"), states, "one run per kernel, each as its kernel went");
            String page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "/notebook?path="
                            + URLEncoder.encode(runs.get(0).get("notebook").asText(), StandardCharsets.UTF_8)))
                    .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(page.contains("<span class=\"lost\"") && page.contains("<span class=\"ended\""), "the page shows both: " + page);
        }
    }

    private static JsonNode get(String url) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    /** GETs {@code url} until {@code done} holds (records arrive asynchronously), at most 30 s. */
    private static JsonNode poll(String url, java.util.function.Predicate<JsonNode> done) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        JsonNode last = null;
        for (int i = 0; i < 300; i++) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url))
                    .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            last = JSON.readTree(r.body());
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(100);
        }
        return last;
    }
}
