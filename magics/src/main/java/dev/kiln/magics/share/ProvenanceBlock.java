package dev.kiln.magics.share;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.magics.core.Html;
import dev.kiln.magics.core.ProgressText;
import dev.kiln.magics.core.TimeText;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The notebook-level provenance ({@code metadata.kiln}) as a person reads it, in HTML or Markdown:
 * times to the second, cells by the execution count the page shows beside them ({@code In [7]}).
 */
final class ProvenanceBlock {

    /** Label and value rows, then dataset rows, conversion rows (cells, input, output, files) and jar rows. */
    private record Rows(List<String[]> facts, List<String[]> datasets, List<String[]> conversions, List<String[]> jars) {
    }

    /**
     * How the exported page names each cell, by index: {@code In [7]} for a code cell that ran (the
     * prompt nbconvert prints beside it), else its position ({@code cell 3}).
     */
    static List<String> cellLabels(JsonNode nb) {
        List<String> labels = new ArrayList<>();
        JsonNode cells = nb.path("cells");
        for (int i = 0; i < cells.size(); i++) {
            JsonNode count = cells.get(i).path("execution_count");
            labels.add(count.isIntegralNumber() ? "In [" + count.asInt() + "]" : "cell " + (i + 1));
        }
        return labels;
    }

    private static String label(JsonNode index, List<String> cellLabels) {
        int i = index.asInt(-1);
        return i >= 0 && i < cellLabels.size() ? cellLabels.get(i) : "cell " + index.asText();
    }

    private static Rows rows(JsonNode m, List<String> cellLabels) {
        List<String[]> facts = new ArrayList<>();
        JsonNode env = m.path("snapshot").path("environment");
        facts.add(new String[] {"Kiln", m.path("kiln").path("version").asText("?")
                + (m.path("kiln").has("kernel") ? " (kernel " + m.path("kiln").path("kernel").asText() + ")" : "")});
        facts.add(new String[] {"Exported", TimeText.of(m.path("exported").path("time").asText("")) + " from "
                + m.path("exported").path("from").asText("") + " by kiln " + m.path("exported").path("kiln").asText("")});
        if (m.has("snapshot")) {
            facts.add(new String[] {"Environment snapshot", m.path("snapshot").path("id").asText()});
            JsonNode jvm = env.path("jvm");
            facts.add(new String[] {"JVM", jvm.path("vendor").asText("") + " " + jvm.path("runtime").asText(jvm.path("version").asText(""))});
            JsonNode os = env.path("os");
            facts.add(new String[] {"OS", os.path("name").asText("") + " " + os.path("version").asText("") + " "
                    + os.path("arch").asText("") + ", " + os.path("cpus").asText("") + " CPUs"});
            if (env.path("git").has("commit")) {
                facts.add(new String[] {"Git commit", env.path("git").path("commit").asText()
                        + (env.path("git").path("dirty").asBoolean(false) ? " (with uncommitted changes)" : "")});
            }
        } else {
            facts.add(new String[] {"Environment snapshot", "none recorded (run %env snapshot in the notebook)"});
        }
        JsonNode image = m.path("image");
        facts.add(new String[] {"Image", image.isMissingNode() ? "not run in a Kiln image"
                : image.path("name").asText("") + " " + image.path("digest").asText(image.path("revision").asText(""))});
        JsonNode run = m.path("run");
        if (!run.isMissingNode()) {
            double total = 0;
            for (JsonNode c : run.path("cells")) {
                total += c.path("seconds").asDouble();
            }
            facts.add(new String[] {"Run", TimeText.of(run.path("start").asText()) + " → " + TimeText.of(run.path("end").asText())
                    + String.format(Locale.ROOT, " (%.2f s in %s)", total, ProgressText.count(run.path("cells").size(), "timed cell"))});
        }
        List<String> parameters = new ArrayList<>();
        for (NotebookParameters.Parameter p : NotebookParameters.inKilnMetadata(m)) {
            parameters.add(p.name() + " = " + p.value() + " (" + p.type() + ")");
        }
        if (!parameters.isEmpty()) {
            facts.add(new String[] {"Parameters", String.join(", ", parameters) + " (kiln run -p)"});
        }
        List<String> vol = new ArrayList<>();
        m.path("volatile").path("cells").forEach(c -> vol.add(label(c, cellLabels)));
        if (!vol.isEmpty()) {
            facts.add(new String[] {"Volatile cells", String.join(", ", vol) + " (tagged '" + m.path("volatile").path("tag").asText() + "')"});
        }
        List<String[]> ds = new ArrayList<>();
        for (JsonNode d : m.path("datasets")) {
            List<String> cells = new ArrayList<>();
            d.path("cells").forEach(c -> cells.add(label(c, cellLabels)));
            ds.add(new String[] {d.path("dataset").asText() + (d.has("subpath") ? "/" + d.path("subpath").asText() : ""),
                    d.path("version").asText(), d.path("path").asText(NotebookProvenance.SQL.equals(d.path("read").asText())
                            ? "read in place by %%sql" : ""), String.join(", ", cells)});
        }
        List<String[]> conversions = new ArrayList<>();
        for (JsonNode c : m.path("conversions")) {
            List<String> files = new ArrayList<>();
            for (JsonNode f : c.path("files")) {
                files.add(f.path("file").asText() + " sha256 " + f.path("sha256").asText("?")
                        + (f.has("rows") ? " (" + ProgressText.count(f.path("rows").asLong(), "row") + ")" : ""));
            }
            conversions.add(new String[] {label(c.path("cell"), cellLabels), side(c.path("input")), side(c.path("output")),
                    String.join("; ", files)});
        }
        List<String[]> jars = new ArrayList<>();
        for (JsonNode j : env.path("jars")) {
            if ("runtime".equals(j.path("source").asText())) {
                jars.add(new String[] {j.path("name").asText(), j.path("coordinates").asText(""), j.path("sha256").asText("")});
            }
        }
        return new Rows(facts, ds, conversions, jars);
    }

