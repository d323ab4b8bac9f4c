package dev.kiln.magics.env;

import dev.kiln.magics.core.CanonicalJson;
import dev.kiln.magics.core.Html;
import dev.kiln.magics.core.ProgressText;
import dev.kiln.magics.core.Provenance;
import dev.kiln.magics.core.Result;
import dev.kiln.magics.core.TimeText;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** How {@code %env} shows its work: text for a terminal, HTML for a cell, provenance for the output's metadata. */
public final class EnvResults {

    /** {@code %env snapshot}: the id, then one line per part of the environment. */
    public static Result snapshot(EnvSnapshot s, String storedAs, boolean allJars) {
        Environment e = s.environment();
        List<Environment.Jar> jars = e.jars() == null ? List.of() : e.jars();
        List<Environment.Jar> runtime = jars.stream().filter(j -> "runtime".equals(j.source())).toList();
        long bytes = jars.stream().mapToLong(Environment.Jar::size).sum();
        Map<String, String> rows = new LinkedHashMap<>();
        rows.put("Kiln", e.kiln() == null ? "unknown" : e.kiln().version() + (e.kiln().kernel() == null ? "" : " (kernel " + e.kiln().kernel() + ")"));
        rows.put("JVM", jvm(e.jvm()));
        rows.put("OS", os(e.os()));
        rows.put("Image", e.image() == null ? "none (not run in a Kiln image)" : e.image().reference()
                + (e.image().revision() == null ? "" : ", revision " + e.image().revision()));
        rows.put("Git", git(e.git()));
        if (e.notebook() != null) {
            rows.put("Notebook", e.notebook());
        }
        rows.put("Jars", jars.size() + " on the class path" + (runtime.isEmpty() ? "" : ", " + runtime.size() + " added at run time")
                + ", " + ProgressText.bytes(bytes));
        rows.put("Datasets", datasets(e.datasets()));
        rows.put("Variables", variables(e.variables()));

        StringBuilder t = new StringBuilder("Environment " + s.shortId() + (storedAs == null ? "" : "  (" + storedAs + ")") + "\n");
        rows.forEach((k, v) -> t.append(String.format("  %-10s%s%n", k, v)));
        List<Environment.Jar> shown = allJars ? jars : runtime;
        if (!shown.isEmpty()) {
            t.append(allJars ? "\nJars:\n" : "\nAdded at run time:\n");
            shown.forEach(j -> t.append("  ").append(jarLine(j)).append('\n'));
        }

        StringBuilder h = new StringBuilder("<div class=\"kiln-env\"><b>Environment <code title=\"")
                .append(Html.escape(s.id())).append("\">").append(Html.escape(s.shortId())).append("</code></b>");
        if (storedAs != null) {
            h.append(" <small style=\"overflow-wrap:anywhere\">").append(Html.escape(storedAs)).append("</small>");
        }
        h.append("<table>");
        rows.forEach((k, v) -> h.append("<tr><th style=\"text-align:left\">").append(Html.escape(k)).append("</th><td style=\"text-align:left\">")
                .append(Html.escape(v)).append("</td></tr>"));
        h.append("</table>");
        h.append("<details><summary>").append(jars.size()).append(" jars</summary>")
                .append("<table><tr><th>jar</th><th>coordinates</th><th>sha256</th><th>size</th><th>source</th></tr>");
        for (Environment.Jar j : jars) {
            h.append("<tr><td>").append(Html.escape(j.name())).append("</td><td>").append(Html.escape(j.coordinates() == null ? "" : j.coordinates()))
                    .append("</td><td><code>").append(Html.escape(SnapshotDiff.shortHash(j.sha256()))).append("</code></td><td>")
                    .append(Html.escape(ProgressText.bytes(j.size()))).append("</td><td>").append(Html.escape(j.source())).append("</td></tr>");
        }
        h.append("</table></details></div>");
        return Result.of(t.toString().stripTrailing(), h.toString(), Provenance.of("env snapshot").withSnapshot(s.provenance()));
    }

    /** {@code %env snapshot --json}: the snapshot's JSON ({@code {"id", "environment"}}) as its text; HTML and provenance as {@link #snapshot}. */
    public static Result snapshotJson(EnvSnapshot s, String storedAs, boolean allJars) {
        Result r = snapshot(s, storedAs, allJars);
        return Result.of(CanonicalJson.ENVIRONMENT.pretty(s), r.html(), r.provenance());
    }

