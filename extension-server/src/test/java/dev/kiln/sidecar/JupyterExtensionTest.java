package dev.kiln.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.magics.record.Recorder;
import dev.kiln.magics.record.SidecarClient;
import dev.kiln.magics.record.SidecarEndpoint;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jupyter (Debian's Notebook 6.4 and Jupyter Server 1.x, and Jupyter Server 2 from Kiln's JupyterLab
 * environment) with the kiln_jupyter server extension: it starts the sidecar, kernels find it
 * through KILN_SIDECAR_FILE, and its pages appear under Jupyter's URL and login.
 */
class JupyterExtensionTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(JupyterWithKiln.Flavour.class)
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void jupyterStartsTheSidecarAndServesItsHistoryUnderItsOwnUrlAndLogin(JupyterWithKiln.Flavour flavour) throws Exception {
        try (JupyterWithKiln jupyter = JupyterWithKiln.start(flavour, dir)) {
            URI base = jupyter.base;
            String jupyterToken = jupyter.token;
            Path info = jupyter.info;
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            // the history page through Jupyter, with Jupyter's token; the first request waits for the sidecar
            HttpResponse<String> empty = jupyter.awaitGet(client, base.resolve("kiln/?token=" + jupyterToken));
            assertEquals(200, empty.statusCode(), empty.body());
            assertTrue(empty.body().contains("<h1>Kiln history</h1>"), empty.body());

            // a kernel of this Jupyter finds the sidecar by itself and records through it
            SidecarEndpoint endpoint = SidecarEndpoint.read(info).orElseThrow();
            assertEquals("127.0.0.1", endpoint.url().getHost());
            try (Recorder recorder = new Recorder(dir.resolve("project"),
                    SidecarClient.forEnvironment(Map.of("KILN_SIDECAR_FILE", info.toString())), System.err)) {
                recorder.recordVersion(Map.of("dataset", "climate", "id", "v1", "size", 2048, "files", 2, "rows", 10,
                        "time", "2024-05-01T00:00:00Z", "lineage", List.of()));
                recorder.recordVersion(Map.of("dataset", "climate", "id", "v2", "parent", "v1", "size", 4096, "files", 2, "rows", 25,
                        "time", "2024-05-02T00:00:00Z", "lineage", List.of()));
                recorder.recordRun(Map.of("id", "run-1", "notebook", "climate.ipynb", "start", "2024-05-02T01:00:00Z",
                        "datasets", List.of(Map.of("dataset", "climate", "version", "v2"))));
                assertTrue(recorder.flush(Duration.ofSeconds(60)));
            }

            HttpResponse<String> page = client.send(HttpRequest.newBuilder(base.resolve("kiln/datasets/climate?token=" + jupyterToken)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode(), page.body());
            assertTrue(page.body().contains("<h1>Dataset climate</h1>"), page.body());
            String project = SidecarApiContract.enc(dir.resolve("project").toRealPath().toString());
            assertTrue(page.body().contains("src=\"/kiln/datasets/climate/chart.png?project=" + project + "\""), "links stay under Jupyter's URL");
            assertTrue(page.body().contains("href=\"/kiln/notebook?path=climate.ipynb&amp;project=" + project + "\""), page.body());
            assertFalse(page.body().contains(endpoint.token()), "the sidecar's token never reaches the browser");

            HttpResponse<byte[]> chart = client.send(HttpRequest.newBuilder(base.resolve("kiln/datasets/climate/chart.png?token=" + jupyterToken)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, chart.statusCode());
            assertEquals("image/png", chart.headers().firstValue("Content-Type").orElseThrow());

            HttpResponse<String> api = client.send(HttpRequest.newBuilder(base.resolve("kiln/api/runs?notebook=climate.ipynb&token=" + jupyterToken)).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode runs = JSON.readTree(api.body());
            assertEquals("run-1", runs.get(0).get("id").asText());

            HttpResponse<String> anonymous = client.send(HttpRequest.newBuilder(base.resolve("kiln/datasets/climate")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertNotEquals(200, anonymous.statusCode(), "Jupyter's login guards the sidecar's pages");
            assertFalse(anonymous.body().contains("Dataset climate"));
            HttpResponse<String> wrong = client.send(HttpRequest.newBuilder(base.resolve("kiln/datasets/climate?token=wrong")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertFalse(wrong.body().contains("Dataset climate"));

            long sidecarPid = JSON.readTree(Files.readString(info)).get("pid").asLong();
            ProcessHandle sidecarProcess = ProcessHandle.of(sidecarPid).orElseThrow();
            jupyter.process.destroy(); // SIGTERM, as Ctrl-C would
            assertTrue(jupyter.process.waitFor(60, TimeUnit.SECONDS), "Jupyter stops");
            sidecarProcess.onExit().get(60, TimeUnit.SECONDS);
            assertFalse(sidecarProcess.isAlive(), "the sidecar Jupyter started stops with it");
            String log = jupyter.log();
            assertTrue(log.contains("Kiln: started the sidecar"), log);
            assertFalse(log.contains(endpoint.token()), "the sidecar's token is in no log");
        }
    }
}