    /** A conversion's input or output: {@code NAME@VERSION (PATH)}, or the path alone when it was not versioned. */
    private static String side(JsonNode s) {
        String path = s.path("path").asText("");
        if (!s.has("version")) {
            return path.isEmpty() ? "not recorded" : path;
        }
        return s.path("dataset").asText() + "@" + s.path("version").asText() + (path.isEmpty() ? "" : " (" + path + ")");
    }

    /** @param cellLabels how the page names each cell, by index ({@link #cellLabels}) */
    static String html(JsonNode m, List<String> cellLabels) {
        Rows r = rows(m, cellLabels);
        StringBuilder h = new StringBuilder("<section class=\"kiln-provenance\" style=\"border:1px solid #ccc;padding:0.5em 1em;"
                + "margin:1em;font-family:sans-serif;font-size:13px\">\n<h2 style=\"font-size:16px\">Provenance</h2>\n<table>\n");
        for (String[] f : r.facts()) {
            h.append("<tr><th style=\"text-align:left;padding-right:1em\">").append(Html.escape(f[0])).append("</th><td><code>")
                    .append(Html.escape(f[1])).append("</code></td></tr>\n");
        }
        h.append("</table>\n");
        if (!r.datasets().isEmpty()) {
            h.append("<h3 style=\"font-size:14px\">Datasets</h3>\n<table>\n<tr><th>dataset</th><th>version</th><th>path</th><th>cells</th></tr>\n");
            for (String[] d : r.datasets()) {
                h.append("<tr><td>").append(Html.escape(d[0])).append("</td><td><code>").append(Html.escape(d[1])).append("</code></td><td>")
                        .append(Html.escape(d[2])).append("</td><td>").append(Html.escape(d[3])).append("</td></tr>\n");
            }
            h.append("</table>\n");
        }
        if (!r.conversions().isEmpty()) {
            // versions and hashes are 64 hex digits: they wrap anywhere rather than widen the page
            String wrap = "<td style=\"overflow-wrap:anywhere;word-break:break-all;vertical-align:top\"><code>";
            h.append("<h3 style=\"font-size:14px\">Conversions to Parquet</h3>\n<table style=\"table-layout:fixed;width:100%\">\n"
                    + "<tr><th style=\"width:5em;text-align:left\">cell</th><th style=\"text-align:left\">input</th>"
                    + "<th style=\"text-align:left\">output</th><th style=\"text-align:left\">files written</th></tr>\n");
            for (String[] c : r.conversions()) {
                h.append("<tr><td style=\"vertical-align:top\">").append(Html.escape(c[0])).append("</td>").append(wrap).append(Html.escape(c[1]))
                        .append("</code></td>").append(wrap).append(Html.escape(c[2])).append("</code></td>").append(wrap)
                        .append(Html.escape(c[3]).replace("; ", "<br>")).append("</code></td></tr>\n");
            }
            h.append("</table>\n");
        }
        if (!r.jars().isEmpty()) {
            h.append("<h3 style=\"font-size:14px\">Jars added in the notebook</h3>\n<table>\n<tr><th>jar</th><th>coordinates</th><th>sha256</th></tr>\n");
            for (String[] j : r.jars()) {
                h.append("<tr><td>").append(Html.escape(j[0])).append("</td><td>").append(Html.escape(j[1])).append("</td><td><code>")
                        .append(Html.escape(j[2])).append("</code></td></tr>\n");
            }
            h.append("</table>\n");
        }
        return h.append("<p>Reproduce with <code>").append(Html.escape(reproduceCommand(m))).append("</code>.</p>\n</section>\n").toString();
    }

