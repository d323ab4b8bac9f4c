package dev.kiln.sidecar;

import static dev.kiln.sidecar.Html.esc;
import static dev.kiln.sidecar.Html.url;


import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.magics.env.Environment;
import dev.kiln.magics.env.SnapshotDiff;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What changed from one snapshot to another, as {@code %env diff} says it (the same
 * {@link SnapshotDiff}): the verdict first, then the changes grouped: runtime, jars added, removed
 * and changed, datasets, then image, git and the rest. Records outside Kiln's layout are compared
 * field by field.
 */
final class SnapshotChanges {

    /** Page sections in the order they matter, each with the diff's areas it shows. */
    private static final Map<String, List<String>> SECTIONS = new LinkedHashMap<>();

    static {
        SECTIONS.put("runtime", List.of("jvm", "os", "kiln"));
        SECTIONS.put("jars", List.of("jars"));
        SECTIONS.put("datasets", List.of("datasets"));
        SECTIONS.put("image", List.of("image"));
        SECTIONS.put("git", List.of("git"));
        SECTIONS.put("notebook", List.of("notebook"));
        SECTIONS.put("variables", List.of("variables"));
    }

    private static final Map<String, String> TITLES = Map.of("runtime", "Runtime", "jars", "Jars", "datasets", "Datasets",
            "image", "Image", "git", "Git", "notebook", "Notebook", "variables", "Variables", "other", "Other");

    /** Runtime changes name their part: the diff's "version" is the JVM's in one area and the OS's in another. */
    private static final Map<String, String> AREA_NAMES = Map.of("jvm", "Java", "os", "OS", "kiln", "Kiln");

    private final String base;

    SnapshotChanges(String base) {
        this.base = base;
    }

    String render(StoredSnapshot from, StoredSnapshot to) {
        if (from.environment() == null || to.environment() == null) {
            return fieldByField(from, to);
        }
        SnapshotDiff d = SnapshotDiff.between(from.envSnapshot(), to.envSnapshot());
        StringBuilder b = new StringBuilder();
        b.append(verdict(d, from, to));
        Map<String, List<SnapshotDiff.Change>> bySection = new LinkedHashMap<>();
        SECTIONS.keySet().forEach(s -> bySection.put(s, new ArrayList<>()));
        bySection.put("other", new ArrayList<>());
        for (SnapshotDiff.Change c : d.changes()) {
            String section = SECTIONS.entrySet().stream().filter(e -> e.getValue().contains(c.area()))
                    .map(Map.Entry::getKey).findFirst().orElse("other");
            bySection.get(section).add(c);
        }
        bySection.forEach((section, changes) -> {
            if (changes.isEmpty()) {
                return;
            }
            b.append("<section id=\"changes-").append(section).append("\"><h2>").append(TITLES.get(section)).append("</h2>");
            if (section.equals("jars")) {
                jars(b, changes, from, to);
            } else {
                b.append(table(changes, section));
            }
            b.append("</section>");
        });
        return b.toString();
    }

    /** The level as {@code %env check} colours it, and how many changes can change results. */
    private String verdict(SnapshotDiff d, StoredSnapshot from, StoredSnapshot to) {
        SnapshotDiff.Level level = d.level();
        long matter = d.changes().stream().filter(c -> c.level() == SnapshotDiff.Level.DIFFERS).count();
        StringBuilder b = new StringBuilder("<p class=\"level\" id=\"level\"><b class=\"").append(level.word()).append("\">")
                .append(level.word()).append("</b>: ");
        switch (level) {
            case IDENTICAL -> b.append("the same environment.");
            case COMPATIBLE -> b.append(count(d.changes().size(), "change")).append(", none that should change results.");
            case DIFFERS -> b.append(count(d.changes().size(), "change")).append(", ").append(matter)
                    .append(" that can change results.");
        }
        b.append("</p><p class=\"muted\">From ").append(snapshotLink(from)).append(" to ").append(snapshotLink(to))
                .append(". The same comparison as <code>%env diff ").append(esc(Html.shortId(from.id()))).append(' ')
                .append(esc(Html.shortId(to.id()))).append("</code>.</p>");
        return b.toString();
    }

    private String snapshotLink(StoredSnapshot s) {
        return "<a href=\"" + esc(base) + "/snapshots/" + esc(url(s.id())) + "\">" + HtmlPage.hash(s.id()) + "</a>"
                + (s.timeMs() == null ? "" : " (" + HtmlPage.time(s.timeMs()) + ")");
    }

    /** Jars in three tables: added and removed with what the snapshot knows of them, then changed. */
    private static void jars(StringBuilder b, List<SnapshotDiff.Change> changes, StoredSnapshot from, StoredSnapshot to) {
        List<SnapshotDiff.Change> added = changes.stream().filter(c -> c.kind() == SnapshotDiff.Kind.ADDED).toList();
        List<SnapshotDiff.Change> removed = changes.stream().filter(c -> c.kind() == SnapshotDiff.Kind.REMOVED).toList();
        List<SnapshotDiff.Change> changed = changes.stream().filter(c -> c.kind() == SnapshotDiff.Kind.CHANGED).toList();
        jarList(b, "added", "Added", added, to.jars());
        jarList(b, "removed", "Removed", removed, from.jars());
        if (!changed.isEmpty()) {
            b.append("<h3>Changed</h3>").append(table(changed, "jars-changed"));
        }
    }

