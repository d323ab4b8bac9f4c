package dev.kiln.sidecar;

import static dev.kiln.sidecar.Html.esc;
import static dev.kiln.sidecar.Html.shortId;
import static dev.kiln.sidecar.Html.time;
import static dev.kiln.sidecar.Html.url;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.magics.core.ProgressText;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** The history pages: what was recorded, over time, rendered on the server. */
final class Pages {

    /** How much one page shows: pages stay fast however long the history grows. */
    static final int PAGE_VERSIONS = 200;
    static final int CHART_VERSIONS = 2_000;
    static final int PAGE_RUNS = 100;

    private final RecordStore store;
    private final Access access;

    Pages(RecordStore store, Access access) {
        this.store = store;
        this.access = access;
    }

    /** Every dataset, notebook and recent snapshot, with a form to compare two snapshots. */
    void index(Context ctx) throws SQLException {
        String base = Access.base(ctx);
        StringBuilder b = new StringBuilder();
        b.append("<h2>Datasets</h2>");
        List<RecordStore.DatasetSummary> datasets = store.datasets();
        if (datasets.isEmpty()) {
            b.append("<p class=\"muted\">No dataset version has been recorded yet.</p>");
        } else {
            b.append("<table id=\"datasets\"><tr><th>dataset</th><th>versions</th><th>latest</th><th>size</th><th>rows</th></tr>");
            for (RecordStore.DatasetSummary d : datasets) {
                b.append("<tr><td><a href=\"").append(esc(base)).append("/datasets/").append(esc(url(d.dataset()))).append("\">")
                        .append(esc(d.dataset())).append("</a></td><td class=\"num\">").append(d.versions())
                        .append("</td><td>").append(time(d.latestMs())).append("</td><td class=\"num\">")
                        .append(ProgressText.bytes(d.latestSize())).append("</td><td class=\"num\">")
                        .append(d.latestRows() == null ? "" : d.latestRows()).append("</td></tr>");
            }
            b.append("</table>");
        }
        b.append("<h2>Notebooks</h2>");
        List<RecordStore.NotebookSummary> notebooks = store.notebooks();
        if (notebooks.isEmpty()) {
            b.append("<p class=\"muted\">No run has been recorded yet.</p>");
        } else {
            b.append("<table id=\"notebooks\"><tr><th>notebook</th><th>runs</th><th>last run</th></tr>");
            for (RecordStore.NotebookSummary n : notebooks) {
                b.append("<tr><td><a href=\"").append(esc(base)).append("/notebook?path=").append(esc(url(n.notebook()))).append("\">")
                        .append(esc(n.notebook())).append("</a></td><td class=\"num\">").append(n.runs())
                        .append("</td><td>").append(time(n.lastStartMs())).append("</td></tr>");
            }
            b.append("</table>");
        }
        b.append("<h2>Environment snapshots</h2>");
        List<RecordStore.SnapshotSummary> snaps = store.snapshotSummaries(200);
        if (snaps.isEmpty()) {
            b.append("<p class=\"muted\">No environment snapshot has been recorded yet.</p>");
        } else {
            b.append(compareForm(base, snaps, snaps.size() > 1 ? snaps.get(1).id() : snaps.get(0).id(), snaps.get(0).id()));
            b.append("<table id=\"snapshots\"><tr><th>snapshot</th><th>notebook</th><th>time</th></tr>");
            for (RecordStore.SnapshotSummary s : snaps) {
                b.append("<tr><td><a href=\"").append(esc(base)).append("/snapshots/compare?a=").append(esc(url(s.id()))).append("\"><code>")
                        .append(esc(shortId(s.id()))).append("</code></a></td><td>").append(esc(s.notebook()))
                        .append("</td><td>").append(time(s.timeMs())).append("</td></tr>");
            }
            b.append("</table>");
        }
        ctx.html(Html.page(base, "Kiln history", b.toString()));
    }

