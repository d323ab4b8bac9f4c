package dev.kiln.kernel.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kiln lab} serves JupyterLab 4 from Kiln's own environment (scripts/lab-venv) on 127.0.0.1
 * behind a token, with the Kiln kernel, Kiln's Lab extension and the sidecar under /kiln/.
 */
@Timeout(value = 30, unit = TimeUnit.MINUTES)
class LabCommandTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Pattern PRINTED = Pattern.compile("Kiln Lab: (http://127\\.0\\.0\\.1:(\\d+)/)lab\\?token=([0-9a-f]{48})");

    @TempDir
    static Path tmp;

    static Process lab;
    /** Everything kiln lab printed (stdout and stderr), as it comes. */
    static final StringBuffer transcript = new StringBuffer();
    static String base;
    static String token;
    static HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void startKilnLab() throws Exception {
        Path config = Files.createDirectories(tmp.resolve("config"));
        // window.jupyterapp, for the browser test to reach Lab's commands
        Files.writeString(config.resolve("jupyter_server_config.json"), "{\"LabApp\": {\"expose_app_in_browser\": true}}");
        lab = kilnLab(tmp, List.of());
        BufferedReader out = new BufferedReader(new InputStreamReader(lab.getInputStream(), StandardCharsets.UTF_8));
        Matcher m = awaitPrinted(out, PRINTED, transcript);
        base = m.group(1);
        token = m.group(3);
        assertTrue(Files.isRegularFile(tmp.resolve("xdg/jupyter/kernels/kiln/kernel.json")), "kernelspec installed for the user");
        awaitListening(lab, base + "api/status");
    }

    /** {@code kiln lab ARGS} in its own folders under {@code home}, on Kiln's JupyterLab environment. */
    static Process kilnLab(Path home, List<String> args) throws Exception {
        Path venv = LabVenvScript.sharedVenv();
        Path notebooks = Files.createDirectories(home.resolve("notebooks"));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> argv = new java.util.ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-cp", System.getProperty("java.class.path"), "dev.kiln.magics.cli.Main",
                "lab", "--port", String.valueOf(port), "--notebook-dir", notebooks.toString()));
        argv.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
        pb.environment().put("KILN_LAB_VENV", venv.toString());
        pb.environment().put("XDG_DATA_HOME", home.resolve("xdg").toString());
        pb.environment().put("JUPYTER_RUNTIME_DIR", home.resolve("runtime").toString());
        pb.environment().put("JUPYTER_CONFIG_DIR", home.resolve("config").toString());
        pb.environment().put("KILN_SIDECAR_FILE", home.resolve("sidecar.json").toString());
        pb.environment().remove("JUPYTER_DATA_DIR");
        pb.environment().remove("KILN_SIDECAR_URL");
        pb.environment().remove("KILN_SIDECAR_TOKEN");
        return pb.start();
    }

    /** The first line of kiln lab's output that matches; what follows is read and dropped. */
    static Matcher awaitPrinted(BufferedReader out, Pattern pattern) throws Exception {
        return awaitPrinted(out, pattern, new StringBuffer());
    }

    /** The first line of kiln lab's output that matches; every line, before and after, goes to {@code seen}. */
    static Matcher awaitPrinted(BufferedReader out, Pattern pattern, StringBuffer seen) throws Exception {
        CompletableFuture<Matcher> printed = CompletableFuture.supplyAsync(() -> {
            try {
                for (String line; (line = out.readLine()) != null; ) {
                    seen.append(line).append('\n');
                    Matcher m = pattern.matcher(line);
                    if (m.find()) {
                        return m;
                    }
                }
            } catch (IOException e) {
                seen.append(e);
            }
            throw new AssertionError("kiln lab printed no line like " + pattern + ":\n" + seen);
        });
        Matcher m = printed.get(5, TimeUnit.MINUTES);
        Thread drain = new Thread(() -> {
            try {
                for (String line; (line = out.readLine()) != null; ) {
                    seen.append(line).append('\n'); // Jupyter's log: read so that it never blocks on a full pipe
                }
            } catch (IOException ended) {
                // the process was stopped
            }
        });
        drain.setDaemon(true);
        drain.start();
        return m;
    }

    @AfterAll
    static void stopKilnLab() throws Exception {
        stop(lab);
    }

    static void stop(Process kilnLab) throws Exception {
        if (kilnLab != null) {
            List<ProcessHandle> started = kilnLab.descendants().toList();
            kilnLab.destroy(); // SIGTERM, as Ctrl-C would; Jupyter ends its kernels and the sidecar
            if (!kilnLab.waitFor(60, TimeUnit.SECONDS)) {
                kilnLab.destroyForcibly();
            }
            started.forEach(ProcessHandle::destroyForcibly);
        }
    }

    /**
     * A user is shown one URL to open, the one that works: the sidecar Jupyter started announces
     * no URL of its own, and the history pages are not printed as a second URL (without Lab's
     * login they lead to a login page). Jupyter's own log lines ("[I …]") are Jupyter's.
     */
    @Test
    void kilnLabPrintsOneUrlTheOneThatOpensLab() throws Exception {
        Path info = tmp.resolve("sidecar.json");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Files.isRegularFile(info) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertTrue(Files.isRegularFile(info), "the sidecar Jupyter started announced itself in " + info + ":\n" + transcript);
        Thread.sleep(2000); // what it prints once announced
        List<String> urls = new java.util.ArrayList<>();
        Matcher url = Pattern.compile("(https?|file)://\\S+").matcher("");
        for (String line : transcript.toString().split("\n")) {
            if (line.matches("^\\[[A-Z] \\d{4}-.*")) {
                continue; // Jupyter's log
            }
            url.reset(line);
            while (url.find()) {
                urls.add(url.group());
            }
        }
        assertEquals(List.of(base + "lab?token=" + token), urls, transcript.toString());
        assertEquals(200, get(urls.get(0), false).statusCode(), "the one URL opens Lab");
    }

    @Test
    void theClassicNotebookRunsOnlyWhenAskedFor(@TempDir Path home) throws Exception {
        Process notebook = kilnLab(home, List.of("--jupyter", "jupyter-notebook"));
        try {
            Matcher m = awaitPrinted(new BufferedReader(new InputStreamReader(notebook.getInputStream(), StandardCharsets.UTF_8)),
                    Pattern.compile("Kiln Lab: (http://127\\.0\\.0\\.1:(\\d+)/)\\?token=([0-9a-f]{48})"));
            String notebookBase = m.group(1);
            awaitListening(notebook, notebookBase + "api");
            HttpResponse<String> api = http.send(HttpRequest.newBuilder(URI.create(notebookBase + "api"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(JSON.readTree(api.body()).get("version").asText().startsWith("6."), "Debian's classic Notebook: " + api.body());
            HttpResponse<String> specs = http.send(HttpRequest.newBuilder(URI.create(notebookBase + "api/kernelspecs"))
                    .header("Authorization", "token " + m.group(3)).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, specs.statusCode(), "the printed token is the classic Notebook's");
            assertNotNull(JSON.readTree(specs.body()).get("kernelspecs").get("kiln"), specs.body());
        } finally {
            stop(notebook);
        }
    }

    @Test
    void aJupyterThatIsNotThereIsNamedWithWhatToDo(@TempDir Path home) throws Exception {
        Process missing = kilnLab(home, List.of("--jupyter", "jupyter-nosuch"));
        String said = new String(missing.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(missing.waitFor(60, TimeUnit.SECONDS));
        assertEquals(1, missing.exitValue(), said);
        assertTrue(said.contains("--jupyter jupyter-nosuch: no such program on PATH"), said);
        assertFalse(said.contains("\tat "), "no stack trace: " + said);
        assertFalse(Files.exists(home.resolve("xdg/jupyter/kernels/kiln")), "nothing installed");
    }

    @Test
    void thePrintedUrlServesJupyterLab4FromKilnsEnvironmentWithKilnsLabExtension() throws Exception {
        HttpResponse<String> page = get(base + "lab?token=" + token, false);
        assertEquals(200, page.statusCode());
        Matcher data = Pattern.compile("<script id=\"jupyter-config-data\" type=\"application/json\">(.*?)</script>", Pattern.DOTALL)
                .matcher(page.body());
        assertTrue(data.find(), "JupyterLab's page carries its config:\n" + page.body());
        JsonNode config = JSON.readTree(data.group(1));
        assertEquals("JupyterLab", config.get("appName").asText());
        assertEquals(pinned("jupyterlab"), config.get("appVersion").asText(), "the JupyterLab deps/python-lab.txt pins");
        assertTrue(names(config.get("federated_extensions")).contains("kiln-jupyter"), config.get("federated_extensions").toString());
    }

    @Test
    void theKernelspecsListKilnWithTheTokenAndNothingWithout() throws Exception {
        HttpResponse<String> specs = get(base + "api/kernelspecs", true);
        assertEquals(200, specs.statusCode());
        JsonNode kiln = JSON.readTree(specs.body()).get("kernelspecs").get("kiln");
        assertNotNull(kiln, specs.body());
        assertEquals("Java " + Runtime.version().feature() + " (Kiln)", kiln.get("spec").get("display_name").asText());
        assertEquals(403, get(base + "api/kernelspecs", false).statusCode(), "without the token Jupyter refuses");
    }

    @Test
    void kilnsLabExtensionIsInstalledEnabledAndServed() throws Exception {
        HttpResponse<String> extensions = get(base + "lab/api/extensions", true);
        assertEquals(200, extensions.statusCode());
        JsonNode kiln = null;
        for (JsonNode e : JSON.readTree(extensions.body())) {
            if ("kiln-jupyter".equals(e.get("name").asText())) {
                kiln = e;
            }
        }
        assertNotNull(kiln, extensions.body());
        assertTrue(kiln.get("installed").asBoolean(), kiln.toString());
        assertTrue(kiln.get("enabled").asBoolean(), kiln.toString());
        assertEquals("prebuilt", kiln.get("pkg_type").asText());

        JsonNode config = pageConfig();
        String load = null;
        for (JsonNode e : config.get("federated_extensions")) {
            if ("kiln-jupyter".equals(e.get("name").asText())) {
                load = e.get("load").asText();
            }
        }
        HttpResponse<String> entry = get(base + "lab/extensions/kiln-jupyter/" + load, true);
        assertEquals(200, entry.statusCode(), "the extension's remote entry is served");
        assertTrue(entry.headers().firstValue("Content-Type").orElse("").contains("javascript"), entry.headers().toString());
    }

    @Test
    void theSidecarAnswersThroughJupyterWithTheTokenAnd403Without() throws Exception {
        HttpResponse<String> health = get(base + "kiln/api/health", true);
        assertEquals(200, health.statusCode(), health.body());
        assertEquals("ok", JSON.readTree(health.body()).get("status").asText());
        assertEquals(403, get(base + "kiln/api/health", false).statusCode());
        assertEquals(403, get(base + "kiln/api/health?token=" + "0".repeat(48), false).statusCode(), "a wrong token");
    }

    @Test
    void aLargePrintFloodReachesTheBrowserWhole() throws Exception {
        // Jupyter Server's own cut, 1 MB/s over 3 s, would drop most of these 20 MB and say "IOPub data rate exceeded"
        int lines = 20_000;
        int lineLength = 1_000;
        HttpResponse<String> started = http.send(HttpRequest.newBuilder(URI.create(base + "api/kernels"))
                .header("Authorization", "token " + token).POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"kiln\"}"))
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, started.statusCode(), started.body());
        String kernel = JSON.readTree(started.body()).get("id").asText();
        try {
            KernelOutput output = new KernelOutput();
            WebSocket ws = http.newWebSocketBuilder()
                    .buildAsync(URI.create(base.replace("http://", "ws://") + "api/kernels/" + kernel + "/channels?token=" + token), output)
                    .get(60, TimeUnit.SECONDS);
            try {
                String code = "for (int i = 0; i < " + lines + "; i++) System.out.println(\"x\".repeat(" + (lineLength - 1) + "));";
                ws.sendText(executeRequest(output.requestId, code), true).get(30, TimeUnit.SECONDS);
                output.idle.get(10, TimeUnit.MINUTES);
            } finally {
                ws.abort();
            }
            assertEquals("", output.stderr.toString(), "nothing on stderr (no rate-limit notice)");
            assertEquals((long) lines * lineLength, output.stdoutChars, "every character printed arrived");
        } finally {
            http.send(HttpRequest.newBuilder(URI.create(base + "api/kernels/" + kernel)).header("Authorization", "token " + token)
                    .DELETE().timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.discarding());
        }
    }

    @Test
    void inABrowserKilnsCommandOpensTheHistoryInsideJupyterLab() throws Exception {
        try (DevToolsPage page = DevToolsPage.open(tmp.resolve("chromium"), 1280, 800)) {
            page.navigate(base + "lab?token=" + token);
            page.await("!!(window.jupyterapp && window.jupyterapp.commands.hasCommand('kiln:open-history'))", Duration.ofSeconds(120));
            assertEquals("Kiln: open history", page.evaluate("window.jupyterapp.commands.label('kiln:open-history')").asText());

            page.evaluate("window.jupyterapp.commands.execute('kiln:open-history').then(() => true)");
            page.await("!!document.querySelector('.kiln-history iframe')", Duration.ofSeconds(30));
            assertEquals(base + "kiln/", page.evaluate("document.querySelector('.kiln-history iframe').src").asText());
            // the frame loaded /kiln/ itself (Jupyter's login cookie went with it), not the login page
            page.await("(() => { const d = document.querySelector('.kiln-history iframe').contentDocument;"
                    + " return !!d && d.readyState === 'complete' && d.location.pathname === '/kiln/'; })()", Duration.ofSeconds(60));
            JsonNode tab = page.evaluate("(() => { const w = [...window.jupyterapp.shell.widgets('main')].find(w => w.id === 'kiln-history');"
                    + " return { label: w.title.label, visible: w.isVisible }; })()");
            assertEquals("Kiln history", tab.get("label").asText());
            assertTrue(tab.get("visible").asBoolean(), "the history's tab is the one shown");
            page.screenshot(Path.of("target", "lab-screenshots", "kiln-history-in-lab.png"));
        }
    }

    /** A Kiln kernel's messages for one execute request, over Jupyter's websocket (JSON frames). */
    static final class KernelOutput implements WebSocket.Listener {
        final String requestId = UUID.randomUUID().toString();
        final CompletableFuture<Void> idle = new CompletableFuture<>();
        final StringBuilder stderr = new StringBuilder();
        long stdoutChars;
        private final StringBuilder frame = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            frame.append(data);
            if (last) {
                try {
                    JsonNode msg = JSON.readTree(frame.toString());
                    if (requestId.equals(msg.path("parent_header").path("msg_id").asText())) {
                        String type = msg.path("header").path("msg_type").asText();
                        if (type.equals("stream") && msg.path("content").path("name").asText().equals("stdout")) {
                            stdoutChars += msg.path("content").path("text").asText().length();
                        } else if (type.equals("stream")) {
                            stderr.append(msg.path("content").path("text").asText());
                        } else if (type.equals("error")) {
                            stderr.append(msg.path("content").toString());
                        } else if (type.equals("status") && msg.path("content").path("execution_state").asText().equals("idle")) {
                            idle.complete(null);
                        }
                    }
                } catch (IOException e) {
                    idle.completeExceptionally(e);
                }
                frame.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            idle.completeExceptionally(error);
        }
    }

    private static String executeRequest(String id, String code) throws IOException {
        ObjectNode msg = JSON.createObjectNode();
        msg.putObject("header").put("msg_id", id).put("username", "test").put("session", UUID.randomUUID().toString())
                .put("msg_type", "execute_request").put("version", "5.3");
        msg.putObject("parent_header");
        msg.putObject("metadata");
        msg.putObject("content").put("code", code).put("silent", false).put("store_history", true)
                .put("allow_stdin", false).put("stop_on_error", true).putObject("user_expressions");
        msg.put("channel", "shell");
        return JSON.writeValueAsString(msg);
    }

    private static JsonNode pageConfig() throws Exception {
        Matcher data = Pattern.compile("<script id=\"jupyter-config-data\" type=\"application/json\">(.*?)</script>", Pattern.DOTALL)
                .matcher(get(base + "lab?token=" + token, false).body());
        assertTrue(data.find());
        return JSON.readTree(data.group(1));
    }

    private static List<String> names(JsonNode extensions) {
        List<String> out = new java.util.ArrayList<>();
        extensions.forEach(e -> out.add(e.get("name").asText()));
        return out;
    }

    /** The version deps/python-lab.txt pins for a package. */
    private static String pinned(String pkg) throws IOException {
        for (String line : Files.readAllLines(LabVenvScript.repository().resolve("deps/python-lab.txt"))) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith(pkg + "==")) {
                return line.substring(pkg.length() + 2).strip();
            }
        }
        throw new AssertionError(pkg + " is not pinned in deps/python-lab.txt");
    }

    private static HttpResponse<String> get(String url, boolean withToken) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(90));
        if (withToken) {
            b.header("Authorization", "token " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static void awaitListening(Process kilnLab, String url) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            if (!kilnLab.isAlive()) {
                throw new AssertionError("kiln lab exited with " + kilnLab.exitValue());
            }
            try {
                http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("Jupyter did not answer at " + url + " within 120 s");
                }
                Thread.sleep(100);
            }
        }
    }
}
