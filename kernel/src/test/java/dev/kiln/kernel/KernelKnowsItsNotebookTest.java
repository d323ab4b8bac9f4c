package dev.kiln.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.kernel.install.KernelSpec;
import dev.kiln.sidecar.JupyterWithKiln;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A Kiln kernel in each Jupyter Kiln supports (Jupyter Server 2 from Kiln's JupyterLab environment,
 * Debian's Server 1.x and classic Notebook 6.4), with Kiln's server extension: the kernel knows the
 * notebook its session names, and after a rename through Jupyter's contents API (what JupyterLab's
 * and the Notebook's rename do) its snapshots, {@code --notebook} checks and run name the new path.
 */
class KernelKnowsItsNotebookTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @ParameterizedTest
    @EnumSource(JupyterWithKiln.Flavour.class)
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void theKernelNamesItsNotebookAndFollowsItsRename(JupyterWithKiln.Flavour flavour) throws Exception {
        new KernelSpec(ProcessHandle.current().info().command().orElseThrow(), System.getProperty("java.class.path"), List.of())
                .install(dir.resolve("data"));
        try (JupyterWithKiln jupyter = JupyterWithKiln.start(flavour, dir, Map.of("KILN_CACHE_DIR", dir.resolve("cache").toString()))) {
            assertEquals(200, jupyter.awaitGet(http, jupyter.base.resolve("api/status?token=" + jupyter.token)).statusCode());
            // as a front end makes a notebook: a folder, an untitled notebook in it, a session with a Kiln kernel
            call(jupyter, "PUT", "api/contents/work", "{\"type\": \"directory\"}", 201);
            call(jupyter, "PUT", "api/contents/work/Untitled.ipynb", notebook(JSON.createArrayNode()), 201);
            JsonNode session = call(jupyter, "POST", "api/sessions", "{\"path\": \"work/Untitled.ipynb\", \"name\": \"Untitled.ipynb\","
                    + " \"type\": \"notebook\", \"kernel\": {\"name\": \"kiln\"}}", 201);
            String kernel = session.at("/kernel/id").asText();

            Cell snapshot = execute(jupyter, kernel, "%env snapshot");
            assertEquals("work/Untitled.ipynb", snapshot.kiln().at("/snapshot/environment/notebook").asText(), snapshot.toString());
            String snapshotId = snapshot.kiln().at("/snapshot/id").asText();
            // saved, as the front end saves it: the output with its metadata.kiln
            call(jupyter, "PUT", "api/contents/work/Untitled.ipynb", notebook(snapshot.outputs()), 200);
            Cell check = execute(jupyter, kernel, "%env check --notebook");
            assertEquals(snapshotId, check.kiln().at("/envCheck/against").asText(), check.toString());

            String first = "kiln/api/runs?notebook=" + URLEncoder.encode("work/Untitled.ipynb", StandardCharsets.UTF_8);
            JsonNode runsBefore = poll(jupyter, first, r -> sessionsOf(r).contains(kernel));
            assertTrue(sessionsOf(runsBefore).contains(kernel), "the kernel's run is filed under its notebook: " + runsBefore);

            call(jupyter, "PATCH", "api/contents/work/Untitled.ipynb", "{\"path\": \"work/analysis.ipynb\"}", 200);

            Cell checkAfter = execute(jupyter, kernel, "%env check --notebook");
            assertEquals(snapshotId, checkAfter.kiln().at("/envCheck/against").asText(), "the renamed file is read: " + checkAfter);
            Cell snapshotAfter = execute(jupyter, kernel, "%env snapshot");
            assertEquals("work/analysis.ipynb", snapshotAfter.kiln().at("/snapshot/environment/notebook").asText(), snapshotAfter.toString());
            JsonNode runs = poll(jupyter, "kiln/api/runs?notebook=" + URLEncoder.encode("work/analysis.ipynb", StandardCharsets.UTF_8),
                    r -> sessionsOf(r).contains(kernel));
            assertTrue(sessionsOf(runs).contains(kernel), "the kernel's run is filed under the new name: " + runs);
            JsonNode runsAfter = poll(jupyter, first, r -> !sessionsOf(r).contains(kernel));
            assertFalse(sessionsOf(runsAfter).contains(kernel), "and no longer under the first: " + runsAfter);
            JsonNode row = poll(jupyter, "api/sessions/" + session.get("id").asText(), s -> s.get("path").asText().equals("work/analysis.ipynb"));
            assertEquals("analysis.ipynb", row.get("name").asText(), "Jupyter's session follows the rename too: " + row);

            Path told = jupyter.runtime.resolve("kiln-notebook-kernel-" + kernel + ".json");
            assertEquals(dir.resolve("work/analysis.ipynb").toString(), JSON.readTree(told.toFile()).get("file").asText());
            call(jupyter, "DELETE", "api/sessions/" + session.get("id").asText(), null, 204);
            assertFalse(Files.exists(told), "a session's end removes what its kernel was told");
        }
    }

    /** What a cell showed: its outputs as a notebook keeps them, and the last output's metadata.kiln. */
    record Cell(ArrayNode outputs, JsonNode kiln, String error) {
    }

    Cell execute(JupyterWithKiln jupyter, String kernel, String code) throws Exception {
        String id = UUID.randomUUID().toString();
        Replies replies = new Replies(id);
        WebSocket ws = http.newWebSocketBuilder()
                .buildAsync(URI.create(jupyter.base.toString().replace("http://", "ws://") + "api/kernels/" + kernel
                        + "/channels?token=" + jupyter.token), replies)
                .get(60, TimeUnit.SECONDS);
        try {
            ObjectNode msg = JSON.createObjectNode();
            msg.putObject("header").put("msg_id", id).put("username", "test").put("session", UUID.randomUUID().toString())
                    .put("msg_type", "execute_request").put("version", "5.3");
            msg.putObject("parent_header");
            msg.putObject("metadata");
            msg.putObject("content").put("code", code).put("silent", false).put("store_history", true)
                    .put("allow_stdin", false).put("stop_on_error", true).putObject("user_expressions");
            msg.put("channel", "shell");
            ws.sendText(JSON.writeValueAsString(msg), true).get(30, TimeUnit.SECONDS);
            replies.idle.get(5, TimeUnit.MINUTES); // the first cell waits for the kernel's JVM and JShell
        } finally {
            ws.abort();
        }
        JsonNode last = replies.outputs.isEmpty() ? JSON.createObjectNode() : replies.outputs.get(replies.outputs.size() - 1);
        Cell cell = new Cell(replies.outputs, last.path("metadata").path("kiln"), replies.error.toString());
        assertEquals("", cell.error(), code + " failed");
        return cell;
    }

    /** One execute request's messages, over Jupyter's websocket (JSON frames). */
    static final class Replies implements WebSocket.Listener {
        final String requestId;
        final CompletableFuture<Void> idle = new CompletableFuture<>();
        final ArrayNode outputs = JSON.createArrayNode();
        final StringBuilder error = new StringBuilder();
        private final StringBuilder frame = new StringBuilder();

        Replies(String requestId) {
            this.requestId = requestId;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            frame.append(data);
            if (last) {
                try {
                    JsonNode msg = JSON.readTree(frame.toString());
                    if (requestId.equals(msg.path("parent_header").path("msg_id").asText())) {
                        String type = msg.path("header").path("msg_type").asText();
                        JsonNode content = msg.path("content");
                        if (type.equals("display_data") || type.equals("execute_result")) {
                            ObjectNode output = ((ObjectNode) content.deepCopy()).put("output_type", type);
                            output.remove("transient");
                            outputs.add(output);
                        } else if (type.equals("error")) {
                            error.append(content.path("ename").asText()).append(": ").append(content.path("evalue").asText());
                        } else if (type.equals("status") && content.path("execution_state").asText().equals("idle")) {
                            idle.complete(null);
                        }
                    }
                } catch (Exception e) {
                    idle.completeExceptionally(e);
                }
                frame.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable e) {
            idle.completeExceptionally(e);
        }
    }

    /** A contents-API model of a one-cell notebook with these outputs. */
    static String notebook(ArrayNode outputs) throws Exception {
        ObjectNode model = JSON.createObjectNode().put("type", "notebook").put("format", "json");
        ObjectNode nb = model.putObject("content");
        nb.put("nbformat", 4).put("nbformat_minor", 5);
        nb.putObject("metadata").putObject("kernelspec").put("name", "kiln").put("display_name", "Java 17 (Kiln)").put("language", "java");
        ObjectNode cell = nb.putArray("cells").addObject();
        cell.put("cell_type", "code").put("id", "c1").put("source", "%env snapshot").putObject("metadata");
        cell.put("execution_count", 1);
        ArrayNode saved = cell.putArray("outputs");
        for (JsonNode o : outputs) {
            ObjectNode out = (ObjectNode) o.deepCopy();
            if (out.get("output_type").asText().equals("execute_result") && !out.has("execution_count")) {
                out.put("execution_count", 1);
            }
            saved.add(out);
        }
        return JSON.writeValueAsString(model);
    }

    JsonNode call(JupyterWithKiln jupyter, String method, String path, String body, int expected) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(jupyter.base.resolve(path)).header("Authorization", "token " + jupyter.token)
                .timeout(Duration.ofSeconds(120))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(expected, r.statusCode(), method + " " + path + ": " + r.body() + "\n" + jupyter.log());
        return r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body());
    }

    /** GETs {@code path} until {@code done} holds (records reach the sidecar asynchronously), at most 60 s. */
    JsonNode poll(JupyterWithKiln jupyter, String path, Predicate<JsonNode> done) throws Exception {
        JsonNode last = null;
        for (int i = 0; i < 300; i++) {
            last = call(jupyter, "GET", path, null, 200);
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(200);
        }
        return last;
    }

    static List<String> sessionsOf(JsonNode runs) {
        List<String> sessions = new ArrayList<>();
        runs.forEach(r -> sessions.add(r.path("session").asText()));
        return sessions;
    }
}
