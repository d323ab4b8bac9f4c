package dev.kiln.sidecar;

import static dev.kiln.sidecar.Html.esc;
import static dev.kiln.sidecar.Html.url;
import static dev.kiln.sidecar.HtmlPage.hash;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.magics.core.ProgressText;
import dev.kiln.magics.env.Environment;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One snapshot as sections a person reads: runtime, image, git, pinned datasets, variables, then
 * every jar in a table sorted by name, with what the record holds beyond Kiln's layout at the end.
 */
final class SnapshotSections {

    private final String base;

    SnapshotSections(String base) {
        this.base = base;
    }

    String render(StoredSnapshot s) {
        StringBuilder b = new StringBuilder();
        Environment e = s.environment();
        b.append("<table class=\"facts\" id=\"about\"><tbody>");
        fact(b, "Snapshot", "<code>" + esc(s.id()) + "</code>");
        if (s.timeMs() != null) {
            fact(b, "First seen", HtmlPage.time(s.timeMs()));
        }
        if (s.notebook() != null) {
            fact(b, "Notebook", notebookLink(s.notebook()));
        }
        if (e != null) {
            fact(b, "Summary", esc(s.summary()));
        }
        b.append("</tbody></table>");
        if (e == null) {
            b.append("<p class=\"muted\">This record is not in the layout of Kiln's <code>%env snapshot</code>: its fields as recorded.</p>");
        } else {
            b.append("<p class=\"muted\">").append(contents(s)).append("</p>");
            runtime(b, e);
            image(b, e.image());
            git(b, e.git());
            datasets(b, e.datasets());
            variables(b, e.variables());
            jars(b, s.jars());
        }
        alsoRecorded(b, s);
        return b.toString();
    }

    private static String contents(StoredSnapshot s) {
        return "<a href=\"#runtime\">Runtime</a> · <a href=\"#image\">Image</a> · <a href=\"#git\">Git</a> · "
                + "<a href=\"#datasets\">Datasets</a> · <a href=\"#variables\">Variables</a> · <a href=\"#jars\">Jars ("
                + s.jars().size() + ")</a>";
    }

    private static void runtime(StringBuilder b, Environment e) {
        b.append("<section id=\"runtime\"><h2>Runtime</h2><table class=\"facts\"><tbody>");
        Environment.Kiln k = e.kiln();
        fact(b, "Kiln", k == null || k.version() == null ? muted("not recorded") : esc(k.version()));
        if (k != null && k.kernel() != null) {
            fact(b, "Kernel", esc(k.kernel()));
        }
        Environment.Jvm j = e.jvm();
        if (j == null) {
            fact(b, "Java", muted("not recorded"));
        } else {
            fact(b, "Java", esc(j.version()));
            fact(b, "Java vendor", esc(j.vendor()));
            fact(b, "Java runtime", esc(j.runtime()));
            fact(b, "VM", esc(j.vm()));
            fact(b, "JVM options", j.options() == null || j.options().isEmpty() ? muted("none") : codeLines(j.options()));
        }
        Environment.Os o = e.os();
        if (o == null) {
            fact(b, "OS", muted("not recorded"));
        } else {
            fact(b, "OS", esc(o.name()) + " " + esc(o.version()));
            fact(b, "Architecture", esc(o.arch()));
            fact(b, "CPUs", String.valueOf(o.cpus()));
            fact(b, "Memory", o.memoryBytes() > 0 ? esc(ProgressText.bytes(o.memoryBytes())) : muted("not known"));
        }
        b.append("</tbody></table></section>");
    }

    private static void image(StringBuilder b, Environment.Image i) {
        b.append("<section id=\"image\"><h2>Image</h2>");
        if (i == null) {
            b.append("<p class=\"muted\">Not run in a Kiln image.</p></section>");
            return;
        }
        b.append("<table class=\"facts\"><tbody>");
        fact(b, "Name", i.name() == null ? muted("not recorded") : "<code>" + esc(i.name()) + "</code>");
        fact(b, "Digest", i.digest() == null ? muted("not recorded") : "<code>" + esc(i.digest()) + "</code>");
        fact(b, "Revision", i.revision() == null ? muted("not recorded") : "<code>" + esc(i.revision()) + "</code>");
        fact(b, "Version", i.version() == null ? muted("not recorded") : esc(i.version()));
        if (i.reference() != null) {
            fact(b, "Pull", "<code>" + esc(i.reference()) + "</code>");
        }
        b.append("</tbody></table></section>");
    }

