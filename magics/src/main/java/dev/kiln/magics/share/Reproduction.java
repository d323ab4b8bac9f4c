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
 * @param environment  identical / compatible / differs / not compared
 * @param differences  what differs from the recorded run, one per jar, dataset, JVM …
 * @param notes        what was compatible or could not be compared
 * @param cells        one verdict per cell
 */
public record Reproduction(String notebook, String executed, String environment, List<Difference> differences,
                           List<String> notes, List<Cell> cells) {

    public enum Verdict { MATCH, DIFFERS, VOLATILE, NOT_CODE }

    /** One thing that differs: {@code area} is jars, datasets, jvm, os, image, …. */
    public record Difference(String area, String name, String before, String after) {
        public String describe() {
            return area + ": " + name + " " + (before == null ? "(none)" : before) + " → " + (after == null ? "(none)" : after);
        }
    }

    /** @param detail what differs, when it does */
    public record Cell(int index, Verdict verdict, String source, String detail) {
    }

    public boolean matches() {
        return differences.isEmpty() && cells.stream().noneMatch(c -> c.verdict() == Verdict.DIFFERS);
    }

    public List<Cell> differing() {
        return cells.stream().filter(c -> c.verdict() == Verdict.DIFFERS).toList();
    }

    public String text() {
        StringBuilder t = new StringBuilder();
        long code = cells.stream().filter(c -> c.verdict() != Verdict.NOT_CODE).count();
        long same = cells.stream().filter(c -> c.verdict() == Verdict.MATCH).count();
        long vol = cells.stream().filter(c -> c.verdict() == Verdict.VOLATILE).count();
        t.append(matches() ? "Reproduced " : "Did not reproduce ").append(notebook).append(": ")
                .append(same).append(" of ").append(code).append(" code cells match")
                .append(vol > 0 ? ", " + vol + " volatile (not compared)" : "")
                .append(differing().isEmpty() ? "" : ", " + differing().size() + " differ").append(".\n");
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
            t.append(String.format("  [%d] %-8s %s%s%n", c.index(), word(c.verdict()), OutputComparison.clip(c.source()),
                    c.detail() == null ? "" : "\n        " + c.detail()));
        }
        t.append("Executed copy: ").append(executed);
        return t.toString();
    }

    public String html() {
        StringBuilder h = new StringBuilder("<div class=\"kiln-reproduce\"><p><b style=\"color:")
                .append(matches() ? "#1a7f37" : "#cf222e").append("\">").append(matches() ? "reproduced" : "differs")
                .append("</b> ").append(Html.escape(text().lines().findFirst().orElse(""))).append("</p>");
        h.append("<p>Environment: ").append(Html.escape(environment)).append("</p>");
        if (!differences.isEmpty()) {
            h.append("<table><tr><th>area</th><th>what</th><th>recorded</th><th>now</th></tr>");
            for (Difference d : differences) {
                h.append("<tr><td>").append(Html.escape(d.area())).append("</td><td>").append(Html.escape(d.name())).append("</td><td>")
                        .append(Html.escape(String.valueOf(d.before()))).append("</td><td>").append(Html.escape(String.valueOf(d.after())))
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
                case DIFFERS -> "#cf222e";
                default -> "#6e7781";
            };
            h.append("<tr><td>").append(c.index()).append("</td><td style=\"color:").append(color).append("\">")
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
        };
    }
}
