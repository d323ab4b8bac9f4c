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
import java.nio.file.Path;
import java.util.ArrayList;
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

    /** How to reproduce. {@code remote} null: the project's default remote. */
    public record Options(String remote, String volatileTag, String kernel, int cellTimeoutSeconds) {
        public Options {
            volatileTag = volatileTag == null ? NotebookProvenance.DEFAULT_VOLATILE_TAG : volatileTag;
            kernel = kernel == null ? "kiln" : kernel;
        }
    }

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

    public Reproduction reproduce(Path notebook, Options o) {
        ObjectNode recordedNb = NotebookFile.read(notebook);
        NotebookProvenance recorded = NotebookProvenance.of(recordedNb, o.volatileTag());
        List<Reproduction.Difference> differences = new ArrayList<>();
        List<String> notes = new ArrayList<>();

        Set<String> unpulled = pullRecorded(recorded, o.remote(), differences);

        // the re-run ends with a snapshot of the kernel's environment, for notebooks that take none themselves
        Path executed = executedCopy(notebook);
        ObjectNode toRun = recordedNb.deepCopy();
        ((ObjectNode) toRun.with("metadata")).remove("kiln"); // the record of the other run; the re-run makes its own
        NotebookParameters.injectRecorded(recordedNb, toRun); // the values kiln run recorded
        ObjectNode probe = ((com.fasterxml.jackson.databind.node.ArrayNode) toRun.get("cells")).addObject();
        probe.put("cell_type", "code");
        probe.putNull("execution_count");
        probe.putObject("metadata").putObject("kiln").put("reproduceProbe", true);
        probe.putArray("outputs");
        probe.put("source", "%env snapshot --no-store");
        NotebookFile.write(executed, toRun);
        new NotebookExecutor(session.env(), o.kernel(), o.cellTimeoutSeconds())
                .execute(executed, executed, notebook.toAbsolutePath().getParent(), notebook.toAbsolutePath().toString());
        ObjectNode rerunNb = NotebookFile.read(executed);
        com.fasterxml.jackson.databind.node.ArrayNode rerunCells = (com.fasterxml.jackson.databind.node.ArrayNode) rerunNb.get("cells");
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
            NotebookFile.write(executed, rerunNb);
        }
        NotebookProvenance rerun = NotebookProvenance.of(rerunNb, o.volatileTag());
        if (rerun.snapshot() == null && kernelSnapshot != null) {
            rerun = new NotebookProvenance(kernelSnapshot, rerun.datasets(), rerun.cellTimes(), rerun.volatileCells());
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
            if (unpulled.contains(n)) {
                continue;
            }
            if (a == null || b == null || !Objects.equals(a.version(), b.version())) {
                differences.add(new Reproduction.Difference("datasets", n, a == null ? null : "@" + OutputComparison.shortId(a.version()),
                        b == null ? "not used" : "@" + OutputComparison.shortId(b.version())));
            }
        }

        String environment;
        SnapshotDiff.Level level = null;
        EnvSnapshot ref = recorded.envSnapshot();
        EnvSnapshot now = rerun.envSnapshot();
        if (ref == null) {
            environment = "not compared: the notebook recorded no environment snapshot (run %env snapshot in it)";
        } else if (now == null) {
            environment = "not compared: the re-run could not take an environment snapshot (see the executed copy)";
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

        List<Reproduction.Cell> cells = compareCells(recordedNb, rerunNb, o.volatileTag(), level, notes);
        Reproduction r = new Reproduction(notebook.toString(), executed.toString(), environment, List.copyOf(differences),
                List.copyOf(notes), cells);
        NotebookFile.writeString(reportFile(notebook), "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Reproduce "
                + Html.escape(notebook.getFileName().toString()) + "</title></head><body style=\"font-family:sans-serif\">\n"
                + r.html() + "\n</body></html>\n");
        return r;
    }

    /** Pulls every dataset version the notebook recorded; returns those that could not be pulled. */
    private Set<String> pullRecorded(NotebookProvenance recorded, String remote, List<Reproduction.Difference> differences) {
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
        try (repo) {
            for (Map.Entry<String, NotebookProvenance.DatasetUse> e : versions.entrySet()) {
                NotebookProvenance.DatasetUse d = e.getValue();
                String spec = d.spec() + (d.subpath() == null ? "" : "/" + d.subpath());
                try {
                    repo.pull(spec, remote, false, d.path());
                } catch (UserError ex) {
                    failed.add(e.getKey());
                    differences.add(new Reproduction.Difference("datasets", e.getKey(), "@" + OutputComparison.shortId(d.version()),
                            "could not be pulled: " + ex.getMessage()));
                }
            }
        }
        return failed;
    }

    private static List<Reproduction.Cell> compareCells(JsonNode recordedNb, JsonNode rerunNb, String volatileTag,
                                                        SnapshotDiff.Level envLevel, List<String> notes) {
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
            if (!"code".equals(ca.path("cell_type").asText())) {
                out.add(new Reproduction.Cell(i, Reproduction.Verdict.NOT_CODE, source, null));
                continue;
            }
            if (NotebookProvenance.isVolatile(ca, volatileTag) || NotebookProvenance.isVolatile(cb, volatileTag)) {
                out.add(new Reproduction.Cell(i, Reproduction.Verdict.VOLATILE, source, null));
                continue;
            }
            List<OutputComparison.Comparable> ra = OutputComparison.reduce(ca.path("outputs"));
            List<OutputComparison.Comparable> rb = OutputComparison.reduce(cb.path("outputs"));
            String diff = OutputComparison.firstDifference(ra, rb);
            if (diff == null && envLevel == SnapshotDiff.Level.DIFFERS && rb.stream().anyMatch(c -> c.key().equals("snapshot"))) {
                diff = "the environment differs (see the differences above)";
            }
            out.add(new Reproduction.Cell(i, diff == null ? Reproduction.Verdict.MATCH : Reproduction.Verdict.DIFFERS, source, diff));
        }
        return List.copyOf(out);
    }
}
