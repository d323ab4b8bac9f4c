package dev.kiln.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.magics.cli.CommandRunner;
import dev.kiln.magics.core.Progress;
import dev.kiln.magics.cli.ReproduceCommand;
import dev.kiln.magics.core.Result;
import dev.kiln.magics.core.Session;
import dev.kiln.magics.share.NotebookExecutor;
import dev.kiln.magics.share.Reproduction;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.options.CreateContainerOptions;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Share and reproduce end to end, with the real kernel (nbclient) and s3proxy as the team's remote:
 * copy A runs a notebook that pulls a dataset and uses a jar, and exports it; a fresh copy B (same
 * kiln.yaml, kiln.lock and notebook, an empty cache) reproduces it cell for cell. Then the dataset's
 * tag moves to a new version and B gets another version of the jar: reproduce names exactly those
 * two differences and the cells they change.
 */
class ReproduceNotebookTest {

    private static final String ACCESS = "kiln-share-access";
    private static final String SECRET = "kiln-share-secret-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private BlobStore blobs;
    private S3Proxy proxy;

    @BeforeEach
    void startS3() throws Exception {
        blobs = new TransientNio2BlobStore();
        proxy = S3Proxy.builder().blobStore(blobs).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS, SECRET).ignoreUnknownHeaders(true).build();
        proxy.start();
        while (!"STARTED".equals(proxy.getState())) {
            Thread.onSpinWait();
        }
        blobs.createContainer("team", CreateContainerOptions.NONE);
    }

    @AfterEach
    void stopS3() throws Exception {
        proxy.stop();
        blobs.close();
    }

    @Test
    void freshCopyReproducesEveryDeterministicCellAndNamesTheDatasetAndJarThatChanged() throws Exception {
        new PythonTests(tmp); // installs the 'kiln' kernelspec under tmp/share/jupyter
        Path a = Files.createDirectories(tmp.resolve("copy-a"));
        Path b = Files.createDirectories(tmp.resolve("copy-b"));
        Path jars = Files.createDirectories(tmp.resolve("jars"));
        Path greeter1 = greeterJar(jars, "1.0", "Hello");
        Path greeter2 = greeterJar(jars, "2.0", "Hi");

        // copy A: the dataset pushed to the team's remote and tagged v1; the notebook run and exported
        Session sa = session(a, "cache-a");
        Files.createDirectories(a.resolve("data/sales"));
        Files.writeString(a.resolve("data/sales/sales.csv"), "region,amount\nnorth,10\nsouth,20\neast,12\n");
        Files.createDirectories(a.resolve("lib"));
        Files.copy(greeter1, a.resolve("lib").resolve(greeter1.getFileName()));
        run(sa, "data", "remote", "add", "team", "s3://team/kiln", "--endpoint", "http://127.0.0.1:" + proxy.getPort());
        run(sa, "data", "add", "data/sales", "-m", "first sales");
        run(sa, "data", "push");
        run(sa, "data", "tag", "sales", "v1");
        Path nbA = a.resolve("analysis.ipynb");
        Files.writeString(nbA, notebook());
        new NotebookExecutor(sa.env(), "kiln").execute(nbA, nbA, a, nbA.toString(), 120);
        JsonNode ran = JSON.readTree(nbA.toFile());
        assertEquals("42", text(ran, 2), "the sum over the dataset, in copy A:\n" + ran.path("cells").get(2));
        assertEquals("\"Hello Kiln\"", text(ran, 3), ran.path("cells").get(3).toString());

        run(sa, "export", "analysis.ipynb", "--to", "ipynb", "-o", "shared/analysis.ipynb");
        String html = run(sa, "export", "analysis.ipynb", "--to", "html", "-o", "shared/analysis.html").text();
        assertTrue(html.contains("shared/analysis.html"), html);
        JsonNode shared = JSON.readTree(a.resolve("shared/analysis.ipynb").toFile());
        JsonNode kiln = shared.path("metadata").path("kiln");
        String snapshotId = kiln.path("snapshot").path("id").asText();
        String salesV1 = kiln.path("datasets").path(0).path("version").asText();
        assertEquals(64, snapshotId.length(), kiln.toString());
        assertEquals("sales", kiln.path("datasets").path(0).path("dataset").asText(), kiln.toString());
        assertEquals(List.of(1), List.of(kiln.path("datasets").path(0).path("cells").path(0).asInt()));
        assertEquals(List.of(0, 7), JSON.convertValue(kiln.path("volatile").path("cells"), List.class));
        assertTrue(kiln.path("run").path("cells").size() >= 7, "run times from the cells' metadata: " + kiln.path("run"));
        assertTrue(kiln.path("snapshot").path("environment").path("jars").toString().contains("greeter-1.0.jar"));
        String page = Files.readString(a.resolve("shared/analysis.html"));
        assertTrue(page.contains("class=\"kiln-provenance\"") && page.contains(snapshotId) && page.contains(salesV1)
                && page.contains("greeter-1.0.jar"), "the HTML export shows its provenance");

        // copy B: same kiln.yaml, kiln.lock and notebook; an empty cache and no data
        Session sb = session(b, "cache-b");
        Files.copy(a.resolve("kiln.yaml"), b.resolve("kiln.yaml"));
        Files.copy(a.resolve("kiln.lock"), b.resolve("kiln.lock"));
        Files.copy(a.resolve("shared/analysis.ipynb"), b.resolve("analysis.ipynb"));
        Files.createDirectories(b.resolve("lib"));
        Files.copy(greeter1, b.resolve("lib").resolve(greeter1.getFileName()));
        Result same = run(sb, "reproduce", "analysis.ipynb");
        assertTrue(same.text().startsWith("Reproduced analysis.ipynb") || same.text().contains("Reproduced "), same.text());
        JsonNode again = JSON.readTree(b.resolve("analysis.reproduced.ipynb").toFile());
        for (int cell : List.of(2, 3, 6)) {
            assertEquals(outputs(shared.path("cells").get(cell)), outputs(again.path("cells").get(cell)), "cell " + cell + " gives the same output");
        }
        ReproduceReport samePage = ReproduceReport.read(b.resolve("analysis.reproduce.html"));
        assertEquals("reproduced", samePage.headline(), samePage.toString());
        assertEquals(expectedStatuses(shared, Map.of(0, "volatile", 7, "volatile")), samePage.statuses(), samePage.toString());
        assertEquals(List.of(), samePage.differences(), samePage.toString());
        assertTrue(again.path("cells").get(1).path("outputs").toString().contains("\"version\":\"" + salesV1 + "\""),
                "B pulled the recorded version: " + again.path("cells").get(1));

        // a notebook that takes no snapshot itself: the export's metadata.kiln has the recorded one, and
        // reproduce compares it with the kernel's environment at the end of the re-run
        ObjectNode noSnapshot = (ObjectNode) shared.deepCopy();
        ((ArrayNode) noSnapshot.get("cells")).remove(4);
        Files.writeString(b.resolve("nosnap.ipynb"), JSON.writeValueAsString(noSnapshot));
        Result probed = run(sb, "reproduce", "nosnap.ipynb");
        assertTrue(probed.text().contains("compared at the end of the re-run") && probed.text().contains("Environment: compatible"),
                probed.text());

        // the tag v1 moves to a new version of the data; B gets version 2.0 of the jar
        Files.writeString(a.resolve("data/sales/sales.csv"), "region,amount\nnorth,10\nsouth,25\neast,12\n");
        run(sa, "data", "add", "data/sales", "-m", "south corrected");
        run(sa, "data", "push");
        run(sa, "data", "tag", "sales", "v1", "--force");
        Files.delete(b.resolve("lib").resolve(greeter1.getFileName()));
        Files.copy(greeter2, b.resolve("lib").resolve(greeter2.getFileName()));
        ReproduceCommand.Differs differs = assertThrows(ReproduceCommand.Differs.class, () -> run(sb, "reproduce", "analysis.ipynb"));
        Reproduction r = differs.reproduction();
        assertEquals(2, r.differences().size(), r.text());
        Reproduction.Difference jar = r.differences().stream().filter(d -> d.area().equals("jars")).findFirst().orElseThrow();
        assertEquals("greeter", jar.name(), r.text());
        assertTrue(jar.before().startsWith("1.0") && jar.after().startsWith("2.0"), r.text());
        Reproduction.Difference data = r.differences().stream().filter(d -> d.area().equals("datasets")).findFirst().orElseThrow();
        assertEquals("sales", data.name(), r.text());
        assertEquals("@" + salesV1.substring(0, 12), data.before(), r.text());
        assertEquals(Set.of(1, 2, 3, 4), r.differing().stream().map(Reproduction.Cell::index).collect(Collectors.toSet()), r.text());
        assertEquals(Reproduction.Verdict.MATCH, r.cells().get(6).verdict(), r.text());
        assertEquals(Reproduction.Verdict.VOLATILE, r.cells().get(7).verdict(), r.text());
        assertTrue(r.cells().get(2).detail().contains("42") && r.cells().get(2).detail().contains("47"), r.text());
        assertTrue(r.text().contains("environment") || r.text().contains("Environment: differs"), r.text());

        // the page a colleague opens says the same, by execution count, the differences first
        ReproduceReport report = ReproduceReport.read(b.resolve("analysis.reproduce.html"));
        assertEquals("differs", report.headline(), report.toString());
        report.assertDifferencesFirst();
        assertEquals(r.environment(), report.environment());
        assertEquals(r.differences().stream().map(d -> new ReproduceReport.Difference(d.area(), d.name(), d.before(), d.after())).toList(),
                report.differences(), report.toString());
        assertEquals(Set.of("jars", "datasets"), report.differences().stream().map(ReproduceReport.Difference::area).collect(Collectors.toSet()));
        assertEquals(expectedStatuses(shared, Map.of(0, "volatile", 1, "DIFFERS", 2, "DIFFERS", 3, "DIFFERS", 4, "DIFFERS", 7, "volatile")),
                report.statuses(), report.toString());
        String sum = "[" + shared.path("cells").get(2).path("execution_count").asInt() + "]";
        assertTrue(report.cell(sum).detail().contains("42") && report.cell(sum).detail().contains("47"), report.cell(sum).toString());
        assertEquals("#cf222e", report.cell(sum).color(), "a difference is shown in red");
    }

    /**
     * A cell's outputs without execution counts, each stream's text joined: a loaded machine may deliver
     * {@code println}'s text and its newline as two stream messages, which Jupyter shows as one.
     */
    private static List<String> outputs(JsonNode cell) {
        List<String> out = new java.util.ArrayList<>();
        String stream = null;
        StringBuilder text = new StringBuilder();
        for (JsonNode o : cell.path("outputs")) {
            if (o.path("output_type").asText().equals("stream") && o.path("name").asText().equals(stream)) {
                appendText(o.path("text"), text);
                continue;
            }
            if (stream != null) {
                out.add(stream + ": " + text);
            }
            stream = o.path("output_type").asText().equals("stream") ? o.path("name").asText() : null;
            text.setLength(0);
            if (stream != null) {
                appendText(o.path("text"), text);
            } else {
                out.add(o.toString().replaceAll("\"execution_count\":\\d+", ""));
            }
        }
        if (stream != null) {
            out.add(stream + ": " + text);
        }
        return out;
    }

    private static void appendText(JsonNode t, StringBuilder to) {
        if (t.isArray()) {
            t.forEach(x -> to.append(x.asText()));
        } else {
            to.append(t.asText());
        }
    }

    /** Each code cell of {@code nb} by its execution count, with {@code except}'s status for the cells it names and 'same' for the rest. */
    private static Map<String, String> expectedStatuses(JsonNode nb, Map<Integer, String> except) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < nb.path("cells").size(); i++) {
            JsonNode c = nb.path("cells").get(i);
            if (c.path("cell_type").asText().equals("code")) {
                m.put("[" + c.path("execution_count").asInt() + "]", except.getOrDefault(i, "same"));
            }
        }
        return m;
    }

    private Session session(Path project, String cache) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("AWS_ACCESS_KEY_ID", ACCESS);
        env.put("AWS_SECRET_ACCESS_KEY", SECRET);
        env.put("AWS_REGION", "us-east-1");
        env.put("KILN_CACHE_DIR", tmp.resolve(cache).toString());
        env.put("JUPYTER_PATH", tmp.resolve("share/jupyter").toString());
        env.put("JUPYTER_DATA_DIR", tmp.resolve("jupyter-data").toString());
        env.put("JUPYTER_RUNTIME_DIR", tmp.resolve("jupyter-runtime").toString());
        env.remove("KILN_SIDECAR_URL");
        env.put("KILN_SIDECAR_FILE", tmp.resolve("no-sidecar.json").toString()); // records wait in the spool
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        return new Session(project, quiet, quiet, Progress.NONE, env, "cli");
    }

    private static Result run(Session s, String... args) throws Exception {
        return new CommandRunner(s).run(List.of(args));
    }

    private static String text(JsonNode nb, int cell) {
        for (JsonNode o : nb.path("cells").get(cell).path("outputs")) {
            if (o.path("output_type").asText().equals("execute_result")) {
                JsonNode t = o.path("data").path("text/plain");
                StringBuilder sb = new StringBuilder();
                if (t.isArray()) {
                    t.forEach(x -> sb.append(x.asText()));
                } else {
                    sb.append(t.asText());
                }
                return sb.toString();
            }
        }
        return null;
    }

    /** The analysis: a jar on the class path, a dataset by tag, a sum over it, the jar's answer, a snapshot. */
    private static String notebook() throws IOException {
        ObjectNode nb = JSON.createObjectNode();
        ArrayNode cells = nb.putArray("cells");
        code(cells, "%classpath lib/*", true);
        code(cells, "%data pull sales@v1", false);
        code(cells, "java.nio.file.Files.readAllLines(java.nio.file.Path.of(\"data/sales/sales.csv\")).stream().skip(1)\n"
                + "    .mapToInt(l -> Integer.parseInt(l.split(\",\")[1])).sum()", false);
        code(cells, "demo.Greeter.greet(\"Kiln\")", false);
        code(cells, "%env snapshot", false);
        ObjectNode md = cells.addObject();
        md.put("cell_type", "markdown");
        md.putObject("metadata");
        md.put("source", "Deterministic output and a timing:");
        code(cells, "System.out.println(\"rows: \" + 3);\n1 + 41", false);
        code(cells, "System.nanoTime()", true);
        ObjectNode meta = nb.putObject("metadata");
        meta.putObject("kernelspec").put("name", "kiln").put("display_name", "Kiln (Java)").put("language", "java");
        nb.put("nbformat", 4);
        nb.put("nbformat_minor", 4);
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(nb);
    }

    private static void code(ArrayNode cells, String source, boolean volatileCell) {
        ObjectNode c = cells.addObject();
        c.put("cell_type", "code");
        c.putNull("execution_count");
        ObjectNode meta = c.putObject("metadata");
        if (volatileCell) {
            meta.putArray("tags").add("volatile");
        }
        c.putArray("outputs");
        c.put("source", source);
    }

    /** {@code greeter-VERSION.jar} with {@code demo.Greeter.greet(name)} returning "WORD name". */
    private static Path greeterJar(Path dir, String version, String word) throws IOException {
        Path src = Files.createDirectories(dir.resolve("src-" + version + "/demo"));
        Files.writeString(src.resolve("Greeter.java"), "package demo;\npublic final class Greeter {\n"
                + "    public static String greet(String name) { return \"" + word + " \" + name; }\n}\n");
        Path classes = Files.createDirectories(dir.resolve("classes-" + version));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = javac.run(null, null, err, "--release", "17", "-d", classes.toString(), src.resolve("Greeter.java").toString());
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        Path jar = dir.resolve("greeter-" + version + ".jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            JarEntry e = new JarEntry("demo/Greeter.class");
            e.setTime(0);
            out.putNextEntry(e);
            out.write(Files.readAllBytes(classes.resolve("demo/Greeter.class")));
            out.closeEntry();
        }
        return jar;
    }
}
