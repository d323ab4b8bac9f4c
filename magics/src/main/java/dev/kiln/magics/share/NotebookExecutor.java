package dev.kiln.magics.share;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.magics.core.Progress;
import dev.kiln.magics.core.TempFiles;
import dev.kiln.magics.core.UserError;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Executes a notebook's code cells one at a time with a Jupyter kernel, through jupyter_client
 * (Debian's {@code /usr/bin/python3} or Kiln's own environment; the script {@code run_cells.py} beside this class):
 * each cell within its own bound, interrupted when it passes it; errors are outputs like any other.
 * Whatever ends the run — the last cell, a dead kernel, {@link #stop()} — the cells that ran come
 * back with their outputs, Jupyter's timing metadata and a status. The kernel's working directory
 * is the notebook's folder, as in Jupyter.
 */
public final class NotebookExecutor {

    /** Seconds an interrupted cell may take to stop before the kernel counts as unresponsive. */
    private static final int INTERRUPT_GRACE_SECONDS = 20;
    private static final int START_TIMEOUT_SECONDS = 120;
    private static final String PROGRESS = "kiln-progress ";

    /**
     * How to run one cell.
     *
     * @param name                  how progress names it ({@code [12]}: its recorded execution count)
     * @param interruptAfterSeconds set for a cell its author interrupted: run it this long, then interrupt it
     * @param skip                  leave it unrun (status "skipped")
     */
    public record CellPlan(int index, String name, double timeoutSeconds, Double interruptAfterSeconds, boolean skip) {
    }

    /** How a run ended. */
    public enum Ending {
        COMPLETED("completed"), STOPPED("stopped"), KERNEL_DIED("kernel died"), KERNEL_DID_NOT_START("kernel did not start"), RUNNER_FAILED("runner failed");

        private final String word;

        Ending(String word) {
            this.word = word;
        }

        static Ending of(String word) {
            for (Ending e : values()) {
                if (e.word.equals(word)) {
                    return e;
                }
            }
            return RUNNER_FAILED;
        }
    }

    /** What a cell's run came to, as the runner writes it into {@code metadata.kiln.reproduce.status}. */
    public enum CellStatus {
        RAN("ran"), TIMED_OUT("timed out"), INTERRUPTED("interrupted"), SKIPPED("skipped"), STOPPED("stopped"),
        KERNEL_DIED("kernel died"), NOT_RUN("not run");

        private final String word;

        CellStatus(String word) {
            this.word = word;
        }

        /** The status a run wrote into {@code cell}'s metadata; NOT_RUN when it wrote none. */
        public static CellStatus of(JsonNode cell) {
            String w = cell.path("metadata").path("kiln").path("reproduce").path("status").asText("not run");
            for (CellStatus s : values()) {
                if (s.word.equals(w)) {
                    return s;
                }
            }
            return NOT_RUN;
        }

        public String word() {
            return word;
        }

        /** Whether the kernel did not stop {@code cell} when interrupted and was restarted for the cells after it. */
        public static boolean restartedAfter(JsonNode cell) {
            return cell.path("metadata").path("kiln").path("reproduce").path("restarted").asBoolean(false);
        }
    }

    /**
     * The executed notebook and how the run ended.
     *
     * @param cell   the index of the cell where it stopped or the kernel died; -1 otherwise
     * @param detail what the runner said when it failed or the kernel did not start; null otherwise
     */
    public record Run(ObjectNode notebook, Ending ending, int cell, String detail) {
    }

    private final Map<String, String> env;
    private final String kernel;
    private volatile Process running;

    /**
     * @param env    the environment of jupyter_client and so of the kernel (credentials, KILN_CACHE_DIR, JUPYTER_PATH …)
     * @param kernel the kernelspec name, {@code kiln} normally
     */
    public NotebookExecutor(Map<String, String> env, String kernel) {
        this.env = env;
        this.kernel = kernel;
    }

    /**
     * Runs every code cell of {@code notebook} with at most {@code cellTimeoutSeconds} each and
     * writes the executed notebook to {@code out} (atomically; {@code out} may be {@code notebook}).
     */
    public Run execute(Path notebook, Path out, Path workDir, String sessionName, int cellTimeoutSeconds) {
        ObjectNode nb = NotebookFile.read(notebook);
        List<CellPlan> plan = new ArrayList<>();
        for (int i = 0; i < nb.path("cells").size(); i++) {
            plan.add(new CellPlan(i, "#" + i, cellTimeoutSeconds, null, false));
        }
        Run r = execute("run", nb, plan, workDir, sessionName, Progress.NONE);
        NotebookFile.write(out, r.notebook());
        return r;
    }

    /**
     * Runs the cells {@code plan} names, in its order, under a progress bar labelled {@code task}
     * ({@code run}, {@code reproduce}). {@code JPY_SESSION_NAME} is set to {@code sessionName}, as
     * Jupyter sets it, so magics know their notebook.
     */
    public Run execute(String task, ObjectNode notebook, List<CellPlan> plan, Path workDir, String sessionName, Progress progress) {
        String python = python();
        Path tmp = null;
        try {
            tmp = Files.createTempDirectory("kiln-reproduce-");
            Path in = tmp.resolve("in.ipynb");
            Path out = tmp.resolve("out.ipynb");
            NotebookFile.write(in, notebook);
            Files.writeString(tmp.resolve("plan.json"), NotebookFile.JSON.writeValueAsString(Map.of(
                    "notebook", in.toString(), "cells", plan, "interruptGrace", INTERRUPT_GRACE_SECONDS,
                    "startTimeout", START_TIMEOUT_SECONDS)));
            Path script = tmp.resolve("run_cells.py");
            try (InputStream s = NotebookExecutor.class.getResourceAsStream("run_cells.py")) {
                Files.copy(s, script);
            }
            Map<String, String> e = new HashMap<>(env);
            e.put("JPY_SESSION_NAME", sessionName);
            e.put("JUPYTER_RUNTIME_DIR", tmp.resolve("runtime").toString()); // the kernel's connection file goes with tmp
            ProcessBuilder pb = new ProcessBuilder(python, script.toString(), tmp.resolve("plan.json").toString(),
                    out.toString(), kernel, workDir.toAbsolutePath().toString()).directory(workDir.toFile())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD);
            pb.environment().clear();
            pb.environment().putAll(e);
            // the runner runs code cells only, and counts skipped ones as done too
            long code = plan.stream().filter(c -> "code".equals(notebook.path("cells").path(c.index()).path("cell_type").asText())).count();
            double bound = START_TIMEOUT_SECONDS + 60 + plan.stream().filter(c -> !c.skip())
                    .mapToDouble(c -> (c.interruptAfterSeconds() == null ? c.timeoutSeconds() : c.interruptAfterSeconds())
                            + INTERRUPT_GRACE_SECONDS + 5).sum();
            Process p = pb.start();
            running = p;
            Deque<String> tail = new ArrayDeque<>();
            try (Progress.Bar bar = progress.start(task, code, Progress.Unit.ITEMS)) {
                Thread reader = new Thread(() -> readErr(p.getErrorStream(), plan, bar, tail), "kiln-reproduce-progress");
                reader.setDaemon(true);
                reader.start();
                if (!p.waitFor((long) bound, TimeUnit.SECONDS)) {
                    stop();
                }
                p.waitFor();
                reader.join(5_000);
            } finally {
                running = null;
            }
            if (!Files.isRegularFile(out)) {
                String said;
                synchronized (tail) {
                    said = String.join("\n", tail);
                }
                return new Run(notebook, Ending.RUNNER_FAILED, -1, "the cell runner (jupyter_client) exited with code "
                        + p.exitValue() + (said.isBlank() ? "" : ": " + said));
            }
            ObjectNode ran = NotebookFile.read(out);
            JsonNode how = ran.path("metadata").path("kiln").path("reproduce");
            ((ObjectNode) ran.with("metadata").with("kiln")).remove("reproduce");
            if (ran.path("metadata").path("kiln").isEmpty()) {
                ((ObjectNode) ran.get("metadata")).remove("kiln");
            }
            Ending ending = Ending.of(how.path("ended").asText());
            String detail = how.path("detail").asText(null);
            if (ending == Ending.RUNNER_FAILED && detail == null) {
                detail = "the cell runner (jupyter_client) ended before the last cell, exit code " + p.exitValue();
            }
            return new Run(ran, ending, how.path("cell").asInt(-1), detail);
        } catch (IOException ex) {
            throw new UserError("Could not run the notebook's cells: " + ex.getMessage() + ". Check that the system's temporary "
                    + "directory is writable and /usr/bin/python3 runs.", ex);
        } catch (InterruptedException ex) {
            stop();
            Thread.currentThread().interrupt();
            throw new UserError("Interrupted while running the notebook's cells.", ex);
        } finally {
            TempFiles.deleteQuietly(tmp);
        }
    }

    /**
     * The first Python with jupyter_client and nbformat: {@code KILN_PYTHON}, Debian's, then Kiln's
     * own environment ({@code ./kiln lab}'s, the image's {@code /opt/kiln/venv}).
     */
    private String python() {
        List<String> candidates = new ArrayList<>();
        if (env.get("KILN_PYTHON") != null) {
            candidates.add(env.get("KILN_PYTHON"));
        }
        candidates.add("/usr/bin/python3");
        String data = env.getOrDefault("XDG_DATA_HOME", env.getOrDefault("HOME", "/nonexistent") + "/.local/share");
        candidates.add(env.getOrDefault("KILN_LAB_VENV", data + "/kiln/venv") + "/bin/python3");
        candidates.add("/opt/kiln/venv/bin/python3");
        for (String c : candidates) {
            if (!Files.isExecutable(Path.of(c))) {
                continue;
            }
            try {
                Process p = new ProcessBuilder(c, "-c", "import jupyter_client, nbformat").redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return c;
                }
                p.destroyForcibly();
            } catch (IOException e) {
                // not runnable: the next one
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new UserError("Cannot run the notebook: no Python with jupyter_client and nbformat (tried " + String.join(", ", candidates)
                + "). Install Debian's jupyter-client and python3-nbformat (apt-get install jupyter-client python3-nbformat), "
                + "or set KILN_PYTHON to a Python that has them.");
    }

    /**
     * Stops a run in progress (Ctrl-C reaches the JVM's shutdown hook): the runner interrupts the
     * cell, writes what ran and shuts the kernel down; waits for it a bounded time.
     */
    public void stop() {
        Process p = running;
        if (p == null) {
            return;
        }
        p.destroy(); // SIGTERM: the runner's signal handler ends the run in order
        try {
            if (!p.waitFor(INTERRUPT_GRACE_SECONDS + 10, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Reads the runner's standard error: progress lines move the bar, the rest is kept for a message. */
    private static void readErr(InputStream err, List<CellPlan> plan, Progress.Bar bar, Deque<String> tail) {
        Map<Integer, String> names = new HashMap<>();
        plan.forEach(c -> names.put(c.index(), c.name()));
        int[] done = {0};
        try (BufferedReader r = new BufferedReader(new InputStreamReader(err, StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.startsWith(PROGRESS)) {
                    JsonNode p = NotebookFile.JSON.readTree(line.substring(PROGRESS.length()));
                    int now = p.path("done").asInt();
                    if (now > done[0]) {
                        bar.advance(now - done[0]);
                        done[0] = now;
                    }
                    int cell = p.path("cell").asInt(-1);
                    bar.note(cell < 0 ? "done" : "running cell " + names.getOrDefault(cell, "#" + cell));
                    continue;
                }
                synchronized (tail) {
                    tail.addLast(line);
                    if (tail.size() > 8) {
                        tail.removeFirst();
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (UserError e) {
            // the bar stops when the user interrupts: the runner's own signal handling ends the run
        }
    }
}
