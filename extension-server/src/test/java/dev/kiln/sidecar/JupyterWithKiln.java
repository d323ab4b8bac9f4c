package dev.kiln.sidecar;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A Jupyter server with the kiln_jupyter server extension, started for a test in a folder of its own:
 * the extension starts a sidecar (this test class path's) and serves it under /kiln/. The kernel's
 * tests use it too (this module's test jar).
 */
public final class JupyterWithKiln implements AutoCloseable {

    /** The Jupyter servers Kiln's extension runs on. */
    public enum Flavour {
        /** Debian's classic Notebook 6.4, the extension on PYTHONPATH and enabled by a config file. */
        NOTEBOOK("/usr/bin/python3", "notebook", "NotebookApp", "--NotebookApp.token=", "--NotebookApp.notebook_dir=",
                "jupyter_notebook_config.json", "{\"NotebookApp\": {\"nbserver_extensions\": {\"kiln_jupyter\": true}}}"),
        /** Debian's Jupyter Server 1.x, the extension on PYTHONPATH and enabled by a config file. */
        JUPYTER_SERVER_1("/usr/bin/python3", "jupyter_server", "ServerApp", "--ServerApp.token=", "--ServerApp.root_dir=",
                "jupyter_server_config.json", "{\"ServerApp\": {\"jpserver_extensions\": {\"kiln_jupyter\": true}}}"),
        /** Jupyter Server 2 in Kiln's JupyterLab environment, where Kiln's wheel is installed and enables itself. */
        JUPYTER_SERVER_2(null, "jupyter_server", "ServerApp", "--IdentityProvider.token=", "--ServerApp.root_dir=", null, null);

        final String python;
        final String module;
        final String app;
        final String tokenOption;
        final String rootOption;
        final String configFile;
        final String config;

        Flavour(String python, String module, String app, String tokenOption, String rootOption, String configFile, String config) {
            this.python = python;
            this.module = module;
            this.app = app;
            this.tokenOption = tokenOption;
            this.rootOption = rootOption;
            this.configFile = configFile;
            this.config = config;
        }
    }

    static final ObjectMapper JSON = new ObjectMapper();

    public final Flavour flavour;
    /** Jupyter's root folder, and where its configuration, runtime files and log go. */
    public final Path dir;
    final Path log;
    final Path info;
    /** Jupyter's runtime folder: its kernels' connection files. */
    public final Path runtime;
    public final URI base;
    public final String token;
    final Process process;

    private JupyterWithKiln(Flavour flavour, Path dir, URI base, String token, Process process) {
        this.flavour = flavour;
        this.dir = dir;
        this.log = dir.resolve("jupyter.log");
        this.info = dir.resolve("runtime/kiln/sidecar.json");
        this.runtime = dir.resolve("jupyter-runtime");
        this.base = base;
        this.token = token;
        this.process = process;
    }

    static JupyterWithKiln start(Flavour flavour, Path dir) throws Exception {
        return start(flavour, dir, Map.of());
    }

    /** Starts it with these variables added to Jupyter's environment (its kernels inherit them). */
    public static JupyterWithKiln start(Flavour flavour, Path dir, Map<String, String> extraEnv) throws Exception {
        Path config = Files.createDirectories(dir.resolve("config"));
        if (flavour.configFile != null) {
            Files.writeString(config.resolve(flavour.configFile), flavour.config);
        }
        String python = flavour.python != null ? flavour.python : LabVenv.shared().resolve("bin/python").toString();
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> sidecar = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-XX:TieredStopAtLevel=1", "-cp", SidecarProcess.classPath(), "dev.kiln.magics.cli.Main", "sidecar",
                "--db", dir.resolve("records.db").toString());
        URI base = URI.create("http://127.0.0.1:" + port + "/");
        String token = "jt-" + UUID.randomUUID();
        List<String> argv = new ArrayList<>(List.of(python, "-m", flavour.module, "--no-browser", "--ip=127.0.0.1",
                "--port=" + port, "--" + flavour.app + ".port_retries=0", "--allow-root", flavour.rootOption + dir,
                flavour.tokenOption + token));
        Path log = dir.resolve("jupyter.log");
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.put("JUPYTER_CONFIG_DIR", config.toString());
        env.put("JUPYTER_DATA_DIR", dir.resolve("data").toString());
        env.put("JUPYTER_RUNTIME_DIR", dir.resolve("jupyter-runtime").toString());
        env.put("HOME", dir.toString());
        if (flavour.python != null) {
            env.put("PYTHONPATH", Path.of(System.getProperty("kiln.repository"), "extension-server", "kiln-jupyter").toString());
        } else {
            env.remove("PYTHONPATH"); // Kiln's wheel, as pip installed it
        }
        env.put("KILN_SIDECAR_COMMAND", JSON.writeValueAsString(sidecar));
        env.put("KILN_SIDECAR_FILE", dir.resolve("runtime/kiln/sidecar.json").toString());
        env.remove("KILN_SIDECAR_URL");
        env.remove("KILN_SIDECAR_TOKEN");
        env.putAll(extraEnv);
        return new JupyterWithKiln(flavour, dir, base, token, pb.start());
    }

    /** A GET once Jupyter listens; the first request through /kiln/ also waits for the sidecar. */
    public HttpResponse<String> awaitGet(HttpClient client, URI uri) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("Jupyter exited:\n" + Files.readString(log));
            }
            try {
                return client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(80)).build(), HttpResponse.BodyHandlers.ofString());
            } catch (ConnectException e) {
                Thread.sleep(200); // Jupyter is not listening yet
            }
        }
        throw new AssertionError("Jupyter did not answer within 90 s:\n" + Files.readString(log));
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            List<ProcessHandle> started = process.descendants().toList();
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            started.forEach(ProcessHandle::destroyForcibly);
        }
    }
}