    /** @param cellLabels how the page names each cell, by index ({@link #cellLabels}) */
    static String markdown(JsonNode m, List<String> cellLabels) {
        Rows r = rows(m, cellLabels);
        StringBuilder md = new StringBuilder("## Provenance\n\n| | |\n|---|---|\n");
        for (String[] f : r.facts()) {
            md.append("| ").append(cell(f[0])).append(" | `").append(cell(f[1])).append("` |\n");
        }
        if (!r.datasets().isEmpty()) {
            md.append("\n| dataset | version | path | cells |\n|---|---|---|---|\n");
            for (String[] d : r.datasets()) {
                md.append("| ").append(cell(d[0])).append(" | `").append(cell(d[1])).append("` | ").append(cell(d[2]))
                        .append(" | ").append(cell(d[3])).append(" |\n");
            }
        }
        if (!r.conversions().isEmpty()) {
            md.append("\n| cell | converted to Parquet from | output | files written |\n|---|---|---|---|\n");
            for (String[] c : r.conversions()) {
                md.append("| ").append(cell(c[0])).append(" | `").append(cell(c[1])).append("` | `").append(cell(c[2]))
                        .append("` | `").append(cell(c[3])).append("` |\n");
            }
        }
        if (!r.jars().isEmpty()) {
            md.append("\n| jar added in the notebook | coordinates | sha256 |\n|---|---|---|\n");
            for (String[] j : r.jars()) {
                md.append("| ").append(cell(j[0])).append(" | ").append(cell(j[1])).append(" | `").append(cell(j[2])).append("` |\n");
            }
        }
        return md.append("\nReproduce with `").append(reproduceCommand(m)).append("`.\n").toString();
    }

    /** The command that reproduces the exported notebook, naming it as the export did. */
    private static String reproduceCommand(JsonNode m) {
        String notebook = m.path("exported").path("from").asText("");
        return "kiln reproduce " + (notebook.isEmpty() ? "NOTEBOOK.ipynb" : shellWord(notebook));
    }

    /** {@code s} as one shell word: quoted when it holds anything a shell would split or expand. */
    private static String shellWord(String s) {
        return s.matches("[A-Za-z0-9_./@%+=:,-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }

    private ProvenanceBlock() {
    }
}