    /** A dataset's versions over time: the chart, then every version with its lineage and its users. */
    void dataset(Context ctx) throws SQLException {
        String base = Access.base(ctx);
        String name = Records.name("dataset name", ctx.pathParam("name"));
        List<JsonNode> versions = parse(store.versions(name, PAGE_VERSIONS));
        if (versions.isEmpty()) {
            throw new NotFoundResponse("No version of dataset " + name + " has been recorded");
        }
        Map<String, List<RecordStore.VersionUse>> uses = new HashMap<>();
        for (RecordStore.VersionUse u : store.uses(name)) {
            uses.computeIfAbsent(u.version(), k -> new ArrayList<>()).add(u);
        }
        StringBuilder b = new StringBuilder();
        b.append("<p>").append(versions.size()).append(versions.size() == 1 ? " version" : " versions")
                .append(versions.size() == PAGE_VERSIONS ? " (the newest; the API has them all)" : "").append(", newest first.</p>");
        b.append("<img class=\"chart\" id=\"chart\" alt=\"Size and rows of ").append(esc(name)).append(" over time\" src=\"")
                .append(esc(base)).append("/datasets/").append(esc(url(name))).append("/chart.png\">");
        b.append("<table id=\"versions\"><tr><th>time</th><th>version</th><th>parent</th><th>size</th><th>files</th><th>rows</th>"
                + "<th>author</th><th>message</th><th>lineage</th><th>used by</th></tr>");
        for (int i = versions.size() - 1; i >= 0; i--) {
            JsonNode v = versions.get(i);
            String id = v.path("id").asText();
            b.append("<tr><td>").append(time(millis(v.path("time").asText()))).append("</td>")
                    .append("<td><code title=\"").append(esc(id)).append("\">").append(esc(shortId(id))).append("</code></td>")
                    .append("<td><code title=\"").append(esc(v.path("parent").asText(""))).append("\">")
                    .append(esc(shortId(v.path("parent").asText(null)))).append("</code></td>")
                    .append("<td class=\"num\">").append(ProgressText.bytes(v.path("size").asLong())).append("</td>")
                    .append("<td class=\"num\">").append(v.path("files").asLong()).append("</td>")
                    .append("<td class=\"num\">").append(v.hasNonNull("rows") ? v.get("rows").asLong() : "").append("</td>")
                    .append("<td>").append(esc(v.path("author").asText(""))).append("</td>")
                    .append("<td>").append(esc(v.path("message").asText(""))).append("</td><td>");
            for (JsonNode l : v.path("lineage")) {
                String src = l.path("dataset").asText();
                b.append("<a href=\"").append(esc(base)).append("/datasets/").append(esc(url(src))).append("\">")
                        .append(esc(src)).append("@").append(esc(shortId(l.path("version").asText()))).append("</a> ");
            }
            b.append("</td><td>");
            for (RecordStore.VersionUse u : uses.getOrDefault(id, List.of())) {
                b.append("<a href=\"").append(esc(base)).append("/notebook?path=").append(esc(url(u.notebook()))).append("\">")
                        .append(esc(u.notebook())).append("</a> <span class=\"muted\">").append(time(u.startMs())).append("</span><br>");
            }
            b.append("</td></tr>");
        }
        b.append("</table>");
        ctx.html(Html.page(base, "Dataset " + name, b.toString()));
    }

    void chart(Context ctx) throws SQLException, IOException {
        String name = Records.name("dataset name", ctx.pathParam("name"));
        List<SizeChart.Point> points = new ArrayList<>();
        for (JsonNode v : parse(store.versions(name, CHART_VERSIONS))) {
            points.add(new SizeChart.Point(millis(v.path("time").asText()), v.path("size").asLong(),
                    v.hasNonNull("rows") ? v.get("rows").asLong() : null));
        }
        if (points.isEmpty()) {
            throw new NotFoundResponse("No version of dataset " + name + " has been recorded");
        }
        ctx.contentType("image/png").header("Cache-Control", "no-cache").result(SizeChart.png(name, points));
    }

