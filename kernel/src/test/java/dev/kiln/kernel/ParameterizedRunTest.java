package dev.kiln.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.magics.cli.CommandRunner;
import dev.kiln.magics.cli.RunCommand;
import dev.kiln.magics.core.Progress;
import dev.kiln.magics.core.Result;
import dev.kiln.magics.core.Session;
import dev.kiln.magics.core.UserError;
import dev.kiln.magics.share.NotebookParameters;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kiln run -p} on the real kernel through nbclient: the values arrive in the notebook as
 * typed Java declarations after the parameters cell, the executed copy records them, and
 * {@code kiln reproduce} of that copy injects the recorded values again.
 */
@Timeout(600)
class ParameterizedRunTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private Path project;
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void kernel() throws Exception {
        new PythonTests(tmp); // installs the 'kiln' kernelspec under tmp/share/jupyter
        project = Files.createDirectories(tmp.resolve("project"));
    }

    @Test
    void valuesOfSeveralTypesAreInjectedTypedRecordedAndReproduced() throws Exception {
        Path nb = project.resolve("report.ipynb");
        Files.writeString(nb, notebook("int n = 10;\nString city = \"Bergen\";\ndouble rate = 0.5;\n"
                + "LocalDate day = LocalDate.of(2024, 1, 1);\nboolean loud = false;",
                "city + \"|\" + (n * rate) + \"|\" + day.getDayOfWeek() + \"|\" + loud",
                "((Object) n).getClass().getSimpleName() + \",\" + ((Object) rate).getClass().getSimpleName() + \",\" + "
                        + "((Object) extra).getClass().getSimpleName() + \",\" + (extra + 1)"));
        String source = Files.readString(nb);

        Result r = run("run", "report.ipynb", "-p", "n=20", "-p", "city=Troms\u00f8 \"north\"", "-p", "rate=0.25",
                "-p", "day=2024-02-29", "-p", "loud=true", "-p", "extra=7");

        assertEquals(source, Files.readString(nb), "the notebook itself is not changed");
        Path out = project.resolve("report.out.ipynb");
        JsonNode ran = JSON.readTree(out.toFile());
        JsonNode cells = ran.path("cells");
        assertEquals(6, cells.size(), cells.toString());
        JsonNode injected = cells.get(2);
        assertEquals(List.of(NotebookParameters.INJECTED_TAG), JSON.convertValue(injected.path("metadata").path("tags"), List.class));
        assertEquals(String.join("\n", "// Parameters", "int n = 20;", "String city = \"Troms\u00f8 \\\"north\\\"\";", "double rate = 0.25;",
                "LocalDate day = java.time.LocalDate.parse(\"2024-02-29\");", "boolean loud = true;", "int extra = 7;"),
                text(injected.path("source")));
        assertEquals("\"Troms\u00f8 \\\"north\\\"|5.0|THURSDAY|true\"", result(cells.get(3)), cells.get(3).toString());
        assertEquals("\"Integer,Double,Integer,8\"", result(cells.get(4)), cells.get(4).toString());
        assertEquals(List.of(
                Map.of("name", "n", "type", "int", "value", "20"),
                Map.of("name", "city", "type", "String", "value", "Troms\u00f8 \"north\""),
                Map.of("name", "rate", "type", "double", "value", "0.25"),
                Map.of("name", "day", "type", "LocalDate", "value", "2024-02-29"),
                Map.of("name", "loud", "type", "boolean", "value", "true"),
                Map.of("name", "extra", "type", "int", "value", "7", "inferred", true)),
                JSON.convertValue(ran.path("metadata").path("kiln").path("parameters"), List.class));
        assertEquals("kiln", ran.path("metadata").path("kernelspec").path("name").asText(), "the notebook's own metadata is kept");
        assertEquals(List.of("  In [1]", "  In [2]", "  In [3]", "  In [4]", "  In [5]"), progressLabels(), err.toString(StandardCharsets.UTF_8));
        // the bar says what runs and counts the code cells alone: it ends full, not at 5/6 and "reproduce"
        assertEquals(List.of("run: 5/5 done"), bars);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("Warning: Parameter 'extra' is not declared"), err.toString(StandardCharsets.UTF_8));
        assertEquals("run", r.provenance().command());
        assertEquals(List.of(), hiddenFiles(), "no temporary file is left beside the output");

        // reproduce injects what metadata.kiln records, whatever the injected cell now says
        ObjectNode edited = (ObjectNode) JSON.readTree(out.toFile());
        ((ObjectNode) edited.path("cells").get(2)).put("source", "// Parameters\nint n = 99;\nString city = \"elsewhere\";");
        Files.writeString(out, JSON.writeValueAsString(edited));
        run("reproduce", "report.out.ipynb"); // throws ReproduceCommand.Differs when a cell gives another output
        JsonNode again = JSON.readTree(project.resolve("report.out.reproduced.ipynb").toFile());
        assertEquals(text(injected.path("source")), text(again.path("cells").get(2).path("source")));
        assertEquals(result(cells.get(3)), result(again.path("cells").get(3)));
        assertEquals(result(cells.get(4)), result(again.path("cells").get(4)));
        assertEquals(ran.path("metadata").path("kiln").path("parameters"), again.path("metadata").path("kiln").path("parameters"));
    }

    @Test
    void aValueThatIsNotOfItsDeclaredTypeIsRefusedBeforeAnythingRuns() throws Exception {
        Path nb = project.resolve("report.ipynb");
        Files.writeString(nb, notebook("int n = 10;", "java.nio.file.Files.writeString(java.nio.file.Path.of(\"ran.txt\"), \"ran\")"));
        UserError e = assertThrows(UserError.class, () -> run("run", "report.ipynb", "-p", "n=twenty"));
        assertTrue(e.getMessage().startsWith("Parameter 'n' is an int in the parameters cell, and 'twenty' is not one."), e.getMessage());
        assertFalse(Files.exists(project.resolve("report.out.ipynb")));
        assertFalse(Files.exists(project.resolve("ran.txt")), "no cell ran");
        assertEquals(List.of(), hiddenFiles());
    }

    @Test
    void aFailedCellIsNamedAndTheExecutedCopyKeepsItsError() throws Exception {
        Path nb = project.resolve("report.ipynb");
        Files.writeString(nb, notebook("int n = 10;", "100 / (n - 20)", "n + 1"));
        RunCommand.CellFailed e = assertThrows(RunCommand.CellFailed.class,
                () -> run("run", "report.ipynb", "-p", "n=20", "-o", "out/failed.ipynb"));
        assertEquals(List.of(3), e.ran().failed().stream().map(c -> c.index()).toList(), e.getMessage());
        assertTrue(e.ran().failed().get(0).error().contains("ArithmeticException"), e.getMessage());
        JsonNode ran = JSON.readTree(project.resolve("out/failed.ipynb").toFile());
        assertEquals("error", ran.path("cells").get(3).path("outputs").get(0).path("output_type").asText(), ran.toString());
    }

    private final List<String> bars = new CopyOnWriteArrayList<>();

    private Result run(String... args) throws Exception {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("KILN_CACHE_DIR", tmp.resolve("cache").toString());
        env.put("JUPYTER_PATH", tmp.resolve("share/jupyter").toString());
        env.put("JUPYTER_DATA_DIR", tmp.resolve("jupyter-data").toString());
        env.put("JUPYTER_RUNTIME_DIR", tmp.resolve("jupyter-runtime").toString());
        env.remove("KILN_SIDECAR_URL");
        env.put("KILN_SIDECAR_FILE", tmp.resolve("no-sidecar.json").toString());
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        Progress recording = (label, total, unit) -> new Progress.Bar() { // the bars the CLI would draw
            private final AtomicLong done = new AtomicLong();

            @Override
            public void advance(long units) {
                done.addAndGet(units);
            }

            @Override
            public void close() {
                bars.add(label + ": " + done.get() + "/" + total + " done");
            }
        };
        Session s = new Session(project, quiet, new PrintStream(err, true, StandardCharsets.UTF_8), recording, env, "cli");
        return new CommandRunner(s).run(List.of(args));
    }

    private List<String> progressLabels() {
        return err.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("  In [")).map(l -> l.substring(0, 8)).toList();
    }

    /** Hidden files but the kernel's own state folder: the temporary files of a write. */
    private List<Path> hiddenFiles() throws Exception {
        try (Stream<Path> s = Files.walk(project)) {
            return s.filter(p -> p.getFileName().toString().startsWith(".") && !p.startsWith(project.resolve(".kiln"))).toList();
        }
    }

    private static String text(JsonNode source) {
        if (source.isArray()) {
            StringBuilder sb = new StringBuilder();
            source.forEach(x -> sb.append(x.asText()));
            return sb.toString();
        }
        return source.asText();
    }

    /** The text/plain of a cell's execute_result; null when it has none. */
    private static String result(JsonNode cell) {
        for (JsonNode o : cell.path("outputs")) {
            if (o.path("output_type").asText().equals("execute_result")) {
                return text(o.path("data").path("text/plain"));
            }
        }
        return null;
    }

    /** An import, the parameters cell holding {@code defaults}, then a code cell for each of {@code uses}. */
    private static String notebook(String defaults, String... uses) throws Exception {
        ObjectNode nb = JSON.createObjectNode();
        ArrayNode cells = nb.putArray("cells");
        code(cells, "import java.time.LocalDate;", null);
        code(cells, defaults, NotebookParameters.TAG);
        for (String use : uses) {
            code(cells, use, null);
        }
        ObjectNode notes = cells.addObject(); // not run, and not counted by the progress bar
        notes.put("cell_type", "markdown").put("id", "cell-" + cells.size()).put("source", "## What the run shows");
        notes.putObject("metadata");
        nb.putObject("metadata").putObject("kernelspec").put("name", "kiln").put("display_name", "Kiln (Java)").put("language", "java");
        nb.put("nbformat", 4);
        nb.put("nbformat_minor", 5);
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(nb);
    }

    private static void code(ArrayNode cells, String source, String tag) {
        ObjectNode c = cells.addObject();
        c.put("cell_type", "code");
        c.put("id", "cell-" + cells.size());
        c.putNull("execution_count");
        ObjectNode meta = c.putObject("metadata");
        if (tag != null) {
            meta.putArray("tags").add(tag);
        }
        c.putArray("outputs");
        c.put("source", source);
    }
}
