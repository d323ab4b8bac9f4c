package dev.kiln.sidecar;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Debian's Chromium, headless, driven over its DevTools protocol with the JDK's own WebSocket
 * client (no driver, nothing to download): pages at a set width, a script's value in them,
 * full-page screenshots. One browser serves a whole test class; {@link #close} ends it.
 */
final class Chromium implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final Process process;
    private final StringBuffer log = new StringBuffer();
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> replies = new ConcurrentHashMap<>();
    private final List<EventWait> waits = new CopyOnWriteArrayList<>();
    private final List<Consumer<JsonNode>> listeners = new CopyOnWriteArrayList<>();

    private record EventWait(Predicate<JsonNode> matches, CompletableFuture<JsonNode> event) {
    }

    private Chromium(Process process, String endpoint) throws Exception {
        this.process = process;
        this.socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(WAIT)
                .buildAsync(URI.create(endpoint), new Listener()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /**
     * Starts Chromium with {@code env} added to its environment ({@code TZ} sets the viewer's time
     * zone) and connects to it; a test's deadline bounds every wait.
     */
    static Chromium start(Path profile, Map<String, String> env) throws Exception {
        List<String> argv = new ArrayList<>(List.of("chromium", "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync",
                "--disable-dev-shm-usage", "--hide-scrollbars", "--user-data-dir=" + profile, "--remote-debugging-port=0",
                "about:blank"));
        ProcessBuilder pb = new ProcessBuilder(argv).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(env);
        Process p = pb.start();
        CompletableFuture<String> endpoint = new CompletableFuture<>();
        StringBuffer log = new StringBuffer();
        Thread reader = new Thread(() -> {
            try (BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = err.readLine()) != null; ) {
                    if (line.startsWith("DevTools listening on ")) {
                        endpoint.complete(line.substring("DevTools listening on ".length()).strip());
                    } else if (log.length() < 64 * 1024) {
                        log.append(line).append('\n');
                    }
                }
            } catch (IOException e) {
                // the browser ended; what it said is in the log
            }
            endpoint.completeExceptionally(new IOException("Chromium exited before it listened:\n" + log));
        }, "chromium-stderr");
        reader.setDaemon(true);
        reader.start();
        try {
            Chromium c = new Chromium(p, endpoint.get(WAIT.toSeconds(), TimeUnit.SECONDS));
            c.log.append(log);
            return c;
        } catch (ExecutionException | TimeoutException e) {
            p.destroyForcibly();
            throw new IOException("Chromium did not start its DevTools endpoint within " + WAIT.toSeconds() + " s:\n" + log, e);
        }
    }

    /** A new tab whose viewport is {@code width} × {@code height} CSS pixels. */
    Page open(int width, int height) throws Exception {
        String target = call(null, "Target.createTarget", Map.of("url", "about:blank")).path("targetId").asText();
        String session = call(null, "Target.attachToTarget", Map.of("targetId", target, "flatten", true)).path("sessionId").asText();
        Page page = new Page(target, session, width, height);
        call(session, "Page.enable", Map.of());
        page.viewport(height);
        return page;
    }

    /** One tab, attached for commands. */
    final class Page implements AutoCloseable {

        private final String target;
        private final String session;
        private final int width;
        private final int height;
        private final List<String> problems = new CopyOnWriteArrayList<>();

        private Page(String target, String session, int width, int height) {
            this.target = target;
            this.session = session;
            this.width = width;
            this.height = height;
        }

        /**
         * From now on, keeps what the page's console reports as an error (a script or style that
         * could not load, a local file refused) and every request that failed.
         */
        Page watchProblems() throws Exception {
            listeners.add(e -> {
                if (!session.equals(e.path("sessionId").asText())) {
                    return;
                }
                JsonNode p = e.path("params");
                switch (e.path("method").asText()) {
                    case "Log.entryAdded" -> {
                        if ("error".equals(p.path("entry").path("level").asText())) {
                            problems.add("console: " + p.path("entry").path("text").asText() + " " + p.path("entry").path("url").asText());
                        }
                    }
                    case "Runtime.consoleAPICalled" -> {
                        if ("error".equals(p.path("type").asText())) {
                            problems.add("console.error: " + p.path("args"));
                        }
                    }
                    case "Runtime.exceptionThrown" -> problems.add("exception: " + p.path("exceptionDetails"));
                    case "Network.loadingFailed" -> problems.add("request failed: " + p.path("errorText").asText()
                            + (p.path("blockedReason").isMissingNode() ? "" : " (" + p.path("blockedReason").asText() + ")"));
                    default -> {
                    }
                }
            });
            call(session, "Log.enable", Map.of());
            call(session, "Runtime.enable", Map.of());
            call(session, "Network.enable", Map.of());
            return this;
        }

        /** What {@link #watchProblems} saw. */
        List<String> problems() {
            return List.copyOf(problems);
        }

        /** Loads {@code url} (following redirects) and waits for its load event. */
        Page go(String url) throws Exception {
            CompletableFuture<JsonNode> loaded = loadEvent();
            JsonNode nav = call(session, "Page.navigate", Map.of("url", url));
            if (nav.hasNonNull("errorText")) {
                throw new IOException("Chromium could not open " + url + ": " + nav.get("errorText").asText());
            }
            loaded.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            return this;
        }

        /** Runs a script that leaves the page (submits a form, follows a link) and waits for the next page's load event. */
        Page leave(String expression) throws Exception {
            CompletableFuture<JsonNode> loaded = loadEvent();
            eval(expression);
            loaded.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            return this;
        }

        private CompletableFuture<JsonNode> loadEvent() {
            return event(e -> "Page.loadEventFired".equals(e.path("method").asText()) && session.equals(e.path("sessionId").asText()));
        }

        /** The value of a JavaScript expression in the page (JSON-able values only). */
        JsonNode eval(String expression) throws Exception {
            JsonNode r = call(session, "Runtime.evaluate", Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
            if (r.has("exceptionDetails")) {
                throw new AssertionError("the page's script failed: " + r.get("exceptionDetails"));
            }
            return r.path("result").path("value");
        }

        /** The page's DOM as the browser holds it after its scripts ran. */
        String dom() throws Exception {
            return eval("document.documentElement.outerHTML").asText();
        }

        /** A screenshot of the whole page (up to 12,000 px tall) at the page's width. */
        void screenshot(Path png) throws Exception {
            Files.createDirectories(png.toAbsolutePath().getParent());
            int full = (int) Math.ceil(eval("document.documentElement.scrollHeight").asDouble());
            int h = Math.max(height, Math.min(full, 12_000));
            viewport(h);
            try {
                JsonNode shot = call(session, "Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", false));
                Files.write(png, Base64.getDecoder().decode(shot.path("data").asText()));
            } finally {
                viewport(height);
            }
        }

        private void viewport(int h) throws Exception {
            call(session, "Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", h, "deviceScaleFactor", 1, "mobile", false));
        }

        @Override
        public void close() throws Exception {
            call(null, "Target.closeTarget", Map.of("targetId", target));
        }
    }

    private CompletableFuture<JsonNode> event(Predicate<JsonNode> matches) {
        EventWait w = new EventWait(matches, new CompletableFuture<>());
        waits.add(w);
        w.event().whenComplete((e, t) -> waits.remove(w));
        return w.event();
    }

    private JsonNode call(String session, String method, Map<String, Object> params) throws Exception {
        int id = ids.incrementAndGet();
        ObjectNode m = JSON.createObjectNode();
        m.put("id", id);
        m.put("method", method);
        m.set("params", JSON.valueToTree(params));
        if (session != null) {
            m.put("sessionId", session);
        }
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        replies.put(id, reply);
        socket.sendText(m.toString(), true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        JsonNode r;
        try {
            r = reply.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IOException("Chromium did not answer " + method + " within " + WAIT.toSeconds() + " s:\n" + log, e);
        } finally {
            replies.remove(id);
        }
        if (r.has("error")) {
            throw new IOException(method + " failed: " + r.get("error"));
        }
        return r.path("result");
    }

    /** Collects each message's fragments, then hands it to the call or event waiting for it. */
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                dispatch(text.toString());
                text.setLength(0);
            }
            ws.request(1);
            return null;
        }

        private void dispatch(String message) {
            JsonNode m;
            try {
                m = JSON.readTree(message);
            } catch (IOException e) {
                return;
            }
            if (m.has("id")) {
                CompletableFuture<JsonNode> reply = replies.get(m.get("id").asInt());
                if (reply != null) {
                    reply.complete(m);
                }
                return;
            }
            listeners.forEach(l -> l.accept(m));
            for (EventWait w : waits) {
                if (w.matches().test(m)) {
                    w.event().complete(m);
                }
            }
        }
    }

    @Override
    public void close() throws Exception {
        try {
            socket.sendText("{\"id\":0,\"method\":\"Browser.close\"}", true).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // the browser is going anyway
        }
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