    /** A notebook's runs: when, in which environment, with which data, what came out; notes. */
    void notebook(Context ctx) throws SQLException {
        String base = Access.base(ctx);
        String path = Records.notebook(ctx.queryParam("path"));
        List<JsonNode> runs = parse(store.runs(path, PAGE_RUNS));
        if (runs.isEmpty()) {
            throw new NotFoundResponse("No run of notebook " + path + " has been recorded");
        }
        boolean forms = base.isEmpty(); // through a read-only proxy there is nothing to post to
        StringBuilder b = new StringBuilder();
        b.append("<p>").append(runs.size()).append(runs.size() == 1 ? " run" : " runs")
                .append(runs.size() == PAGE_RUNS ? " (the newest; the API has them all)" : "").append(", newest first.</p>");
        Map<String, JsonNode> snapshots = new HashMap<>();
        b.append("<table id=\"runs\"><tr><th>started</th><th>took</th><th>session</th><th>environment</th>"
                + "<th>data</th><th>outputs</th><th>notes</th></tr>");
        for (int i = 0; i < runs.size(); i++) {
            JsonNode r = runs.get(i);
            String id = r.path("id").asText();
            long start = millis(r.path("start").asText());
            b.append("<tr id=\"run-").append(esc(id)).append("\"><td>").append(time(start)).append("</td><td class=\"num\">");
            if (r.hasNonNull("end")) {
                b.append(String.format(java.util.Locale.ROOT, "%.1f s", (millis(r.get("end").asText()) - start) / 1000.0));
            } else {
                b.append("<span class=\"muted\">running</span>");
            }
            b.append("</td><td><code>").append(esc(shortId(r.path("session").asText(null)))).append("</code></td><td>");
            String snap = r.path("snapshot").asText(null);
            if (snap != null) {
                b.append("<a href=\"").append(esc(base)).append("/snapshots/compare?a=").append(esc(url(snap))).append("\"><code>")
                        .append(esc(shortId(snap))).append("</code></a>");
                JsonNode s = snapshots.computeIfAbsent(snap, k -> {
                    try {
                        return store.snapshot(k).map(Pages::parseOne).orElse(null);
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                });
                if (s != null) {
                    b.append("<br><span class=\"muted\">").append(esc(summary(s))).append("</span>");
                }
                String previous = i + 1 < runs.size() ? runs.get(i + 1).path("snapshot").asText(null) : null;
                if (previous != null && !previous.equals(snap)) {
                    b.append("<br><a href=\"").append(esc(base)).append("/snapshots/compare?a=").append(esc(url(previous)))
                            .append("&amp;b=").append(esc(url(snap))).append("&amp;diff=1\">changes since the run before</a>");
                }
            }
            b.append("</td><td>");
            for (JsonNode d : r.path("datasets")) {
                String ds = d.path("dataset").asText();
                b.append("<a href=\"").append(esc(base)).append("/datasets/").append(esc(url(ds))).append("\">")
                        .append(esc(ds)).append("@").append(esc(shortId(d.path("version").asText()))).append("</a><br>");
            }
            b.append("</td><td>");
            if (r.has("outputs")) {
                String out = r.get("outputs").toString();
                b.append("<code>").append(esc(out.length() > 300 ? out.substring(0, 300) + "…" : out)).append("</code>");
            }
            b.append("</td><td>");
            for (RecordStore.Note n : store.notes(id)) {
                b.append("<div class=\"note\">").append(esc(n.note())).append(" <span class=\"muted\">")
                        .append(time(n.timeMs())).append("</span></div>");
            }
            if (forms) {
                b.append("<form method=\"post\" action=\"/runs/").append(esc(url(id))).append("/notes\">")
                        .append("<input type=\"hidden\" name=\"").append(Access.CSRF_FIELD).append("\" value=\"").append(access.csrf()).append("\">")
                        .append("<input type=\"text\" name=\"note\" maxlength=\"2000\" placeholder=\"add a note\">")
                        .append("<button type=\"submit\">add</button></form>");
            }
            b.append("</td></tr>");
        }
        b.append("</table>");
        ctx.html(Html.page(base, "Notebook " + path, b.toString()));
    }

    /** Two snapshots side by side, entry by entry; {@code diff=1} shows only what differs. */
    void compare(Context ctx) throws SQLException {
        String base = Access.base(ctx);
        String a = ctx.queryParam("a");
        String bId = ctx.queryParam("b");
        if (a == null || a.isEmpty()) {
            throw new BadRequestResponse("Give the snapshots to compare as ?a=ID&b=ID");
        }
        Records.name("a", a);
        if (bId != null && bId.isEmpty()) {
            bId = null;
        }
        if (bId != null) {
            Records.name("b", bId);
        }
        boolean onlyDiff = "1".equals(ctx.queryParam("diff"));
        Map<String, String> left = flatten(parseOne(store.snapshot(a).orElseThrow(() -> new NotFoundResponse("No snapshot " + a + " has been recorded"))));
        String bFinal = bId;
        Map<String, String> right = bId == null ? null
                : flatten(parseOne(store.snapshot(bId).orElseThrow(() -> new NotFoundResponse("No snapshot " + bFinal + " has been recorded"))));
        StringBuilder b = new StringBuilder();
        b.append(compareForm(base, store.snapshotSummaries(200), a, bId == null ? "" : bId));
        TreeSet<String> keys = new TreeSet<>(left.keySet());
        if (right != null) {
            keys.addAll(right.keySet());
        }
        int differ = 0;
        StringBuilder rows = new StringBuilder();
        for (String k : keys) {
            String l = left.get(k);
            String r = right == null ? l : right.get(k);
            String cls = l == null ? "added" : r == null ? "removed" : l.equals(r) ? "" : "changed";
            if (!cls.isEmpty()) {
                differ++;
            }
            if (onlyDiff && cls.isEmpty()) {
                continue;
            }
            rows.append("<tr").append(cls.isEmpty() ? "" : " class=\"" + cls + "\"").append("><td><code>").append(esc(k))
                    .append("</code></td><td>").append(esc(l == null ? "—" : l)).append("</td>");
            if (right != null) {
                rows.append("<td>").append(esc(r == null ? "—" : r)).append("</td>");
            }
            rows.append("</tr>");
        }
        if (right != null) {
            b.append("<p id=\"summary\">").append(differ).append(" of ").append(keys.size()).append(" entries differ.</p>");
        }
        b.append("<table id=\"compare\"><tr><th>entry</th><th><code>").append(esc(shortId(a))).append("</code></th>");
        if (right != null) {
            b.append("<th><code>").append(esc(shortId(bId))).append("</code></th>");
        }
        b.append("</tr>").append(rows).append("</table>");
        ctx.html(Html.page(base, right == null ? "Snapshot " + shortId(a) : "Snapshots " + shortId(a) + " and " + shortId(bId), b.toString()));
    }

    /** The note form of a notebook page (cookie login; CSRF checked by {@link Access}). */
    void addNote(Context ctx) throws SQLException {
        String id = Records.name("run id", ctx.pathParam("id"));
        String note = Records.note(ctx.formParam("note"));
        String body = store.run(id).orElseThrow(() -> new NotFoundResponse("No run " + id + " has been recorded"));
        store.addNote(id, note);
        String notebook = parseOne(body).path("notebook").asText();
        ctx.redirect("/notebook?path=" + url(notebook) + "#run-" + url(id), HttpStatus.SEE_OTHER);
    }

    private static String compareForm(String base, List<RecordStore.SnapshotSummary> snaps, String a, String b) {
        StringBuilder f = new StringBuilder();
        f.append("<form method=\"get\" action=\"").append(esc(base)).append("/snapshots/compare\" id=\"compare-form\">")
                .append("compare <input type=\"text\" name=\"a\" list=\"snapshot-ids\" value=\"").append(esc(a)).append("\">")
                .append(" with <input type=\"text\" name=\"b\" list=\"snapshot-ids\" value=\"").append(esc(b)).append("\">")
                .append(" <label><input type=\"checkbox\" name=\"diff\" value=\"1\"> only differences</label>")
                .append(" <button type=\"submit\">compare</button><datalist id=\"snapshot-ids\">");
        for (RecordStore.SnapshotSummary s : snaps) {
            f.append("<option value=\"").append(esc(s.id())).append("\">").append(esc(s.notebook() == null ? "" : s.notebook()))
                    .append(" ").append(time(s.timeMs())).append("</option>");
        }
        return f.append("</datalist></form>").toString();
    }

    /** A few entries of a snapshot to recognise it by. */
    private static String summary(JsonNode snapshot) {
        Map<String, String> flat = flatten(snapshot);
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, String> e : flat.entrySet()) {
            if (e.getKey().equals("id") || e.getKey().equals("notebook") || e.getKey().equals("time")) {
                continue;
            }
            parts.add(e.getKey() + "=" + e.getValue());
            if (parts.size() == 4) {
                break;
            }
        }
        String s = String.join(", ", parts);
        return flat.size() > parts.size() + 3 ? s + ", … (" + flat.size() + " entries)" : s;
    }

    /** A JSON tree as path → value ({@code java.version}, {@code jars[2].name}). */
    static Map<String, String> flatten(JsonNode n) {
        Map<String, String> out = new LinkedHashMap<>();
        flatten("", n, out);
        return out;
    }

    private static void flatten(String prefix, JsonNode n, Map<String, String> out) {
        if (out.size() > 20_000) {
            return;
        }
        if (n.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = n.fields();
            if (!it.hasNext() && !prefix.isEmpty()) {
                out.put(prefix, "{}");
            }
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
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

    private static List<JsonNode> parse(List<String> bodies) {
        List<JsonNode> out = new ArrayList<>(bodies.size());
        for (String s : bodies) {
            out.add(parseOne(s));
        }
        return out;
    }

    private static JsonNode parseOne(String body) {
        try {
            return Records.JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A stored record is not JSON", e);
        }
    }

    private static long millis(String iso) {
        try {
            return Instant.parse(iso).toEpochMilli();
        } catch (java.time.format.DateTimeParseException e) {
            return java.time.OffsetDateTime.parse(iso).toInstant().toEpochMilli();
        }
    }
}