    /** {@code %env diff A B}: the changes that matter first. */
    public static Result diff(SnapshotDiff d) {
        String head = "Environment " + d.from().shortId() + " → " + d.to().shortId() + ": " + summary(d);
        Map<String, Object> prov = new LinkedHashMap<>();
        prov.put("from", d.from().id());
        prov.put("to", d.to().id());
        prov.put("level", d.level().word());
        return Result.of(head + changesText(d), "<div class=\"kiln-env-diff\"><b>" + Html.escape(head) + "</b>" + changesHtml(d) + "</div>",
                Provenance.of("env diff").withReport(Map.of("envDiff", prov)));
    }

    /** {@code %env check}: this environment against the one the notebook last ran with. */
    public static Result check(SnapshotDiff d, String againstWhat) {
        SnapshotDiff.Level level = d.level();
        String head = switch (level) {
            case IDENTICAL -> "identical: this environment is exactly " + d.from().shortId() + " (" + againstWhat + ")";
            case COMPATIBLE -> "compatible: this environment (" + d.to().shortId() + ") differs from " + d.from().shortId()
                    + " (" + againstWhat + ") only in ways that should not change results";
            case DIFFERS -> "differs: this environment (" + d.to().shortId() + ") is not " + d.from().shortId()
                    + " (" + againstWhat + "); results may differ";
        };
        Map<String, Object> prov = new LinkedHashMap<>();
        prov.put("level", level.word());
        prov.put("against", d.from().id());
        prov.put("current", d.to().id());
        prov.put("reasons", d.changes().stream().map(c -> c.area() + ": " + c.describe()).toList());
        String color = switch (level) {
            case IDENTICAL -> "#1a7f37";
            case COMPATIBLE -> "#9a6700";
            case DIFFERS -> "#cf222e";
        };
        String html = "<div class=\"kiln-env-check\"><b style=\"color:" + color + "\">" + Html.escape(level.word()) + "</b> "
                + Html.escape(head.substring(head.indexOf(':') + 1).strip()) + changesHtml(d) + "</div>";
        return Result.of("Environment check: " + head + changesText(d), html,
                Provenance.of("env check").withReport(Map.of("envCheck", prov)));
    }

    /** {@code %env restore ID}. */
    public static Result restore(RestorePlan plan, String writtenTo) {
        String text = plan.text() + (writtenTo == null ? "" : "\nWritten to " + writtenTo + "\n");
        StringBuilder h = new StringBuilder("<div class=\"kiln-env-restore\"><b>Restore environment <code>")
                .append(Html.escape(plan.snapshot().shortId())).append("</code></b><table>");
        h.append("<tr><th style=\"text-align:left\">Image</th><td style=\"text-align:left\"><code>")
                .append(Html.escape(plan.imageReference() == null ? "none recorded" : plan.imageReference())).append("</code></td></tr>");
        if (plan.jvm() != null) {
            h.append("<tr><th style=\"text-align:left\">JVM</th><td style=\"text-align:left\">").append(Html.escape(plan.jvm())).append("</td></tr>");
        }
        if (plan.gitCheckout() != null) {
            h.append("<tr><th style=\"text-align:left\">Project</th><td style=\"text-align:left\"><code>")
                    .append(Html.escape(plan.gitCheckout())).append("</code></td></tr>");
        }
        h.append("</table>");
        h.append("<p>In the notebook:</p><pre>").append(Html.escape(plan.mavenLines().isEmpty() ? "(no %maven additions)"
                : String.join("\n", plan.mavenLines()))).append("</pre>");
        if (!plan.dataLines().isEmpty()) {
            h.append("<p>Datasets:</p><pre>").append(Html.escape(String.join("\n", plan.dataLines()))).append("</pre>");
        }
        if (!plan.unresolvedJars().isEmpty()) {
            h.append("<p>Jars without Maven coordinates:</p><pre>").append(Html.escape(String.join("\n", plan.unresolvedJars()))).append("</pre>");
        }
        h.append("<details><summary>pom.xml fragment</summary><pre>").append(Html.escape(plan.pomFragment())).append("</pre></details>");
        if (writtenTo != null) {
            h.append("<p>Written to <code>").append(Html.escape(writtenTo)).append("</code></p>");
        }
        h.append("</div>");
        return Result.of(text.stripTrailing(), h.toString(),
                Provenance.of("env restore").withReport(Map.of("envRestore", plan.snapshot().id())));
    }

