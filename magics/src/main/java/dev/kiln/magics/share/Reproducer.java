package dev.kiln.magics.share;

import dev.kiln.magics.core.Html;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.magics.core.Provenance;
import dev.kiln.magics.core.ProvenanceJson;
import dev.kiln.magics.core.Session;
import dev.kiln.magics.core.UserError;
import dev.kiln.magics.data.DataRepository;
import dev.kiln.magics.env.EnvSnapshot;
import dev.kiln.magics.env.SnapshotDiff;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.kiln.magics.data.RemoteConfig;
import dev.kiln.magics.data.remote.RemoteAccessDenied;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * {@code kiln reproduce}: pulls the dataset versions a notebook recorded, re-executes it with the
 * Kiln kernel, then compares the re-run with the record: the environment (env's snapshot diff of
 * the recorded snapshot and the re-run's), the dataset versions the cells used, and every cell's
 * outputs. The notebook itself is never changed; the executed copy is written beside it.
 */
public final class Reproducer {

    /**
     * How to reproduce. {@code remote} null: the project's default remote.
     *
     * @param bounds          how long each cell may run
     * @param skipInterrupted leave the cells their author interrupted unrun, instead of running them for their recorded time
     * @param noData          pull no datasets (the workspace has them already, or they are not needed)
     */
    public record Options(String remote, String volatileTag, String kernel, CellBounds bounds, boolean skipInterrupted,
                          boolean noData) {
        public Options {
            volatileTag = volatileTag == null ? NotebookProvenance.DEFAULT_VOLATILE_TAG : volatileTag;
            kernel = kernel == null ? "kiln" : kernel;
            bounds = bounds == null ? CellBounds.DEFAULT : bounds;
        }
    }

    /**
     * A cell's time limit: {@code multiple} times the time it took when recorded, at least
     * {@code floorSeconds}; {@code defaultSeconds} for a cell with no recorded time.
     */
    public record CellBounds(double multiple, double floorSeconds, double defaultSeconds) {
        public static final CellBounds DEFAULT = new CellBounds(10, 60, 600);

        double timeout(Double recordedSeconds) {
            return recordedSeconds == null ? defaultSeconds : Math.max(floorSeconds, multiple * recordedSeconds);
        }
    }

    /** The error names of a cell its author interrupted: the Kiln kernel's, and IPython's. */
    private static final Set<String> INTERRUPT_ERRORS = Set.of("Interrupted", "KeyboardInterrupt");
    /** Seconds to run an interrupted cell whose duration was not recorded. */
    private static final double INTERRUPTED_UNTIMED_SECONDS = 10;

    private final Session session;

    public Reproducer(Session session) {
        this.session = session;
    }

    /** Where the executed copy of {@code notebook} goes: {@code NAME.reproduced.ipynb} beside it. */
    public static Path executedCopy(Path notebook) {
        return notebook.resolveSibling(notebook.getFileName().toString().replaceFirst("\\.ipynb$", "") + ".reproduced.ipynb");
    }

    /** Where the HTML report goes: {@code NAME.reproduce.html} beside it. */
    public static Path reportFile(Path notebook) {
        return notebook.resolveSibling(notebook.getFileName().toString().replaceFirst("\\.ipynb$", "") + ".reproduce.html");
    }

    /**
     * Reproduces {@code notebook} and writes the executed copy and the HTML report beside it,
     * however the run ends: a cell past its time, a dead kernel, Ctrl-C (the JVM's shutdown hook
     * stops the run and waits for the report of what ran).
     */
    public Reproduction reproduce(Path notebook, Options o) {
        ObjectNode recordedNb = NotebookFile.read(notebook);
        NotebookProvenance recorded = NotebookProvenance.of(recordedNb, o.volatileTag());
        List<Reproduction.Difference> differences = new ArrayList<>();
        List<String> notes = new ArrayList<>();

        Set<String> unpulled = o.noData() ? recorded.lastVersions().keySet() : pullRecorded(recorded, o.remote(), differences, notes);
        if (o.noData() && !unpulled.isEmpty()) {
            notes.add("--no-data: the recorded dataset versions were not pulled; the cells used what the workspace holds");
        }

        ObjectNode toRun = prepareForExecution(recordedNb);
        List<NotebookExecutor.CellPlan> plan = plan(recordedNb, recorded, toRun, o);
        NotebookExecutor executor = new NotebookExecutor(session.env(), o.kernel());
        CountDownLatch reported = new CountDownLatch(1);
        Thread onCtrlC = new Thread(() -> {
            executor.stop();
            try {
                reported.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "kiln-reproduce-stop");
        Runtime.getRuntime().addShutdownHook(onCtrlC);
        try {
            NotebookExecutor.Run run = executor.execute("reproduce", toRun, plan, notebook.toAbsolutePath().getParent(),
                    notebook.toAbsolutePath().toString(), session.progress());
            Reproduction r = compare(notebook, recordedNb, recorded, run, plan, differences, notes, unpulled, o);
            if (run.ending() == NotebookExecutor.Ending.STOPPED) {
                session.err().println(r.text()); // the JVM is shutting down: the report is all the user will see
            }
            return r;
        } finally {
            reported.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(onCtrlC);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it returns once the report is written
            }
        }
    }

    /**
     * The notebook as the kernel will run it: the recorded one without its record of the other run
     * (the re-run makes its own), and a last cell that snapshots the kernel's environment, for
     * notebooks that take none themselves. Every change to what runs belongs here.
     */
    static ObjectNode prepareForExecution(ObjectNode recordedNb) {
        ObjectNode toRun = recordedNb.deepCopy();
        ((ObjectNode) toRun.with("metadata")).remove("kiln");
        NotebookParameters.injectRecorded(recordedNb, toRun); // the values kiln run recorded
        ObjectNode probe = ((ArrayNode) toRun.get("cells")).addObject();
        probe.put("cell_type", "code");
        probe.putNull("execution_count");
        probe.putObject("metadata").putObject("kiln").put("reproduceProbe", true);
        probe.putArray("outputs");
        probe.put("source", "%env snapshot --no-store");
        return toRun;
    }

    /** Each code cell's bound: from its recorded time; a cell its author interrupted runs about as long, then is interrupted. */
    private static List<NotebookExecutor.CellPlan> plan(JsonNode recordedNb, NotebookProvenance recorded, JsonNode toRun, Options o) {
        Map<Integer, Double> seconds = new HashMap<>();
        recorded.cellTimes().forEach(t -> seconds.put(t.cell(), t.seconds()));
        List<NotebookExecutor.CellPlan> plan = new ArrayList<>();
        JsonNode cells = toRun.path("cells");
        for (int i = 0; i < cells.size(); i++) {
            if (!"code".equals(cells.get(i).path("cell_type").asText())) {
                continue;
            }
            JsonNode rec = recordedNb.path("cells").path(i);
            Double took = seconds.get(i);
            boolean interrupted = i < recordedNb.path("cells").size() && wasInterrupted(rec);
            Double interruptAfter = interrupted ? (took == null ? INTERRUPTED_UNTIMED_SECONDS : Math.max(1, took)) : null;
            plan.add(new NotebookExecutor.CellPlan(i, Reproduction.cellName(i, count(rec)), o.bounds().timeout(took), interruptAfter,
                    interrupted && o.skipInterrupted()));
        }
        return plan;
    }

    static boolean wasInterrupted(JsonNode cell) {
        for (JsonNode out : cell.path("outputs")) {
            if ("error".equals(out.path("output_type").asText()) && INTERRUPT_ERRORS.contains(out.path("ename").asText())) {
                return true;
            }
        }
        return false;
    }

    private static Integer count(JsonNode cell) {
        JsonNode c = cell.path("execution_count");
        return c.isInt() ? c.asInt() : null;
    }

    private Reproduction compare(Path notebook, ObjectNode recordedNb, NotebookProvenance recorded, NotebookExecutor.Run run,
                                 List<NotebookExecutor.CellPlan> plan, List<Reproduction.Difference> differences,
                                 List<String> notes, Set<String> unpulled, Options o) {
        Path executed = executedCopy(notebook);
        ObjectNode rerunNb = run.notebook();
        ArrayNode rerunCells = (ArrayNode) rerunNb.get("cells");
        JsonNode probed = rerunCells.size() > 0 ? rerunCells.get(rerunCells.size() - 1) : null;
        Provenance.Snapshot kernelSnapshot = null;
        if (probed != null && probed.path("metadata").path("kiln").path("reproduceProbe").asBoolean(false)) {
            rerunCells.remove(rerunCells.size() - 1);
            for (JsonNode out : probed.path("outputs")) {
                Provenance.Snapshot s = ProvenanceJson.read(out.path("metadata").path("kiln")).snapshot();
                if (s != null && s.environment() != null) {
                    kernelSnapshot = s;
                }
            }
        }
        NotebookFile.write(executed, rerunNb);
        String ending = ending(run, recordedNb);
        NotebookProvenance rerun = NotebookProvenance.of(rerunNb, o.volatileTag());
        if (rerun.snapshot() == null && kernelSnapshot != null) {
            rerun = new NotebookProvenance(kernelSnapshot, rerun.datasets(), rerun.conversions(), rerun.cellTimes(), rerun.volatileCells());
            notes.add("the notebook takes no snapshot itself: its environment was compared at the end of the re-run");
        }

        Map<String, NotebookProvenance.DatasetUse> before = recorded.lastVersions();
        Map<String, NotebookProvenance.DatasetUse> after = rerun.lastVersions();
        Set<String> names = new LinkedHashSet<>(before.keySet());
        names.addAll(after.keySet());
        Set<String> datasetNames = new LinkedHashSet<>();
        for (String n : names) {
            NotebookProvenance.DatasetUse a = before.get(n);
            NotebookProvenance.DatasetUse b = after.get(n);
            datasetNames.add(a != null ? a.dataset() : b.dataset());
            if (unpulled.contains(n) || (b == null && a != null && !ranToEnd(rerunNb, a.cell()))) {
                continue; // could not be pulled (said above), or its cell never ran (said per cell)
            }
            if (a == null || b == null || !Objects.equals(a.version(), b.version())) {
                differences.add(new Reproduction.Difference("datasets", n, a == null ? null : "@" + OutputComparison.shortId(a.version()),
                        b == null ? "not used" : "@" + OutputComparison.shortId(b.version())));
            }
        }

        differences.addAll(RecordedConversion.differences(recorded.conversions(), rerun.conversions(),
                cell -> ranToEnd(rerunNb, cell) && !recorded.volatileCells().contains(cell)));

        String environment;
        SnapshotDiff.Level level = null;
        EnvSnapshot ref = recorded.envSnapshot();
        EnvSnapshot now = rerun.envSnapshot();
        if (ref == null) {
            environment = "not compared: the notebook recorded no environment snapshot (run %env snapshot in it)";
        } else if (now == null) {
            environment = "not compared: the re-run took no environment snapshot"
                    + (ending == null ? " (see the executed copy)" : " (it ended early)");
        } else {
            SnapshotDiff diff = SnapshotDiff.between(ref, now);
            level = diff.level();
            environment = level.word() + " (recorded " + ref.shortId() + ", re-run " + now.shortId() + ")";
            for (SnapshotDiff.Change c : diff.changes()) {
                if (c.area().equals("datasets") && datasetNames.stream().anyMatch(n -> c.name().equals(n) || c.name().startsWith(n + " "))) {
                    continue; // the cells' own dataset versions say it more precisely
                }
                if (c.level() == SnapshotDiff.Level.DIFFERS) {
                    differences.add(new Reproduction.Difference(c.area(), c.name(), c.before(), c.after()));
                } else {
                    notes.add("compatible " + c.area() + ": " + c.describe());
                }
            }
        }

        Map<Integer, NotebookExecutor.CellPlan> plans = new HashMap<>();
        plan.forEach(c -> plans.put(c.index(), c));
        if (o.skipInterrupted() && plan.stream().anyMatch(NotebookExecutor.CellPlan::skip)) {
            notes.add("--skip-interrupted: the cells their author interrupted were not run");
        }
        List<Reproduction.Cell> cells = compareCells(recordedNb, rerunNb, o.volatileTag(), level, plans, notes);
        Reproduction r = new Reproduction(notebook.toString(), executed.toString(), ending, environment, List.copyOf(differences),
                List.copyOf(notes), cells);
        NotebookFile.writeString(reportFile(notebook), "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Reproduce "
                + Html.escape(notebook.getFileName().toString()) + "</title></head><body style=\"font-family:sans-serif\">\n"
                + r.html() + "\n</body></html>\n");
        return r;
    }

    /** Whether the re-run ran cell {@code index} to its end. */
    private static boolean ranToEnd(JsonNode rerunNb, int index) {
        JsonNode c = rerunNb.path("cells").path(index);
        return c.isMissingNode() || NotebookExecutor.CellStatus.of(c) == NotebookExecutor.CellStatus.RAN;
    }

    /** How the run ended when it did not run every cell; null when it did. */
    private static String ending(NotebookExecutor.Run run, JsonNode recordedNb) {
        String at = run.cell() < 0 ? "" : Reproduction.cellName(run.cell(), count(recordedNb.path("cells").path(run.cell())));
        return switch (run.ending()) {
            case COMPLETED -> null;
            case STOPPED -> "stopped (Ctrl-C)" + (at.isEmpty() ? "" : " at cell " + at) + ": the cells after it were not run";
            case KERNEL_DIED -> "the kernel died at cell " + at + "; the cells after it were not run";
            case KERNEL_DID_NOT_START -> "the kernel did not start (" + run.detail() + "); no cell ran. "
                    + "Install it with 'kiln kernel install', or name another with --kernel.";
            case RUNNER_FAILED -> "the cells could not be run: " + run.detail();
        };
    }

    /**
     * Pulls every dataset version the notebook recorded; returns those that could not be pulled.
     * When the remote refuses for want of credentials, one note says which remote, which versions
     * and what to set.
     */
    private Set<String> pullRecorded(NotebookProvenance recorded, String remote, List<Reproduction.Difference> differences,
                                     List<String> notes) {
        Set<String> failed = new LinkedHashSet<>();
        Map<String, NotebookProvenance.DatasetUse> versions = recorded.lastVersions();
        if (versions.isEmpty()) {
            return failed;
        }
        DataRepository repo;
        try {
            repo = DataRepository.open(session.projectDir(), session.env(), session.progress(), 16);
        } catch (UserError ex) {
            for (Map.Entry<String, NotebookProvenance.DatasetUse> e : versions.entrySet()) {
                failed.add(e.getKey());
                differences.add(new Reproduction.Difference("datasets", e.getKey(), "@" + OutputComparison.shortId(e.getValue().version()),
                        "could not be pulled: " + ex.getMessage()));
            }
            return failed;
        }
        List<String> denied = new ArrayList<>();
        String deniedRemote = null;
        try (repo) {
            for (Map.Entry<String, NotebookProvenance.DatasetUse> e : versions.entrySet()) {
                NotebookProvenance.DatasetUse d = e.getValue();
                String spec = d.spec() + (d.subpath() == null ? "" : "/" + d.subpath());
                try {
                    if (d.readInPlace()) {
                        repo.cachedFiles(spec, remote); // %%sql reads it from the cache: fetched there, the workspace untouched
                    } else {
                        repo.pull(spec, remote, false, d.path());
                    }
                } catch (RemoteAccessDenied ex) {
                    failed.add(e.getKey());
                    deniedRemote = ex.remote();
                    denied.add(spec + " (version " + OutputComparison.shortId(d.version()) + ")");
                    differences.add(new Reproduction.Difference("datasets", e.getKey(), "@" + OutputComparison.shortId(d.version()),
                            "could not be pulled: no access to remote '" + ex.remote() + "'"));
                } catch (UserError ex) {
                    failed.add(e.getKey());
                    differences.add(new Reproduction.Difference("datasets", e.getKey(), "@" + OutputComparison.shortId(d.version()),
                            "could not be pulled: " + ex.getMessage()));
                }
            }
            if (deniedRemote != null) {
                RemoteConfig rc = repo.remoteConfigs().get(deniedRemote);
                notes.add("the data remote '" + deniedRemote + "'" + (rc == null ? "" : " (" + rc.url()
                        + (rc.endpoint() == null ? "" : " at " + rc.endpoint()) + ")")
                        + " needs credentials you lack for " + String.join(", ", denied) + ": set AWS_ACCESS_KEY_ID and "
                        + "AWS_SECRET_ACCESS_KEY (or AWS_PROFILE" + (rc != null && rc.profile() != null ? ", the remote's profile '"
                        + rc.profile() + "'" : "") + ") to a key with read access to it ('kiln data remote check "
                        + deniedRemote + "' tells what a key may do), pull from another remote with --data-remote NAME, "
                        + "or run with --no-data to use the data the workspace holds");
            }
        }
        return failed;
    }

    /** Each cell's verdict: how its run ended first (timed out, interrupted, not run …), then its outputs against the record. */
    private static List<Reproduction.Cell> compareCells(JsonNode recordedNb, JsonNode rerunNb, String volatileTag,
                                                        SnapshotDiff.Level envLevel, Map<Integer, NotebookExecutor.CellPlan> plans,
                                                        List<String> notes) {
        JsonNode a = recordedNb.path("cells");
        JsonNode b = rerunNb.path("cells");
        if (a.size() != b.size()) {
            notes.add("the re-run has " + b.size() + " cells, the record " + a.size());
        }
        List<Reproduction.Cell> out = new ArrayList<>();
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            JsonNode ca = a.get(i);
            JsonNode cb = b.get(i);
            String source = NotebookFile.text(ca.get("source"));
            Integer count = count(ca);
            if (!"code".equals(ca.path("cell_type").asText())) {
                out.add(new Reproduction.Cell(i, count, Reproduction.Verdict.NOT_CODE, source, null));
                continue;
            }
            NotebookExecutor.CellStatus status = NotebookExecutor.CellStatus.of(cb);
            double took = cb.path("metadata").path("kiln").path("reproduce").path("seconds").asDouble();
            NotebookExecutor.CellPlan plan = plans.get(i);
            Reproduction.Cell ended = switch (status) {
                case TIMED_OUT -> new Reproduction.Cell(i, count, Reproduction.Verdict.TIMED_OUT, source,
                        "timed out after " + seconds(plan.timeoutSeconds()) + " (recorded: " + recordedTime(ca) + ") and was interrupted");
                case INTERRUPTED -> new Reproduction.Cell(i, count, Reproduction.Verdict.INTERRUPTED, source,
                        "interrupted after " + seconds(took) + ", as its author interrupted it");
                case SKIPPED -> new Reproduction.Cell(i, count, Reproduction.Verdict.SKIPPED, source,
                        "its author interrupted it; not run (--skip-interrupted)");
                case STOPPED -> new Reproduction.Cell(i, count, Reproduction.Verdict.STOPPED, source, "running when the run was stopped");
                case KERNEL_DIED -> new Reproduction.Cell(i, count, Reproduction.Verdict.KERNEL_DIED, source,
                        "the kernel died while it ran (after " + seconds(took) + ")");
                case NOT_RUN -> new Reproduction.Cell(i, count, Reproduction.Verdict.NOT_RUN, source, null);
                case RAN -> null;
            };
            if (ended != null && NotebookExecutor.CellStatus.restartedAfter(cb)) {
                ended = new Reproduction.Cell(i, count, ended.verdict(), source, ended.detail()
                        + "; the kernel did not stop it and was restarted");
                notes.add("the kernel did not stop cell " + ended.name() + " when interrupted and was restarted: the cells after it "
                        + "ran in a fresh kernel, without what the cells before it defined");
            }
            if (ended != null) {
                out.add(ended);
                continue;
            }
            if (NotebookProvenance.isVolatile(ca, volatileTag) || NotebookProvenance.isVolatile(cb, volatileTag)) {
                out.add(new Reproduction.Cell(i, count, Reproduction.Verdict.VOLATILE, source, null));
                continue;
            }
            List<OutputComparison.Comparable> ra = OutputComparison.reduce(ca.path("outputs"));
            List<OutputComparison.Comparable> rb = OutputComparison.reduce(cb.path("outputs"));
            String diff = OutputComparison.firstDifference(ra, rb);
            if (diff == null && envLevel == SnapshotDiff.Level.DIFFERS && rb.stream().anyMatch(c -> c.key().equals("snapshot"))) {
                diff = "the environment differs (see the differences above)";
            }
            if (plan != null && plan.interruptAfterSeconds() != null && diff != null) {
                diff = "its author interrupted it; here it finished in " + seconds(took) + ": " + diff;
            }
            out.add(new Reproduction.Cell(i, count, diff == null ? Reproduction.Verdict.MATCH : Reproduction.Verdict.DIFFERS, source, diff));
        }
        return List.copyOf(out);
    }

    private static String recordedTime(JsonNode cell) {
        NotebookProvenance.CellTime t = NotebookProvenance.cellTime(0, cell.path("metadata").path("execution"));
        return t == null ? "no time" : seconds(t.seconds());
    }

    private static String seconds(double s) {
        return s >= 10 ? Math.round(s) + " s" : String.format(java.util.Locale.ROOT, "%.1f s", s);
    }
}
