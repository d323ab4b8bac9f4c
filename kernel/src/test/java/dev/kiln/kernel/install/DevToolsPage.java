package dev.kiln.kernel.install;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A page of Debian's headless Chromium driven over the DevTools protocol: open a URL, run a script, take a screenshot. */
final class DevToolsPage implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://[^/]+)/");

    private final Process chromium;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> replies = new ConcurrentHashMap<>();

    private DevToolsPage(Process chromium, WebSocket socket) {
        this.chromium = chromium;
        this.socket = socket;
    }

    static DevToolsPage open(Path profile, int width, int height) throws Exception {
        List<String> argv = new ArrayList<>(List.of("chromium", "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=" + width + "," + height,
                "--remote-debugging-port=0", "about:blank"));
        Process chromium = new ProcessBuilder(argv).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            String endpoint = devToolsEndpoint(chromium);
            Thread drain = new Thread(() -> {
                try {
                    chromium.getErrorStream().transferTo(java.io.OutputStream.nullOutputStream());
                } catch (IOException ignored) {
                    // Chromium ended
                }
            });
            drain.setDaemon(true);
            drain.start();
            HttpClient http = HttpClient.newHttpClient();
            JsonNode targets = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(endpoint.replace("ws://", "http://") + "/json/list"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body());
            String page = null;
            for (JsonNode t : targets) {
                if ("page".equals(t.path("type").asText())) {
                    page = t.get("webSocketDebuggerUrl").asText();
                }
            }
            if (page == null) {
                throw new AssertionError("Chromium shows no page: " + targets);
            }
            DevToolsPage[] self = new DevToolsPage[1];
            WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(page), new WebSocket.Listener() {
                private final StringBuilder message = new StringBuilder();

                @Override
                public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                    message.append(data);
                    if (last) {
                        self[0].received(message.toString());
                        message.setLength(0);
                    }
                    ws.request(1);
                    return null;
                }
            }).get(30, TimeUnit.SECONDS);
            self[0] = new DevToolsPage(chromium, socket);
            return self[0];
        } catch (Exception | AssertionError e) {
            chromium.destroyForcibly();
            throw e;
        }
    }

    private static String devToolsEndpoint(Process chromium) throws Exception {
        CompletableFuture<String> found = CompletableFuture.supplyAsync(() -> {
            BufferedReader err = new BufferedReader(new InputStreamReader(chromium.getErrorStream(), StandardCharsets.UTF_8));
            StringBuilder seen = new StringBuilder();
            try {
                for (String line; (line = err.readLine()) != null; ) {
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        return m.group(1);
                    }
                    seen.append(line).append('\n');
                }
            } catch (IOException e) {
                seen.append(e);
            }
            throw new AssertionError("Chromium printed no DevTools address:\n" + seen);
        });
        return found.get(60, TimeUnit.SECONDS);
    }

    private void received(String text) {
        try {
            JsonNode message = JSON.readTree(text);
            if (message.has("id")) {
                CompletableFuture<JsonNode> reply = replies.remove(message.get("id").asInt());
                if (reply != null) {
                    reply.complete(message);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("DevTools sent no JSON: " + text, e);
        }
    }

    JsonNode call(String method, Map<String, Object> params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        replies.put(id, reply);
        ObjectNode request = JSON.createObjectNode().put("id", id).put("method", method);
        request.set("params", JSON.valueToTree(params));
        socket.sendText(JSON.writeValueAsString(request), true).get(30, TimeUnit.SECONDS);
        JsonNode message = reply.get(60, TimeUnit.SECONDS);
        if (message.has("error")) {
            throw new AssertionError(method + " failed: " + message.get("error"));
        }
        return message.get("result");
    }

    void navigate(String url) throws Exception {
        call("Page.navigate", Map.of("url", url));
    }

    /** The value of a script run in the page (a promise is awaited). */
    JsonNode evaluate(String expression) throws Exception {
        JsonNode result = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
        if (result.has("exceptionDetails")) {
            throw new AssertionError("the page's script failed: " + result.get("exceptionDetails"));
        }
        return result.path("result").path("value");
    }

    /** Runs a script until it returns true, or fails after the deadline. */
    void await(String condition, Duration deadline) throws Exception {
        long end = System.nanoTime() + deadline.toNanos();
        while (!evaluate(condition).asBoolean(false)) {
            if (System.nanoTime() > end) {
                throw new AssertionError("still not true after " + deadline.toSeconds() + " s: " + condition);
            }
            Thread.sleep(200);
        }
    }

    void screenshot(Path png) throws Exception {
        java.nio.file.Files.createDirectories(png.getParent());
        String data = call("Page.captureScreenshot", Map.of("format", "png")).get("data").asText();
        java.nio.file.Files.write(png, Base64.getDecoder().decode(data));
    }

    @Override
    public void close() throws Exception {
        socket.abort();
        chromium.destroy();
        if (!chromium.waitFor(30, TimeUnit.SECONDS)) {
            chromium.destroyForcibly();
        }
    }
}
