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
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jupyter (Debian's Notebook 6.4, and Jupyter Server 1.x) with the kiln_jupyter server extension: it starts the sidecar,
 * kernels find it through KILN_SIDECAR_FILE, and its pages appear under Jupyter's URL and login.
 */
class JupyterExtensionTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** Debian's two Jupyter servers: Notebook 6.4 and Jupyter Server 1.x (what JupyterLab runs on). */
    enum Flavour {
        NOTEBOOK("notebook", "NotebookApp", "jupyter_notebook_config.json", "{\"NotebookApp\": {\"nbserver_extensions\": {\"kiln_jupyter\": true}}}"),
        JUPYTER_SERVER("jupyter_server", "ServerApp", "jupyter_server_config.json", "{\"ServerApp\": {\"jpserver_extensions\": {\"kiln_jupyter\": true}}}");

        final String module;
        final String app;
        final String configFile;
        final String config;

        Flavour(String module, String app, String configFile, String config) {
            this.module = module;
            this.app = app;
            this.configFile = configFile;
            this.config = config;
        }
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void jupyterStartsTheSidecarAndServesItsHistoryUnderItsOwnUrlAndLogin(Flavour flavour) throws Exception {
        Path config = dir.resolve("config");
        Files.createDirectories(config);
        Files.writeString(config.resolve(flavour.configFile), flavour.config);
        Path info = dir.resolve("runtime/kiln/sidecar.json");
        String jupyterToken = "jt-" + UUID.randomUUID();
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> sidecar = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-XX:TieredStopAtLevel=1", "-cp", SidecarProcess.classPath(), "dev.kiln.magics.cli.Main", "sidecar",
                "--db", dir.resolve("records.db").toString());
        ProcessBuilder pb = new ProcessBuilder("/usr/bin/python3", "-m", flavour.module, "--no-browser", "--ip=127.0.0.1",
                "--port=" + port, "--" + flavour.app + ".port_retries=0", "--" + flavour.app + ".token=" + jupyterToken,
                "--allow-root", "--" + flavour.app + (flavour == Flavour.NOTEBOOK ? ".notebook_dir=" : ".root_dir=") + dir)
                .redirectErrorStream(true).redirectOutput(dir.resolve("jupyter.log").toFile());
        Map<String, String> env = pb.environment();
        env.put("JUPYTER_CONFIG_DIR", config.toString());
        env.put("JUPYTER_DATA_DIR", dir.resolve("data").toString());
        env.put("JUPYTER_RUNTIME_DIR", dir.resolve("jupyter-runtime").toString());
        env.put("HOME", dir.toString());
        env.put("PYTHONPATH", System.getProperty("kiln.python.dir"));
        env.put("KILN_SIDECAR_COMMAND", JSON.writeValueAsString(sidecar));
        env.put("KILN_SIDECAR_FILE", info.toString());
        env.remove("KILN_SIDECAR_URL");
        env.remove("KILN_SIDECAR_TOKEN");
        Process jupyter = pb.start();
        try {
            URI base = URI.create("http://127.0.0.1:" + port + "/");
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            // the history page through Jupyter, with Jupyter's token; the first request waits for the sidecar
            HttpResponse<String> empty = awaitJupyter(client, base.resolve("kiln/?token=" + jupyterToken), jupyter);
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
            assertTrue(page.body().contains("src=\"/kiln/datasets/climate/chart.png\""), "links stay under Jupyter's URL");
            assertTrue(page.body().contains("href=\"/kiln/notebook?path=climate.ipynb\""), page.body());
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
            jupyter.destroy(); // SIGTERM, as Ctrl-C would
            assertTrue(jupyter.waitFor(60, TimeUnit.SECONDS), "Jupyter stops");
            sidecarProcess.onExit().get(60, TimeUnit.SECONDS);
            assertFalse(sidecarProcess.isAlive(), "the sidecar Jupyter started stops with it");
            String log = Files.readString(dir.resolve("jupyter.log"));
            assertTrue(log.contains("Kiln: started the sidecar"), log);
            assertFalse(log.contains(endpoint.token()), "the sidecar's token is in no log");
        } finally {
            if (jupyter.isAlive()) {
                jupyter.destroyForcibly();
            }
        }
    }

    private HttpResponse<String> awaitJupyter(HttpClient client, URI uri, Process jupyter) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (!jupyter.isAlive()) {
                throw new AssertionError("Jupyter exited:\n" + Files.readString(dir.resolve("jupyter.log")));
            }
            try {
                return client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(80)).build(), HttpResponse.BodyHandlers.ofString());
            } catch (ConnectException e) {
                Thread.sleep(200); // Jupyter is not listening yet
            }
        }
        throw new AssertionError("Jupyter did not answer within 90 s:\n" + Files.readString(dir.resolve("jupyter.log")));
    }
}