    /** {@code %env list}: the runs recorded here, newest first. */
    public static Result list(List<SnapshotStore.Run> runs) {
        if (runs.isEmpty()) {
            return Result.of("No snapshots yet. Run 'kiln env snapshot' to take one.", null, Provenance.NONE);
        }
        StringBuilder t = new StringBuilder();
        StringBuilder h = new StringBuilder("<table><tr><th>id</th><th>time</th><th>notebook</th><th>from</th></tr>");
        for (int i = runs.size() - 1; i >= 0; i--) {
            SnapshotStore.Run r = runs.get(i);
            String id = r.id() == null ? "?" : r.id().substring(0, Math.min(EnvSnapshot.SHORT, r.id().length()));
            t.append(String.format("%-12s  %-20s  %-6s  %s%n", id, TimeText.of(r.time()), r.origin(), r.notebook() == null ? "" : r.notebook()));
            h.append("<tr><td><code>").append(Html.escape(id)).append("</code></td><td>").append(Html.escape(TimeText.of(r.time()))).append("</td><td>")
                    .append(Html.escape(r.notebook() == null ? "" : r.notebook())).append("</td><td>").append(Html.escape(r.origin())).append("</td></tr>");
        }
        return Result.of(t.toString().stripTrailing(), h.append("</table>").toString(), Provenance.NONE);
    }

    private static String summary(SnapshotDiff d) {
        if (d.level() == SnapshotDiff.Level.IDENTICAL) {
            return "identical";
        }
        long matter = d.changes().stream().filter(c -> c.level() == SnapshotDiff.Level.DIFFERS).count();
        return d.level().word() + " (" + d.changes().size() + " change" + (d.changes().size() == 1 ? "" : "s")
                + (matter > 0 ? ", " + matter + " that can change results" : "") + ")";
    }

    private static String changesText(SnapshotDiff d) {
        StringBuilder t = new StringBuilder();
        d.byArea().forEach((area, changes) -> {
            t.append("\n").append(area).append('\n');
            for (SnapshotDiff.Change c : changes) {
                t.append("  ").append(c.describe())
                        .append(c.level() == SnapshotDiff.Level.COMPATIBLE ? "   (compatible)" : "").append('\n');
            }
        });
        return t.toString().stripTrailing();
    }

    private static String changesHtml(SnapshotDiff d) {
        if (d.changes().isEmpty()) {
            return "";
        }
        StringBuilder h = new StringBuilder("<table><tr><th>area</th><th>change</th><th>level</th></tr>");
        for (SnapshotDiff.Change c : d.changes()) {
            h.append("<tr><td>").append(Html.escape(c.area())).append("</td><td style=\"text-align:left\"><code>").append(Html.escape(c.describe()))
                    .append("</code></td><td>").append(Html.escape(c.level().word())).append("</td></tr>");
        }
        return h.append("</table>").toString();
    }

    private static String jvm(Environment.Jvm j) {
        if (j == null) {
            return "unknown";
        }
        return "Java " + j.version() + " (" + j.vendor() + "), " + j.vm()
                + (j.options() == null || j.options().isEmpty() ? "" : "; options: " + String.join(" ", j.options()));
    }

    private static String os(Environment.Os o) {
        if (o == null) {
            return "unknown";
        }
        return o.name() + " " + o.version() + " " + o.arch() + ", " + o.cpus() + " CPUs"
                + (o.memoryBytes() > 0 ? ", " + ProgressText.bytes(o.memoryBytes()) + " memory" : "");
    }

    private static String git(Environment.Git g) {
        if (g == null) {
            return "unknown";
        }
        // a folder without a commit says so in its note ("no commit yet"): said once, not "no commit … — no commit yet"
        boolean noteSaysIt = g.commit() == null && g.note() != null;
        String s = g.commit() == null ? (noteSaysIt ? g.note() : "no commit") : g.commit().substring(0, Math.min(12, g.commit().length()));
        if (g.dirty() != null) {
            s += g.dirty() ? " (uncommitted changes)" : " (clean)";
        }
        return g.note() == null || noteSaysIt ? s : s + " — " + g.note();
    }

    private static String datasets(Environment.Datasets d) {
        if (d == null) {
            return "no kiln.lock";
        }
        if (d.error() != null) {
            return d.lockFile() + " " + d.error();
        }
        if (d.entries().isEmpty()) {
            return "none pinned in " + d.lockFile();
        }
        // short ids, as %data shows them: five 64-digit ids overflowed the cell (the snapshot's file keeps them whole)
        return d.entries().entrySet().stream().map(e -> e.getKey() + "@" + SnapshotDiff.shortHash(LockFileDatasets.version(e.getValue())))
                .collect(Collectors.joining(", ")) + " (" + d.lockFile() + ")";
    }

    private static String variables(Environment.Variables v) {
        if (v == null) {
            return "none";
        }
        String s = v.values().size() + " recorded";
        if (!v.redacted().isEmpty()) {
            s += "; by name only (values look secret): " + String.join(", ", v.redacted());
        }
        return s;
    }

    private static String jarLine(Environment.Jar j) {
        return j.name() + (j.coordinates() == null ? "" : "  " + j.coordinates()) + "  sha256 " + SnapshotDiff.shortHash(j.sha256())
                + ("runtime".equals(j.source()) ? "  (added at run time)" : "");
    }

    private EnvResults() {
    }
}