    private static void git(StringBuilder b, Environment.Git g) {
        b.append("<section id=\"git\"><h2>Git</h2>");
        if (g == null) {
            b.append("<p class=\"muted\">Not recorded.</p></section>");
            return;
        }
        b.append("<table class=\"facts\"><tbody>");
        fact(b, "Commit", g.commit() == null ? muted("no commit") : hash(g.commit()));
        fact(b, "Working tree", g.dirty() == null ? muted("not known") : g.dirty() ? "uncommitted changes" : "clean");
        if (g.note() != null) {
            fact(b, "Note", esc(g.note()));
        }
        b.append("</tbody></table></section>");
    }

    private void datasets(StringBuilder b, Environment.Datasets d) {
        b.append("<section id=\"datasets\"><h2>Datasets pinned</h2>");
        if (d == null) {
            b.append("<p class=\"muted\">No <code>kiln.lock</code> in the project.</p></section>");
            return;
        }
        if (d.error() != null) {
            b.append("<p><code>").append(esc(d.lockFile())).append("</code> ").append(esc(d.error())).append("</p></section>");
            return;
        }
        if (d.entries() == null || d.entries().isEmpty()) {
            b.append("<p class=\"muted\">None pinned in <code>").append(esc(d.lockFile())).append("</code>.</p></section>");
            return;
        }
        b.append("<p class=\"muted\">From <code>").append(esc(d.lockFile())).append("</code>.</p>");
        b.append("<table id=\"pinned\"><thead><tr><th>dataset</th><th>version</th><th>path</th><th class=\"num\">size</th>"
                + "<th class=\"num\">files</th><th>manifest</th><th>also pinned</th></tr></thead><tbody>");
        Map<String, Map<String, Object>> sorted = new TreeMap<>(NaturalOrder.INSTANCE);
        sorted.putAll(d.entries());
        for (Map.Entry<String, Map<String, Object>> entry : sorted.entrySet()) {
            String name = entry.getKey();
            Map<String, Object> f = new LinkedHashMap<>(entry.getValue());
            Object version = f.remove("version");
            Object path = f.remove("path");
            Object size = f.remove("size");
            Object files = f.remove("files");
            Object manifest = f.remove("manifest");
            b.append("<tr><td>").append(datasetLink(name)).append("</td><td>")
                    .append(version == null ? muted("none") : versionLink(name, version.toString())).append("</td><td>")
                    .append(path == null ? "" : "<code>" + esc(path.toString()) + "</code>").append("</td><td class=\"num\">")
                    .append(size instanceof Number n ? esc(ProgressText.bytes(n.longValue())) : esc(str(size))).append("</td><td class=\"num\">")
                    .append(esc(str(files))).append("</td><td>").append(manifest == null ? "" : hash(manifest.toString())).append("</td><td>");
            List<String> rest = new ArrayList<>();
            f.forEach((k, v) -> rest.add(esc(k) + " " + esc(str(v))));
            b.append(String.join("<br>", rest)).append("</td></tr>");
        }
        b.append("</tbody></table></section>");
    }

    private static void variables(StringBuilder b, Environment.Variables v) {
        b.append("<section id=\"variables\"><h2>Variables</h2>");
        Map<String, String> values = v == null || v.values() == null ? Map.of() : v.values();
        List<String> redacted = v == null || v.redacted() == null ? List.of() : v.redacted();
        if (values.isEmpty() && redacted.isEmpty()) {
            b.append("<p class=\"muted\">None recorded.</p></section>");
            return;
        }
        Map<String, String> rows = new TreeMap<>(NaturalOrder.INSTANCE);
        values.forEach((k, x) -> rows.put(k, "<code>" + esc(x) + "</code>"));
        redacted.forEach(k -> rows.put(k, muted("value not recorded: it looks secret")));
        b.append("<table class=\"facts\" id=\"variable-values\"><tbody>");
        rows.forEach((k, x) -> b.append("<tr><th scope=\"row\"><code>").append(esc(k)).append("</code></th><td>").append(x).append("</td></tr>"));
        b.append("</tbody></table></section>");
    }