    private static void jarList(StringBuilder b, String kind, String title, List<SnapshotDiff.Change> changes, List<Environment.Jar> jars) {
        if (changes.isEmpty()) {
            return;
        }
        b.append("<h3>").append(title).append("</h3><table id=\"jars-").append(kind).append("\"><thead><tr><th></th><th>jar</th>"
                + "<th>coordinates</th><th>sha256</th><th class=\"num\">size</th><th>source</th></tr></thead><tbody>");
        List<String> names = new ArrayList<>(changes.stream().map(SnapshotDiff.Change::name).toList());
        names.sort(NaturalOrder.INSTANCE);
        Set<Environment.Jar> shown = new HashSet<>();
        for (String name : names) {
            Environment.Jar j = jars.stream().filter(x -> name.equals(x.name()) && !shown.contains(x)).findFirst()
                    .orElse(new Environment.Jar(name, null, null, 0, null));
            shown.add(j);
            b.append("<tr class=\"").append(kind).append("\"><td class=\"mark\">").append(kind.equals("added") ? "+" : "−")
                    .append("</td>").append(SnapshotSections.jarCells(j)).append("</tr>");
        }
        b.append("</tbody></table>");
    }

    /** Changes as rows: mark, what, before, after, whether it can change results. */
    private static String table(List<SnapshotDiff.Change> changes, String id) {
        StringBuilder b = new StringBuilder("<table id=\"").append(esc(id)).append("-table\"><thead><tr><th></th><th>what</th>"
                + "<th>before</th><th>after</th><th>effect</th></tr></thead><tbody>");
        for (SnapshotDiff.Change c : changes) {
            String kind = switch (c.kind()) {
                case ADDED -> "added";
                case REMOVED -> "removed";
                case CHANGED -> "changed";
            };
            String mark = switch (c.kind()) {
                case ADDED -> "+";
                case REMOVED -> "−";
                case CHANGED -> "~";
            };
            b.append("<tr class=\"").append(kind).append("\"><td class=\"mark\">").append(mark).append("</td><td>")
                    .append(esc(AREA_NAMES.containsKey(c.area()) ? AREA_NAMES.get(c.area()) + " " + c.name() : c.name())).append("</td><td>").append(value(c.before())).append("</td><td>").append(value(c.after()))
                    .append("</td><td class=\"nowrap ").append(c.level().word()).append("\">")
                    .append(c.level() == SnapshotDiff.Level.DIFFERS ? "can change results" : "compatible").append("</td></tr>");
        }
        return b.append("</tbody></table>").toString();
    }

    /** A before or after value; a long hash cut to its prefix with the whole in the tooltip. */
    private static String value(String v) {
        if (v == null) {
            return "<span class=\"muted\">—</span>";
        }
        if (v.matches("(sha256:)?[0-9a-f]{32,}")) {
            return HtmlPage.hash(v);
        }
        return esc(v);
    }

    /** Two records outside Kiln's layout: the fields that differ, path by path in natural order. */
    private String fieldByField(StoredSnapshot from, StoredSnapshot to) {
        Map<String, String> a = flat(from);
        Map<String, String> c = flat(to);
        Set<String> keys = new TreeSet<>(NaturalOrder.INSTANCE);
        keys.addAll(a.keySet());
        keys.addAll(c.keySet());
        StringBuilder rows = new StringBuilder();
        int differ = 0;
        for (String k : keys) {
            String x = a.get(k);
            String y = c.get(k);
            if (x != null && x.equals(y)) {
                continue;
            }
            differ++;
            String kind = x == null ? "added" : y == null ? "removed" : "changed";
            rows.append("<tr class=\"").append(kind).append("\"><td class=\"mark\">").append(x == null ? "+" : y == null ? "−" : "~")
                    .append("</td><td><code>").append(esc(k)).append("</code></td><td>").append(value(x)).append("</td><td>")
                    .append(value(y)).append("</td></tr>");
        }
        StringBuilder b = new StringBuilder("<p class=\"level\" id=\"level\">");
        b.append(differ == 0 ? "<b class=\"identical\">identical</b>: the same fields." : count(differ, "field") + " differ.");
        b.append("</p><p class=\"muted\">From ").append(snapshotLink(from)).append(" to ").append(snapshotLink(to))
                .append(". One of them is not in the layout of Kiln's <code>%env snapshot</code>: compared field by field.</p>");
        if (differ > 0) {
            b.append("<table id=\"fields-table\"><thead><tr><th></th><th>field</th><th>before</th><th>after</th></tr></thead><tbody>")
                    .append(rows).append("</tbody></table>");
        }
        return b.toString();
    }

    private static Map<String, String> flat(StoredSnapshot s) {
        Map<String, String> out = new TreeMap<>(NaturalOrder.INSTANCE);
        Iterator<Map.Entry<String, JsonNode>> it = s.body().fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> f = it.next();
            if (!f.getKey().equals("id") && !f.getKey().equals("time")) {
                SnapshotSections.flatten(f.getKey(), f.getValue(), out);
            }
        }
        return out;
    }

    private static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
