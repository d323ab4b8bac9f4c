package dev.kiln.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.magics.cli.CommandRunner;
import dev.kiln.magics.cli.ReproduceCommand;
import dev.kiln.magics.core.Progress;
import dev.kiln.magics.core.Result;
import dev.kiln.magics.core.Session;
import dev.kiln.magics.share.Reproduction;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kiln reproduce} on the real kernel with notebooks as people share them: a cell its author
 * interrupted, a cell that runs past its bound, a cell that kills the kernel, and a run stopped
 * with Ctrl-C. Each ends with the HTML report and the executed copy, in bounded time, and leaves
 * no temporary file behind.
 */
class ReproduceBoundedCellsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private Path project;
    private Path scratch;

    @BeforeEach
    void installKernel() throws IOException {
        new PythonTests(tmp); // the 'kiln' kernelspec under tmp/share/jupyter
        project = Files.createDirectories(tmp.resolve("project"));
        scratch = Files.createDirectories(tmp.resolve("scratch"));
    }

    @Test
    @Timeout(180)
    void aCellItsAuthorInterruptedRunsAboutItsRecordedTimeAndComparesAsInterrupted() throws Exception {
        writeNotebook(List.of(
                recorded("int x = 41;", 1, 0.05, List.of()),
                recorded("while (true) { }", 2, 3.0, List.of(interruptError())),
                recorded("x + 1", 3, 0.05, List.of(result(3, "42")))));
        Instant start = Instant.now();
        Result r = run("reproduce", "explore.ipynb");
        Duration took = Duration.between(start, Instant.now());

        JsonNode ran = JSON.readTree(project.resolve("explore.reproduced.ipynb").toFile());
        assertEquals("interrupted", status(ran, 1), ran.path("cells").get(1).toString());
        double seconds = ran.path("cells").get(1).path("metadata").path("kiln").path("reproduce").path("seconds").asDouble();
        assertTrue(seconds >= 3.0 && seconds < 10, "ran about its recorded 3 s before the interrupt: " + seconds);
        assertEquals("Interrupted", ran.path("cells").get(1).path("outputs").get(0).path("ename").asText());
        assertEquals("42", text(ran, 2), "the kernel went on after the interrupt, its state kept");
        assertTrue(r.text().startsWith("Reproduced " + project.resolve("explore.ipynb")), r.text());
        assertTrue(took.toSeconds() < 120, "bounded: " + took);
        ReproduceReport page = ReproduceReport.read(project.resolve("explore.reproduce.html"));
        assertEquals(Map.of("[1]", "same", "[2]", "interrupted", "[3]", "same"), page.statuses(), page.toString());
        assertTrue(page.cell("[2]").detail().matches("interrupted after \\d+\\.\\d s, as its author interrupted it"), page.toString());
        assertEquals("reproduced", page.headline(), "an interrupt its author made is no failure: " + page);
        assertEquals(null, page.ending(), page.toString());

        Result skipped = run("reproduce", "explore.ipynb", "--skip-interrupted");
        JsonNode again = JSON.readTree(project.resolve("explore.reproduced.ipynb").toFile());
        assertEquals("skipped", status(again, 1));
        assertEquals(0, again.path("cells").get(1).path("outputs").size());
        assertTrue(skipped.text().contains("--skip-interrupted"), skipped.text());
        ReproduceReport skippedPage = ReproduceReport.read(project.resolve("explore.reproduce.html"));
        assertEquals(List.of("same", "skipped", "same"), List.copyOf(skippedPage.statuses().values()), skippedPage.toString());
        assertEquals("its author interrupted it; not run (--skip-interrupted)", skippedPage.cell("[2]").detail());
        assertNoTemporaryFiles();
    }

    @Test
    @Timeout(180)
    void aCellPastItsBoundIsInterruptedAndTheRunGoesOn() throws Exception {
        writeNotebook(List.of(
                recorded("Thread.sleep(120_000); \"slept\"", 1, 0.2, List.of(result(1, "\"slept\""))),
                recorded("1 + 1", 2, 15.0, List.of(result(2, "2"))))); // 30 s bound: room for a fresh kernel's first cell
        Instant start = Instant.now();
        ReproduceCommand.Differs d = assertThrows(ReproduceCommand.Differs.class,
                () -> run("reproduce", "explore.ipynb", "--timeout-multiple", "2", "--timeout-floor", "3"));
        Duration took = Duration.between(start, Instant.now());
        Reproduction r = d.reproduction();
        assertEquals(Reproduction.Verdict.TIMED_OUT, r.cells().get(0).verdict(), r.text());
        assertEquals("[1]", r.cells().get(0).name());
        assertEquals(Reproduction.Verdict.MATCH, r.cells().get(1).verdict(), r.text());
        assertNull(r.ending(), "a timeout never ends the run: " + r.text());
        assertTrue(took.toSeconds() < 90, "the 120 s sleep was cut at its 3 s bound: " + took);
        assertTrue(r.cells().get(0).detail().contains("3.0 s"), r.cells().get(0).detail());
        JsonNode ran = JSON.readTree(project.resolve("explore.reproduced.ipynb").toFile());
        assertEquals("timed out", status(ran, 0));
        ReproduceReport page = ReproduceReport.read(project.resolve("explore.reproduce.html"));
        assertEquals(List.of("[1]", "[2]"), List.copyOf(page.statuses().keySet()), page.toString());
        assertEquals(List.of("TIMED OUT", "same"), List.copyOf(page.statuses().values()), page.toString());
        assertEquals(List.of("#cf222e", "#1a7f37"), page.cells().stream().map(ReproduceReport.Cell::color).toList(), page.toString());
        assertEquals("Thread.sleep(120_000); \"slept\"", page.cell("[1]").source());
        // a fresh kernel still warming up may miss the interrupt: then it is restarted, and the detail says so
        assertTrue(page.cell("[1]").detail().startsWith("timed out after 3.0 s (recorded: 0.2 s) and was interrupted"), page.toString());
        assertEquals(null, page.cell("[2]").detail(), page.toString());
        assertEquals("differs", page.headline(), page.toString());
        assertTrue(page.summary().startsWith("Did not reproduce ") && page.summary().endsWith(": 1 of 2 code cells match, 1 timed out."),
                page.summary());
        assertNoTemporaryFiles();
    }

    @Test
    @Timeout(180)
    void aCellWithNoRecordedTimeIsCutAtTheCellTimeout() throws Exception {
        writeNotebook(List.of(
                recorded("1 + 1", 1, 0.05, List.of(result(1, "2"))),
                recorded("Thread.sleep(120_000); \"slept\"", 2, null, List.of(result(2, "\"slept\""))),
                recorded("2 + 2", 3, 0.05, List.of(result(3, "4"))))); // recorded: the 60 s floor, not the 4 s default
        Instant start = Instant.now();
        ReproduceCommand.Differs d = assertThrows(ReproduceCommand.Differs.class,
                () -> run("reproduce", "explore.ipynb", "--cell-timeout", "4"));
        Duration took = Duration.between(start, Instant.now());
        Reproduction r = d.reproduction();
        assertEquals(List.of(Reproduction.Verdict.MATCH, Reproduction.Verdict.TIMED_OUT, Reproduction.Verdict.MATCH),
                r.cells().stream().map(Reproduction.Cell::verdict).toList(), r.text());
        assertTrue(took.toSeconds() < 90, "the 120 s sleep was cut at the 4 s --cell-timeout: " + took);
        ReproduceReport page = ReproduceReport.read(project.resolve("explore.reproduce.html"));
        assertEquals(Map.of("[1]", "same", "[2]", "TIMED OUT", "[3]", "same"), page.statuses(), page.toString());
        assertTrue(page.cell("[2]").detail().startsWith("timed out after 4.0 s (recorded: no time) and was interrupted"), page.toString());
        JsonNode ran = JSON.readTree(project.resolve("explore.reproduced.ipynb").toFile());
        assertEquals("timed out", status(ran, 1));
        assertEquals("4", text(ran, 2), "the kernel went on after the timeout");
        assertNoTemporaryFiles();
    }

    @Test
    @Timeout(180)
    void aCellThatKillsTheKernelEndsTheRunWithAReportOfTheCellsThatRan() throws Exception {
        writeNotebook(List.of(
                recorded("1 + 1", 1, 0.05, List.of(result(1, "2"))),
                // SIGKILL from inside: nothing in the kernel can stop it
                recorded("new ProcessBuilder(\"kill\", \"-9\", String.valueOf(ProcessHandle.current().pid())).start().waitFor()",
                        2, 0.05, List.of()),
                recorded("2 + 2", 3, 0.05, List.of(result(3, "4")))));
        Instant start = Instant.now();
        ReproduceCommand.Differs d = assertThrows(ReproduceCommand.Differs.class, () -> run("reproduce", "explore.ipynb"));
        Reproduction r = d.reproduction();
        assertEquals(List.of(Reproduction.Verdict.MATCH, Reproduction.Verdict.KERNEL_DIED, Reproduction.Verdict.NOT_RUN),
                r.cells().stream().map(Reproduction.Cell::verdict).toList(), r.text());
        assertTrue(r.ending().startsWith("the kernel died at cell [2]"), r.ending());
        assertTrue(Duration.between(start, Instant.now()).toSeconds() < 90);
        JsonNode ran = JSON.readTree(project.resolve("explore.reproduced.ipynb").toFile());
        assertEquals("2", text(ran, 0));
        assertEquals("not run", status(ran, 2));
        ReproduceReport page = ReproduceReport.read(project.resolve("explore.reproduce.html"));
        assertEquals(List.of("[1]", "[2]", "[3]"), List.copyOf(page.statuses().keySet()), page.toString());
        assertEquals(List.of("same", "KERNEL DIED", "NOT RUN"), List.copyOf(page.statuses().values()), page.toString());
        assertTrue(page.cell("[2]").detail().startsWith("the kernel died while it ran (after "), page.toString());
        assertEquals(r.ending(), page.ending());
        assertEquals("differs", page.headline(), page.toString());
        assertNoTemporaryFiles();
    }

    @Test
    @Timeout(240)
    void ctrlCStopsTheRunAndStillWritesTheReport() throws Exception {
        writeNotebook(List.of(
                recorded("1 + 1", 1, 0.05, List.of(result(1, "2"))),
                recorded("java.nio.file.Files.writeString(java.nio.file.Path.of(\"started\"), \"yes\");\nThread.sleep(600_000)",
                        2, null, List.of()),
                recorded("2 + 2", 3, 0.05, List.of(result(3, "4")))));
        // as a terminal starts it: SIGINT at its default (a build run in the background or under nohup
        // ignores it, and a JVM started with SIGINT ignored never runs its shutdown hooks on Ctrl-C)
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", "-c",
                "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execv(sys.argv[1], sys.argv[1:])",
                ProcessHandle.current().info().command().orElseThrow(),
                "-Djava.io.tmpdir=" + scratch, "-cp", System.getProperty("java.class.path"), "dev.kiln.magics.cli.Main",
                "reproduce", "explore.ipynb"));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(project.toFile()).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("cli.log").toFile());
        pb.environment().putAll(env());
        Process cli = pb.start();
        try {
            Path started = project.resolve("started");
            for (int i = 0; i < 1200 && !Files.exists(started) && cli.isAlive(); i++) {
                Thread.sleep(100);
            }
            assertTrue(Files.exists(started), "the second cell started: " + Files.readString(tmp.resolve("cli.log")));
            assertEquals(0, new ProcessBuilder("kill", "-INT", String.valueOf(cli.pid())).start().waitFor());
            assertTrue(cli.waitFor(90, TimeUnit.SECONDS), "the CLI ends after Ctrl-C");
        } finally {
            cli.descendants().forEach(ProcessHandle::destroyForcibly);
            cli.destroyForcibly();
        }
        String log = Files.readString(tmp.resolve("cli.log"));
        JsonNode ran = JSON.readTree(project.resolve("explore.reproduced.ipynb").toFile());
        assertEquals("2", text(ran, 0), log);
        assertEquals("stopped", status(ran, 1), log);
        assertEquals("not run", status(ran, 2), log);
        ReproduceReport page = ReproduceReport.read(project.resolve("explore.reproduce.html"));
        assertTrue(page.ending().startsWith("stopped (Ctrl-C) at cell [2]"), page.toString());
        assertEquals(List.of("same", "STOPPED", "NOT RUN"), List.copyOf(page.statuses().values()), page.toString());
        assertEquals("running when the run was stopped", page.cell("[2]").detail());
        try (Stream<Path> left = Files.list(scratch)) {
            assertEquals(List.of(), left.toList(), "the run's temporary directory is gone");
        }
        assertEquals(List.of(), kernelsOf(tmp), "no kernel left running");
        assertNoTemporaryFiles();
    }

    /** Kernels still running whose command line names a file under {@code dir}. */
    private static List<String> kernelsOf(Path dir) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            List<String> left = ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
                    .map(p -> p.info().commandLine().orElse(""))
                    .filter(c -> c.contains("dev.kiln.kernel") && c.contains(dir.toString())).toList();
            if (left.isEmpty()) {
                return left;
            }
            Thread.sleep(100);
        }
        return ProcessHandle.allProcesses().map(p -> p.info().commandLine().orElse(""))
                .filter(c -> c.contains("dev.kiln.kernel") && c.contains(dir.toString())).toList();
    }

    private void assertNoTemporaryFiles() throws IOException {
        try (Stream<Path> files = Files.list(project)) {
            List<String> names = files.map(p -> p.getFileName().toString())
                    .filter(n -> !n.equals("started") && !n.equals(".kiln")).sorted().toList(); // .kiln: the kernel's project state
            assertEquals(List.of("explore.ipynb", "explore.reproduce.html", "explore.reproduced.ipynb"), names);
        }
    }

    private Map<String, String> env() {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("KILN_CACHE_DIR", tmp.resolve("cache").toString());
        env.put("JUPYTER_PATH", tmp.resolve("share/jupyter").toString());
        env.put("JUPYTER_DATA_DIR", tmp.resolve("jupyter-data").toString());
        env.remove("KILN_SIDECAR_URL");
        env.put("KILN_SIDECAR_FILE", tmp.resolve("no-sidecar.json").toString());
        env.put("TMPDIR", scratch.toString());
        return env;
    }

    private Result run(String... args) throws Exception {
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        Session s = new Session(project, quiet, quiet, Progress.NONE, env(), "cli");
        return new CommandRunner(s).run(List.of(args));
    }

    private void writeNotebook(List<ObjectNode> cells) throws IOException {
        ObjectNode nb = JSON.createObjectNode();
        ArrayNode list = nb.putArray("cells");
        cells.forEach(list::add);
        nb.putObject("metadata").putObject("kernelspec").put("name", "kiln").put("display_name", "Kiln (Java)").put("language", "java");
        nb.put("nbformat", 4);
        nb.put("nbformat_minor", 5);
        Files.writeString(project.resolve("explore.ipynb"), JSON.writeValueAsString(nb));
    }

    /** A code cell as Jupyter saved it: its execution count, outputs and (when {@code seconds} is given) its timing. */
    private static ObjectNode recorded(String source, int count, Double seconds, List<ObjectNode> outputs) {
        ObjectNode c = JSON.createObjectNode();
        c.put("cell_type", "code");
        c.put("execution_count", count);
        ObjectNode meta = c.putObject("metadata");
        if (seconds != null) {
            Instant start = Instant.parse("2026-11-02T10:00:00Z");
            ObjectNode ex = meta.putObject("execution");
            ex.put("iopub.execute_input", start.toString());
            ex.put("shell.execute_reply", start.plusMillis((long) (seconds * 1000)).toString());
        }
        outputs.forEach(c.putArray("outputs")::add);
        c.put("source", source);
        return c;
    }

    private static ObjectNode result(int count, String plain) {
        ObjectNode o = JSON.createObjectNode();
        o.put("output_type", "execute_result");
        o.put("execution_count", count);
        o.putObject("data").put("text/plain", plain);
        o.putObject("metadata");
        return o;
    }

    private static ObjectNode interruptError() {
        ObjectNode o = JSON.createObjectNode();
        o.put("output_type", "error");
        o.put("ename", "Interrupted");
        o.put("evalue", "The cell was interrupted");
        o.putArray("traceback").add("Interrupted: the cell was stopped. Variables and methods defined before it are kept.");
        return o;
    }

    private static String status(JsonNode nb, int cell) {
        return nb.path("cells").get(cell).path("metadata").path("kiln").path("reproduce").path("status").asText();
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
}