    /** Every jar, sorted by name as people sort (a…z, numbers by value), with its place on the class path. */
    private static void jars(StringBuilder b, List<Environment.Jar> jars) {
        b.append("<section id=\"jars\"><h2>Jars</h2>");
        if (jars.isEmpty()) {
            b.append("<p class=\"muted\">None recorded.</p></section>");
            return;
        }
        long runtime = jars.stream().filter(StoredSnapshot::addedAtRunTime).count();
        long bytes = jars.stream().mapToLong(Environment.Jar::size).sum();
        b.append("<p>").append(jars.size()).append(jars.size() == 1 ? " jar" : " jars").append(", ")
                .append(esc(ProgressText.bytes(bytes)));
        if (runtime > 0) {
            b.append("; ").append(runtime).append(" added at run time (<span class=\"tag maven\">%maven</span> or <code>%classpath</code>)");
        }
        b.append(". Sorted by name; <b>#</b> is the place on the class path.</p>");
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < jars.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparing((Integer i) -> jars.get(i).name() == null ? "" : jars.get(i).name(), NaturalOrder.INSTANCE)
                .thenComparing(i -> i));
        b.append("<table id=\"jar-list\"><thead><tr><th class=\"num\">#</th><th>jar</th><th>coordinates</th><th>sha256</th>"
                + "<th class=\"num\">size</th><th>source</th></tr></thead><tbody>");
        for (int i : order) {
            b.append("<tr><td class=\"num\">").append(i + 1).append("</td>").append(jarCells(jars.get(i))).append("</tr>");
        }
        b.append("</tbody></table></section>");
    }

    /** A jar's cells: name, coordinates, hash prefix, size, and how it came (class path, {@code %maven}, {@code %classpath}). */
    static String jarCells(Environment.Jar j) {
        return "<td><code>" + esc(j.name()) + "</code></td><td>"
                + (j.coordinates() == null ? "" : "<code>" + esc(j.coordinates()) + "</code>") + "</td><td>"
                + (j.sha256() == null ? muted("missing") : hash(j.sha256())) + "</td><td class=\"num\">"
                + esc(ProgressText.bytes(j.size())) + "</td><td class=\"nowrap\">" + source(j) + "</td>";
    }

    static String source(Environment.Jar j) {
        if (!StoredSnapshot.addedAtRunTime(j)) {
            return muted("class path");
        }
        return j.coordinates() != null ? "<span class=\"tag maven\" title=\"added at run time by %maven\">%maven</span>"
                : "<span class=\"tag\" title=\"added at run time by %classpath\">%classpath</span>";
    }

    /** Fields of the record outside Kiln's layout, path by path in natural order ({@code jars[2]} before {@code jars[10]}). */
    private static void alsoRecorded(StringBuilder b, StoredSnapshot s) {
        Map<String, String> flat = new TreeMap<>(NaturalOrder.INSTANCE);
        Iterator<Map.Entry<String, JsonNode>> it = s.body().fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> f = it.next();
            if (!StoredSnapshot.SHOWN.contains(f.getKey()) || (f.getKey().equals("environment") && s.environment() == null)) {
                flatten(f.getKey(), f.getValue(), flat);
            }
        }
        if (flat.isEmpty()) {
            return;
        }
        b.append("<section id=\"also-recorded\"><h2>").append(s.environment() == null ? "Recorded fields" : "Also recorded").append("</h2>")
                .append("<table class=\"facts\"><tbody>");
        flat.forEach((k, v) -> b.append("<tr><th scope=\"row\"><code>").append(esc(k)).append("</code></th><td>").append(esc(v)).append("</td></tr>"));
        b.append("</tbody></table></section>");
    }

    /** A JSON tree as path → value ({@code java.version}, {@code jars[2].name}); at most 20,000 entries. */
    static void flatten(String prefix, JsonNode n, Map<String, String> out) {
        if (out.size() >= 20_000) {
            return;
        }
        if (n.isObject()) {
            if (n.isEmpty()) {
                out.put(prefix, "{}");
            }
            Iterator<Map.Entry<String, JsonNode>> it = n.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(prefix + "." + e.getKey(), e.getValue(), out);
            }
        } else if (n.isArray()) {
            if (n.isEmpty()) {
                out.put(prefix, "[]");
            }
            for (int i = 0; i < n.size(); i++) {
                flatten(prefix + "[" + i + "]", n.get(i), out);
            }
        } else {
            out.put(prefix, n.isTextual() ? n.asText() : n.toString());
        }
    }

    private String notebookLink(String notebook) {
        return "<a href=\"" + esc(base) + "/notebook?path=" + esc(url(notebook)) + "\">" + esc(notebook) + "</a>";
    }

    private String datasetLink(String name) {
        return "<a href=\"" + esc(base) + "/datasets/" + esc(url(name)) + "\">" + esc(name) + "</a>";
    }

    /** A version of a dataset, linked to its row on the dataset's page. */
    private String versionLink(String dataset, String version) {
        return "<a href=\"" + esc(base) + "/datasets/" + esc(url(dataset)) + "?version=" + esc(url(version)) + "#v-" + esc(url(version))
                + "\">" + hash(version) + "</a>";
    }

    private static void fact(StringBuilder b, String label, String html) {
        b.append("<tr><th scope=\"row\">").append(esc(label)).append("</th><td>").append(html).append("</td></tr>");
    }

    private static String codeLines(List<String> lines) {
        StringBuilder b = new StringBuilder("<ul class=\"plain\">");
        lines.forEach(l -> b.append("<li><code>").append(esc(l)).append("</code></li>"));
        return b.append("</ul>").toString();
    }

    static String muted(String text) {
        return "<span class=\"muted\">" + esc(text) + "</span>";
    }

    private static String str(Object o) {
        return o == null ? "" : o.toString();
    }
}
