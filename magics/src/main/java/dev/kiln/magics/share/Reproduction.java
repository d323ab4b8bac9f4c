package dev.kiln.magics.share;

import dev.kiln.magics.core.Html;
import dev.kiln.magics.core.Provenance;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code kiln reproduce} found: the differences that can change results (jars, datasets,
 * JVM …), the environment check's level, and each cell's verdict.
 *
 * @param notebook     the notebook reproduced
 * @param executed     the re-executed copy
 * @param ending       how the run ended when it did not run every cell (the kernel died, Ctrl-C …); null when it did
 * @param environment  identical / compatible / differs / not compared
 * @param differences  what differs from the recorded run, one per jar, dataset, JVM …
 * @param notes        what was compatible or could not be compared
 * @param cells        one verdict per cell
 */
public record Reproduction(String notebook, String executed, String ending, String environment, List<Difference> differences,
                           List<String> notes, List<Cell> cells) {

    public enum Verdict {
        MATCH, DIFFERS, VOLATILE, NOT_CODE, INTERRUPTED, SKIPPED, TIMED_OUT, KERNEL_DIED, STOPPED, NOT_RUN;

        /** Whether the cell failed to reproduce: its outputs differ, or it did not run to its end. */
        public boolean fails() {
            return this == DIFFERS || this == TIMED_OUT || this == KERNEL_DIED || this == STOPPED || this == NOT_RUN;
        }
    }

    /** One thing that differs: {@code area} is jars, datasets, jvm, os, image, …. */
    public record Difference(String area, String name, String before, String after) {
        public String describe() {
            return area + ": " + name + " " + shown(before) + " → " + shown(after);
        }

        /** A side that has none (a jar added, a dataset dropped) reads "(none)", never "null". */
        static String shown(String value) {
            return value == null ? "(none)" : value;
        }
    }

    /**
     * @param count  its execution count in the record; null when it had none
     * @param detail what differs, or how its run ended, when it says more than the verdict
     */
    public record Cell(int index, Integer count, Verdict verdict, String source, String detail) {
        /** How the report names it: {@code [12]} by its recorded execution count. */
        public String name() {
            return cellName(index, count);
        }
    }

    /** {@code [12]}: a cell by its recorded execution count, as Jupyter shows it; {@code #3} (its position) when it has none. */
    public static String cellName(int index, Integer count) {
        return count == null ? "#" + index : "[" + count + "]";
    }

    public boolean matches() {
        return ending == null && differences.isEmpty() && cells.stream().noneMatch(c -> c.verdict().fails());
    }

    public List<Cell> differing() {
        return cells.stream().filter(c -> c.verdict() == Verdict.DIFFERS).toList();
    }

    /** The cells of one verdict. */
    public List<Cell> with(Verdict v) {
        return cells.stream().filter(c -> c.verdict() == v).toList();
    }

    public String text() {
        StringBuilder t = new StringBuilder();
        long code = cells.stream().filter(c -> c.verdict() != Verdict.NOT_CODE).count();
        long same = cells.stream().filter(c -> c.verdict() == Verdict.MATCH).count();
        long vol = cells.stream().filter(c -> c.verdict() == Verdict.VOLATILE).count();
        t.append(matches() ? "Reproduced " : "Did not reproduce ").append(notebook).append(": ")
                .append(same).append(" of ").append(code).append(" code cells match")
                .append(vol > 0 ? ", " + vol + " volatile (not compared)" : "")
                .append(differing().isEmpty() ? "" : ", " + differing().size() + " differ")
                .append(counted(Verdict.INTERRUPTED, "interrupted as recorded")).append(counted(Verdict.SKIPPED, "skipped"))
                .append(counted(Verdict.TIMED_OUT, "timed out")).append(counted(Verdict.NOT_RUN, "not run")).append(".\n");
        if (ending != null) {
            t.append("The run ended early: ").append(ending).append(".\n");
        }
        t.append("Environment: ").append(environment).append('\n');
        if (!differences.isEmpty()) {
            t.append(differences.size()).append(differences.size() == 1 ? " difference" : " differences")
                    .append(" from the recorded run:\n");
            differences.forEach(d -> t.append("  ").append(d.describe()).append('\n'));
        }
        notes.forEach(n -> t.append("note: ").append(n).append('\n'));
        t.append("Cells:\n");
        for (Cell c : cells) {
            if (c.verdict() == Verdict.NOT_CODE) {
                continue;
            }
            t.append(String.format("  %-6s %-12s %s%s%n", c.name(), word(c.verdict()), OutputComparison.clip(c.source()),
                    c.detail() == null ? "" : "\n        " + c.detail()));
        }
        t.append("Executed copy: ").append(executed);
        return t.toString();
    }

    public String html() {
        StringBuilder h = new StringBuilder("<div class=\"kiln-reproduce\"><p><b style=\"color:")
                .append(matches() ? "#1a7f37" : "#cf222e").append("\">").append(matches() ? "reproduced" : "differs")
                .append("</b> ").append(Html.escape(text().lines().findFirst().orElse(""))).append("</p>");
        if (ending != null) {
            h.append("<p><b>The run ended early:</b> ").append(Html.escape(ending)).append("</p>");
        }
        h.append("<p>Environment: ").append(Html.escape(environment)).append("</p>");
        if (!differences.isEmpty()) {
            h.append("<table><tr><th>area</th><th>what</th><th>recorded</th><th>now</th></tr>");
            for (Difference d : differences) {
                h.append("<tr><td>").append(Html.escape(d.area())).append("</td><td>").append(Html.escape(d.name())).append("</td><td>")
                        .append(Html.escape(Difference.shown(d.before()))).append("</td><td>").append(Html.escape(Difference.shown(d.after())))
                        .append("</td></tr>");
            }
            h.append("</table>");
        }
        for (String n : notes) {
            h.append("<p><i>").append(Html.escape(n)).append("</i></p>");
        }
        h.append("<table><tr><th>cell</th><th>verdict</th><th>source</th><th>detail</th></tr>");
        for (Cell c : cells) {
            if (c.verdict() == Verdict.NOT_CODE) {
                continue;
            }
            String color = switch (c.verdict()) {
                case MATCH -> "#1a7f37";
                case DIFFERS, TIMED_OUT, KERNEL_DIED, STOPPED, NOT_RUN -> "#cf222e";
                default -> "#6e7781";
            };
            h.append("<tr><td>").append(Html.escape(c.name())).append("</td><td style=\"color:").append(color).append("\">")
                    .append(word(c.verdict())).append("</td><td><code>").append(Html.escape(OutputComparison.clip(c.source())))
                    .append("</code></td><td>").append(c.detail() == null ? "" : Html.escape(c.detail())).append("</td></tr>");
        }
        return h.append("</table></div>").toString();
    }

    /** What a sidecar or a notebook output would keep. */
    public Provenance provenance() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("notebook", notebook);
        p.put("matches", matches());
        p.put("environment", environment);
        if (ending != null) {
            p.put("ending", ending);
        }
        List<String> ds = new ArrayList<>();
        differences.forEach(d -> ds.add(d.describe()));
        p.put("differences", ds);
        p.put("cellsDiffering", differing().stream().map(Cell::index).toList());
        return Provenance.of("reproduce").withReport(Map.of("reproduce", p));
    }

    static String word(Verdict v) {
        return switch (v) {
            case MATCH -> "same";
            case DIFFERS -> "DIFFERS";
            case VOLATILE -> "volatile";
            case NOT_CODE -> "";
            case INTERRUPTED -> "interrupted";
            case SKIPPED -> "skipped";
            case TIMED_OUT -> "TIMED OUT";
            case KERNEL_DIED -> "KERNEL DIED";
            case STOPPED -> "STOPPED";
            case NOT_RUN -> "NOT RUN";
        };
    }

    private String counted(Verdict v, String what) {
        long n = cells.stream().filter(c -> c.verdict() == v).count();
        return n == 0 ? "" : ", " + n + " " + what;
    }
}
