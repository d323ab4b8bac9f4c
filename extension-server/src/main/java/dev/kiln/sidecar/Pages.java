package dev.kiln.sidecar;

import static dev.kiln.sidecar.Html.esc;
import static dev.kiln.sidecar.Html.url;
import static dev.kiln.sidecar.HtmlPage.hash;
import static dev.kiln.sidecar.HtmlPage.time;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.magics.core.ProgressText;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The history pages: what was recorded, over time, rendered on the server for people. Long lists
 * come {@value Paging#ROWS} rows a page ({@link Paging}); times are to the second in the viewer's
 * own time zone ({@link HtmlPage#time}).
 */
final class Pages {

    /** The newest versions a dataset's chart draws: it stays fast however long the history grows. */
    static final int CHART_VERSIONS = 2_000;
    /** Snapshots the start page lists before linking to all of them. */
    static final int RECENT_SNAPSHOTS = 10;
    /** Runs named beside each version on a dataset's page before "and N more". */
    static final int USES_SHOWN = 5;

    private final RecordStore store;
    private final Access access;

    Pages(RecordStore store, Access access) {
        this.store = store;
        this.access = access;
    }

    /**
     * The projects, then every dataset and notebook, the latest snapshots, and a form to compare two
     * of them; of one project with {@code ?project=}.
     */
    void index(Context ctx) throws SQLException {
        String base = Access.base(ctx);
        String project = Api.project(ctx);
        boolean every = project == null;
        StringBuilder b = new StringBuilder();
        if (every) {
            b.append("<h2>Projects</h2>");
            List<RecordStore.ProjectSummary> projects = store.projects();
            if (projects.isEmpty()) {
                b.append("<p class=\"muted\">Nothing has been recorded yet.</p>");
            } else {
                b.append("<table id=\"projects\"><thead><tr><th>project</th><th class=\"num\">datasets</th><th class=\"num\">runs</th>"
                        + "<th class=\"num\">snapshots</th><th>last recorded</th></tr></thead><tbody>");
                for (RecordStore.ProjectSummary p : projects) {
                    b.append("<tr><td>").append(projectLink(base, p.project())).append("</td><td class=\"num\">").append(p.datasets())
                            .append("</td><td class=\"num\">").append(p.runs()).append("</td><td class=\"num\">").append(p.snapshots())
                            .append("</td><td class=\"nowrap\">").append(time(p.latestMs())).append("</td></tr>");
                }
                b.append("</tbody></table>");
            }
        } else {
            b.append("<p id=\"project\">Project ").append(projectLabel(project)).append(" · <a id=\"all-projects\" href=\"")
                    .append(esc(base)).append("/\">all projects</a></p>");
        }
        b.append("<h2>Datasets</h2>");
        List<RecordStore.DatasetSummary> datasets = store.datasets(project);
        if (datasets.isEmpty()) {
            b.append("<p class=\"muted\">No dataset version has been recorded yet.</p>");
        } else {
            b.append("<table id=\"datasets\"><thead><tr><th>dataset</th>").append(every ? "<th>project</th>" : "")
                    .append("<th class=\"num\">versions</th><th>latest</th><th class=\"num\">size</th><th class=\"num\">rows</th></tr></thead><tbody>");
            for (RecordStore.DatasetSummary d : datasets) {
                b.append("<tr><td>").append(datasetLink(base, d.project(), d.dataset())).append("</td>");
                if (every) {
                    b.append("<td class=\"project\">").append(projectLink(base, d.project())).append("</td>");
                }
                b.append("<td class=\"num\">").append(d.versions())
                        .append("</td><td class=\"nowrap\">").append(time(d.latestMs())).append("</td><td class=\"num\">")
                        .append(esc(ProgressText.bytes(d.latestSize()))).append("</td><td class=\"num\">").append(rows(d.latestRows()))
                        .append("</td></tr>");
            }
            b.append("</tbody></table>");
        }
        b.append("<h2>Notebooks</h2>");
        List<RecordStore.NotebookSummary> notebooks = store.notebooks(project);
        if (notebooks.isEmpty()) {
            b.append("<p class=\"muted\">No run has been recorded yet.</p>");
        } else {
            b.append("<table id=\"notebooks\"><thead><tr><th>notebook</th>").append(every ? "<th>project</th>" : "")
                    .append("<th class=\"num\">runs</th><th>last run</th></tr></thead><tbody>");
            for (RecordStore.NotebookSummary n : notebooks) {
                b.append("<tr><td>").append(notebookLink(base, n.project(), n.notebook())).append("</td>");
                if (every) {
                    b.append("<td class=\"project\">").append(projectLink(base, n.project())).append("</td>");
                }
                b.append("<td class=\"num\">").append(n.runs())
                        .append("</td><td class=\"nowrap\">").append(time(n.lastStartMs())).append("</td></tr>");
            }
            b.append("</tbody></table>");
        }
        b.append("<h2>Environment snapshots</h2>");
        int total = store.snapshotCount(project);
        if (total == 0) {
            b.append("<p class=\"muted\">No environment snapshot has been recorded yet.</p>");
        } else {
            List<RecordStore.SnapshotSummary> recent = store.snapshotSummaries(project, 0, Paging.ROWS);
            b.append(compareForm(base, recent, null));
            b.append(snapshotTable(base, recent, RECENT_SNAPSHOTS));
            b.append("<p><a id=\"all-snapshots\" href=\"").append(esc(base)).append("/snapshots").append(projectQuery('?', project)).append("\">")
                    .append(total == 1 ? "The one snapshot" : "All " + total + " snapshots").append(" →</a></p>");
        }
        ctx.html(HtmlPage.page(base, every ? "Kiln history" : "Kiln history of " + projectName(project), b.toString()));
    }

    /** Every snapshot, newest first, a page at a time. */
    void snapshots(Context ctx) throws SQLException {
        String base = Access.base(ctx);
        String project = Api.project(ctx);
        Paging paging = Paging.of(ctx, store.snapshotCount(project), "snapshots");
        // one more than the page shows: the last row's "changes from the one before" needs it
        List<RecordStore.SnapshotSummary> page = store.snapshotSummaries(project, paging.offset(), Paging.ROWS + 1);
        StringBuilder b = new StringBuilder();
        if (page.isEmpty()) {
            b.append("<p class=\"muted\">No environment snapshot has been recorded yet.</p>");
        } else {
            b.append(compareForm(base, store.snapshotSummaries(project, 0, Paging.ROWS), null));
            b.append(paging.nav(ctx, base, "snapshots")).append(snapshotTable(base, page, Paging.ROWS)).append(paging.nav(ctx, base, "snapshots"));
        }
        ctx.html(HtmlPage.page(base, project == null ? "Environment snapshots" : "Environment snapshots of " + projectName(project), b.toString()));
    }

    /** One snapshot, section by section. */
    void snapshot(Context ctx) throws SQLException {
        String base = Access.base(ctx);
        String id = Records.name("snapshot id", ctx.pathParam("id"));
        snapshotPage(ctx, base, load(Api.project(ctx), id));
    }

    private void snapshotPage(Context ctx, String base, StoredSnapshot s) throws SQLException {
        String others = compareForm(base, store.snapshotSummaries(null, 0, Paging.ROWS), s.id());
        ctx.html(HtmlPage.page(base, "Snapshot " + Html.shortId(s.id()), others + new SnapshotSections(base).render(s)));
    }

    /** Two snapshots: what changed from {@code a} to {@code b}, as {@code %env diff} shows it; one snapshot when only {@code a} is given. */
    void compare(Context ctx) throws SQLException {
        String base = Access.base(ctx);
        String a = ctx.queryParam("a");
        String bId = ctx.queryParam("b");
        if (a == null || a.isEmpty()) {
            throw new BadRequestResponse("Give the snapshots to compare as ?a=ID&b=ID");
        }
        Records.name("a", a);
        if (bId == null || bId.isEmpty()) {
            snapshotPage(ctx, base, load(null, a));
            return;
        }
        Records.name("b", bId);
        StoredSnapshot from = load(null, a);
        StoredSnapshot to = load(null, bId);
        List<RecordStore.SnapshotSummary> snaps = store.snapshotSummaries(null, 0, Paging.ROWS);
        if (a.equals(bId)) {
            String same = "<p id=\"same-snapshot\" class=\"notice\">Both sides are snapshot " + hash(a) + ": a snapshot compared with "
                    + "itself has no changes. Choose two different snapshots (the form below starts from this one and the one before it).</p>";
            ctx.html(HtmlPage.page(base, "Snapshot " + Html.shortId(a) + " with itself",
                    same + compareForm(base, snaps, a) + new SnapshotSections(base).render(from)));
            return;
        }
        String content = compareForm(base, snaps, a, bId) + new SnapshotChanges(base).render(from, to);
        ctx.html(HtmlPage.page(base, "Snapshots " + Html.shortId(a) + " → " + Html.shortId(bId), content));
    }

    private StoredSnapshot load(String project, String id) throws SQLException {
        return StoredSnapshot.parse(store.snapshot(project, id).orElseThrow(() -> new NotFoundResponse("No snapshot " + id + " has been recorded")));
    }

    /** A dataset's versions over time: the chart, then its versions with their lineage and the runs that used them. */
    void dataset(Context ctx) throws SQLException {
        String base = Access.base(ctx);
        String name = Records.name("dataset name", ctx.pathParam("name"));
        String project = Api.project(ctx);
        if (project == null) {
            List<String> projects = store.projectsOfDataset(name);
            if (projects.size() > 1 && ctx.queryParam("version") != null) {
                // a link to one version from a snapshot, which names no project: the project that holds it
                String wanted = Records.name("version", ctx.queryParam("version"));
                List<String> holding = new ArrayList<>();
                for (String p : projects) {
                    if (store.versionsNewerThan(p, name, wanted).isPresent()) {
                        holding.add(p);
                    }
                }
                projects = holding.isEmpty() ? projects : holding;
            }
            if (projects.size() > 1) {
                choose(ctx, base, "Dataset " + name, "dataset-projects", projects, p -> datasetHref(base, p, name));
                return;
            }
            project = projects.isEmpty() ? Records.UNKNOWN_PROJECT : projects.get(0);
        }
        int total = store.versionCount(project, name);
        if (total == 0) {
            throw new NotFoundResponse("No version of dataset " + name + " has been recorded" + inProject(project));
        }
        String version = ctx.queryParam("version");
        Paging paging;
        if (version != null && ctx.queryParam("page") == null) {
            // a link to one version (from a run or a snapshot) opens the page that holds it
            OptionalInt newer = store.versionsNewerThan(project, name, Records.name("version", version));
            if (newer.isEmpty()) {
                throw new NotFoundResponse("No version " + version + " of dataset " + name + " has been recorded");
            }
            paging = Paging.at(ctx, Paging.pageOf(newer.getAsInt()), total, "versions of " + name);
        } else {
            paging = Paging.of(ctx, total, "versions of " + name);
        }
        List<JsonNode> versions = parse(store.versionsNewestFirst(project, name, paging.offset(), Paging.ROWS));
        Map<String, List<RecordStore.VersionUse>> uses = new HashMap<>();
        for (RecordStore.VersionUse u : store.uses(project, name, versions.stream().map(v -> v.path("id").asText()).toList())) {
            uses.computeIfAbsent(u.version(), k -> new ArrayList<>()).add(u);
        }
        boolean rows = store.anyRows(project, name);
        StringBuilder b = new StringBuilder();
        b.append("<p id=\"project\">Project ").append(projectLink(base, project)).append("</p>");
        b.append("<img class=\"chart\" id=\"chart\" width=\"820\" height=\"320\" alt=\"").append(esc(SizeChart.title(name, rows)))
                .append("\" src=\"").append(esc(base)).append("/datasets/").append(esc(url(name))).append("/chart.png")
                .append(esc(projectQuery('?', project))).append("\">");
        b.append(paging.nav(ctx, base, "versions, newest first,"));
        b.append("<table id=\"versions\"><thead><tr><th>made</th><th>version</th><th>parent</th><th class=\"num\">size</th>"
                + "<th class=\"num\">files</th><th class=\"num\">rows</th>"
                + "<th>author</th><th>message</th><th>made from</th><th>used by</th></tr></thead><tbody>");
        for (JsonNode v : versions) {
            String id = v.path("id").asText();
            b.append("<tr id=\"v-").append(esc(id)).append("\"><td class=\"nowrap\">").append(timeOf(v.path("time"))).append("</td>")
                    .append("<td>").append(hash(id)).append("</td><td>").append(hash(v.path("parent").asText(null))).append("</td>")
                    .append("<td class=\"num\">").append(esc(ProgressText.bytes(v.path("size").asLong()))).append("</td>")
                    .append("<td class=\"num\">").append(number(v.path("files").asLong())).append("</td>");
            b.append("<td class=\"num rows\">").append(rows(v.hasNonNull("rows") ? v.get("rows").asLong() : null)).append("</td>");
            b.append("<td>").append(esc(v.path("author").asText(""))).append("</td>")
                    .append("<td>").append(esc(v.path("message").asText(""))).append("</td><td>");
            for (JsonNode l : v.path("lineage")) {
                b.append(versionRef(base, project, l.path("dataset").asText(), l.path("version").asText())).append("<br>");
            }
            b.append("</td><td>");
            List<RecordStore.VersionUse> used = uses.getOrDefault(id, List.of());
            for (RecordStore.VersionUse u : used.subList(0, Math.min(USES_SHOWN, used.size()))) {
                b.append(notebookLink(base, project, u.notebook())).append(" <span class=\"muted\">").append(time(u.startMs())).append("</span><br>");
            }
            if (used.size() > USES_SHOWN) {
                b.append("<span class=\"muted\">and ").append(used.size() - USES_SHOWN).append(" more runs</span>");
            }
            b.append("</td></tr>");
        }
        b.append("</tbody></table>").append(paging.nav(ctx, base, "versions, newest first,"));
        ctx.html(HtmlPage.page(base, "Dataset " + name, b.toString()));
    }

    /** A name recorded by several projects: which one's history? */
    private static void choose(Context ctx, String base, String title, String tableId, List<String> projects,
                               java.util.function.Function<String, String> href) {
        StringBuilder b = new StringBuilder("<p>Several projects recorded this; each has its own history:</p>");
        b.append("<table id=\"").append(tableId).append("\"><thead><tr><th>project</th></tr></thead><tbody>");
        for (String p : projects) {
            b.append("<tr><td><a href=\"").append(esc(href.apply(p))).append("\">").append(projectLabel(p)).append("</a></td></tr>");
        }
        ctx.html(HtmlPage.page(base, title, b.append("</tbody></table>").toString()));
    }

    /** The size (and rows, where recorded) of a dataset's newest versions over time, as a PNG. */
    void chart(Context ctx) throws SQLException, IOException {
        String name = Records.name("dataset name", ctx.pathParam("name"));
        String project = Api.project(ctx);
        if (project == null) {
            List<String> projects = store.projectsOfDataset(name);
            if (projects.size() > 1) {
                throw new BadRequestResponse("Several projects recorded a dataset " + name + ": name one with ?project=");
            }
            project = projects.isEmpty() ? Records.UNKNOWN_PROJECT : projects.get(0);
        }
        List<SizeChart.Point> points = new ArrayList<>();
        for (JsonNode v : parse(store.versions(project, name, CHART_VERSIONS))) {
            Long t = StoredSnapshot.millis(v.path("time").asText(null));
            points.add(new SizeChart.Point(t == null ? 0 : t, v.path("size").asLong(), v.hasNonNull("rows") ? v.get("rows").asLong() : null));
        }
        if (points.isEmpty()) {
            throw new NotFoundResponse("No version of dataset " + name + " has been recorded");
        }
        ctx.contentType("image/png").header("Cache-Control", "no-cache").result(SizeChart.png(name, points));
    }

    /** A notebook's runs, newest first: when, how it ended, in which environment, with which data, which cells; notes. */
    void notebook(Context ctx) throws SQLException {
        String base = Access.base(ctx);
        String path = Records.notebook(ctx.queryParam("path"));
        String project = Api.project(ctx);
        if (project == null) {
            List<String> projects = store.projectsOfNotebook(path);
            if (projects.size() > 1) {
                choose(ctx, base, "Notebook " + path, "notebook-projects", projects, p -> notebookHref(base, p, path));
                return;
            }
            project = projects.isEmpty() ? Records.UNKNOWN_PROJECT : projects.get(0);
        }
        int total = store.runCount(project, path);
        if (total == 0) {
            throw new NotFoundResponse("No run of notebook " + path + " has been recorded" + inProject(project));
        }
        Paging paging = Paging.of(ctx, total, "runs of " + path);
        // one run more than the page shows: the last row's "changes since the run before" needs it
        List<JsonNode> runs = parse(store.runs(project, path, paging.offset(), Paging.ROWS + 1));
        boolean forms = base.isEmpty(); // through a read-only proxy there is nothing to post to
        Map<String, StoredSnapshot> snapshots = new HashMap<>();
        StringBuilder b = new StringBuilder();
        b.append("<p id=\"project\">Project ").append(projectLink(base, project)).append("</p>");
        b.append(paging.nav(ctx, base, "runs, newest first,"));
        b.append("<table id=\"runs\"><thead><tr><th>started</th><th>ended</th><th>status</th><th>environment</th>"
                + "<th>datasets</th><th>cells</th><th>notes</th></tr></thead><tbody>");
        for (int i = 0; i < Math.min(runs.size(), Paging.ROWS); i++) {
            JsonNode r = runs.get(i);
            String id = r.path("id").asText();
            Long start = StoredSnapshot.millis(r.path("start").asText(null));
            Long end = StoredSnapshot.millis(r.path("end").asText(null));
            b.append("<tr id=\"run-").append(esc(id)).append("\"><td class=\"nowrap start\">").append(start == null ? "" : time(start))
                    .append("</td><td class=\"nowrap end\">");
            String status = r.path("status").isTextual() ? r.get("status").asText() : end == null ? "running" : "ended";
            Long lastSeen = StoredSnapshot.millis(r.path("lastSeen").asText(null));
            Long until = "lost".equals(status) ? lastSeen : "ended".equals(status) ? end : null;
            if (until != null) {
                b.append("lost".equals(status) ? "<span class=\"muted\">last heard </span>" : "").append(time(until));
                if (start != null) {
                    b.append("<br><span class=\"muted\">").append(duration(until - start)).append("</span>");
                }
            }
            b.append("</td><td class=\"status nowrap\"><span class=\"").append(esc(status)).append("\" title=\"kernel session ")
                    .append(esc(r.path("session").asText("not recorded"))).append("\">").append(esc(status)).append("</span></td><td class=\"env\">");
            String snap = r.path("snapshot").asText(null);
            if (snap != null) {
                b.append("<a href=\"").append(esc(base)).append("/snapshots/").append(esc(url(snap))).append("\">").append(hash(snap)).append("</a>");
                StoredSnapshot s = snapshots.computeIfAbsent(snap, this::findSnapshot);
                b.append("<br><span class=\"muted\">").append(s == null ? "not recorded here" : esc(s.summary())).append("</span>");
                String previous = i + 1 < runs.size() ? runs.get(i + 1).path("snapshot").asText(null) : null;
                if (previous != null && !previous.equals(snap)) {
                    b.append("<br><a class=\"changes\" href=\"").append(esc(base)).append("/snapshots/compare?a=").append(esc(url(previous)))
                            .append("&amp;b=").append(esc(url(snap))).append("\">changes since the run before</a>");
                }
            } else {
                b.append("<span class=\"muted\">no snapshot</span>");
            }
            b.append("</td><td class=\"data\">");
            for (JsonNode d : r.path("datasets")) {
                b.append(versionRef(base, project, d.path("dataset").asText(), d.path("version").asText())).append("<br>");
            }
            b.append("</td><td class=\"cells\">").append(cells(r.path("outputs"))).append("</td><td class=\"notes\">");
            for (RecordStore.Note n : store.notes(id)) {
                b.append("<div class=\"note\">").append(esc(n.note())).append(" <span class=\"muted\">").append(time(n.timeMs()))
                        .append("</span></div>");
            }
            if (forms) {
                b.append("<form class=\"note\" method=\"post\" action=\"/runs/").append(esc(url(id))).append("/notes\">")
                        .append("<input type=\"hidden\" name=\"").append(Access.CSRF_FIELD).append("\" value=\"").append(access.csrf()).append("\">")
                        .append("<input type=\"text\" name=\"note\" maxlength=\"2000\" placeholder=\"add a note\" aria-label=\"note\">")
                        .append("<button type=\"submit\">add</button></form>");
            }
            b.append("</td></tr>");
        }
        b.append("</tbody></table>").append(paging.nav(ctx, base, "runs, newest first,"));
        ctx.html(HtmlPage.page(base, "Notebook " + path, b.toString()));
    }

    private StoredSnapshot findSnapshot(String id) {
        try {
            return store.snapshot(null, id).map(StoredSnapshot::parse).orElse(null);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The note form of a notebook page (cookie login; CSRF checked by {@link Access}). */
    void addNote(Context ctx) throws SQLException {
        String id = Records.name("run id", ctx.pathParam("id"));
        String note = Records.note(ctx.formParam("note"));
        String body = store.run(id).orElseThrow(() -> new NotFoundResponse("No run " + id + " has been recorded"));
        store.addNote(id, note);
        JsonNode run = parseOne(body);
        ctx.redirect(notebookHref("", run.path("project").asText(Records.UNKNOWN_PROJECT), run.path("notebook").asText())
                + "#run-" + url(id), HttpStatus.SEE_OTHER);
    }

    /**
     * The cells of a run that produced provenance, by execution count with what they recorded
     * ({@code In [11] data}); an older record's outputs as its fields.
     */
    private static String cells(JsonNode outputs) {
        StringBuilder b = new StringBuilder();
        if (outputs.isArray()) {
            // the same cell recording the same again (the Lab panel's status checks) shows once, counted
            List<String> lines = new ArrayList<>();
            List<Integer> times = new ArrayList<>();
            for (JsonNode o : outputs) {
                String line;
                if (o.path("cell").isIntegralNumber()) {
                    List<String> kinds = new ArrayList<>();
                    o.path("kiln").forEach(k -> kinds.add(k.asText()));
                    line = "<code>In [" + o.get("cell").asLong() + "]</code> " + esc(recorded(kinds));
                } else {
                    line = esc(o.toString());
                }
                if (!lines.isEmpty() && lines.get(lines.size() - 1).equals(line)) {
                    times.set(times.size() - 1, times.get(times.size() - 1) + 1);
                } else {
                    lines.add(line);
                    times.add(1);
                }
            }
            for (int i = 0; i < lines.size(); i++) {
                b.append("<span class=\"cell\">").append(lines.get(i))
                        .append(times.get(i) > 1 ? " <span class=\"times\">× " + times.get(i) + "</span>" : "").append("</span><br>");
            }
        } else if (outputs.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = outputs.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> f = it.next();
                b.append(esc(f.getKey())).append(": ").append(esc(f.getValue().isTextual() ? f.getValue().asText() : f.getValue().toString()))
                        .append("<br>");
            }
        }
        return b.toString();
    }

    /**
     * What a cell recorded, in words, from the {@code metadata.kiln} keys its run record lists: a
     * conversion's dozen keys are one "Parquet conversion", {@code %data status}'s are "data status".
     */
    static String recorded(List<String> keys) {
        String whole = keys.contains("schema") || keys.contains("files") ? "Parquet conversion"
                : keys.contains("workspace") ? "data status" : null;
        List<String> words = new ArrayList<>();
        for (String key : keys) {
            String word = switch (key) {
                case "snapshot" -> "environment snapshot";
                case "envCheck" -> "environment check";
                case "envDiff" -> "environment diff";
                case "maven" -> "libraries added";
                case "data" -> whole == null ? "dataset versions" : whole;
                case "workspace", "command", "origin", "input", "output", "settings", "files", "schema", "rows", "seconds" ->
                        whole == null ? key : whole;
                default -> key;
            };
            if (!words.contains(word)) {
                words.add(word);
            }
        }
        return String.join(", ", words);
    }

    /** The first {@code shown} of {@code snaps} (newest first), each linked to the changes from the one after it in the list. */
    private static String snapshotTable(String base, List<RecordStore.SnapshotSummary> snaps, int shown) {
        StringBuilder b = new StringBuilder("<table id=\"snapshots\"><thead><tr><th>snapshot</th><th>notebook</th><th>first seen</th>"
                + "<th></th></tr></thead><tbody>");
        for (int i = 0; i < Math.min(shown, snaps.size()); i++) {
            RecordStore.SnapshotSummary s = snaps.get(i);
            b.append("<tr><td><a href=\"").append(esc(base)).append("/snapshots/").append(esc(url(s.id()))).append("\">")
                    .append(hash(s.id())).append("</a></td><td>").append(s.notebook() == null ? "" : notebookLink(base, s.project(), s.notebook()))
                    .append("</td><td class=\"nowrap\">").append(time(s.timeMs())).append("</td><td>");
            if (i + 1 < snaps.size()) {
                b.append("<a href=\"").append(esc(base)).append("/snapshots/compare?a=").append(esc(url(snaps.get(i + 1).id())))
                        .append("&amp;b=").append(esc(url(s.id()))).append("\">changes from the one before</a>");
            }
            b.append("</td></tr>");
        }
        return b.append("</tbody></table>").toString();
    }

    /**
     * The compare form set to two different snapshots: {@code focus} and the one recorded before it
     * (after it, for the oldest), or the newest two when there is no focus; a line saying there is
     * nothing to compare when fewer than two different snapshots are recorded.
     */
    private static String compareForm(String base, List<RecordStore.SnapshotSummary> snaps, String focus) {
        List<String> ids = snaps.stream().map(RecordStore.SnapshotSummary::id).distinct().toList();
        if (ids.size() < 2) {
            return "<p id=\"compare-none\" class=\"muted\">One environment snapshot has been recorded: another "
                    + "<code>%env snapshot</code> gives it one to compare with.</p>";
        }
        int at = Math.max(0, ids.indexOf(focus));
        return at + 1 < ids.size() ? compareForm(base, snaps, ids.get(at + 1), ids.get(at))
                : compareForm(base, snaps, ids.get(at), ids.get(at - 1));
    }

    /** The compare form set to {@code a} → {@code b}; its list offers each recorded snapshot once. */
    private static String compareForm(String base, List<RecordStore.SnapshotSummary> snaps, String a, String b) {
        StringBuilder f = new StringBuilder();
        f.append("<form method=\"get\" action=\"").append(esc(base)).append("/snapshots/compare\" id=\"compare-form\">")
                .append("compare <input type=\"text\" name=\"a\" list=\"snapshot-ids\" aria-label=\"from snapshot\" value=\"").append(esc(a))
                .append("\"> with <input type=\"text\" name=\"b\" list=\"snapshot-ids\" aria-label=\"to snapshot\" value=\"").append(esc(b))
                .append("\"> <button type=\"submit\">compare</button><datalist id=\"snapshot-ids\">");
        java.util.Set<String> offered = new java.util.HashSet<>();
        for (RecordStore.SnapshotSummary s : snaps) {
            if (offered.add(s.id())) { // one id recorded in two projects is one snapshot
                f.append("<option value=\"").append(esc(s.id())).append("\">").append(esc(s.notebook() == null ? "" : s.notebook()))
                        .append(" ").append(HtmlPage.utc(s.timeMs())).append("</option>");
            }
        }
        return f.append("</datalist></form>").toString();
    }

    private static String datasetLink(String base, String project, String name) {
        return "<a href=\"" + esc(datasetHref(base, project, name)) + "\">" + esc(name) + "</a>";
    }

    private static String datasetHref(String base, String project, String name) {
        return base + "/datasets/" + url(name) + projectQuery('?', project);
    }

    private static String notebookLink(String base, String project, String notebook) {
        return "<a href=\"" + esc(notebookHref(base, project, notebook)) + "\">" + esc(notebook) + "</a>";
    }

    private static String notebookHref(String base, String project, String notebook) {
        return base + "/notebook?path=" + url(notebook) + projectQuery('&', project);
    }

    /** A project's own history page, by its name; records kept without one are "(unknown project)". */
    private static String projectLink(String base, String project) {
        return "<a class=\"project\" href=\"" + esc(base + "/" + projectQuery('?', project)) + "\">" + projectLabel(project) + "</a>";
    }

    /** {@code ?project=…} (or {@code &project=…}) for links; nothing for every project. */
    static String projectQuery(char first, String project) {
        return project == null ? "" : first + "project=" + url(project);
    }

    static String projectName(String project) {
        return project.isEmpty() ? "(unknown project)" : project;
    }

    private static String projectLabel(String project) {
        return project.isEmpty() ? "<span class=\"muted\">(unknown project)</span>" : "<code>" + esc(project) + "</code>";
    }

    private static String inProject(String project) {
        return " in project " + projectName(project);
    }

    /** A row count, or a word saying it is not known and when that is (what {@code IndexedRows} and Parquet footers cannot tell). */
    private static String rows(Long rows) {
        return rows != null ? number(rows)
                : "<span class=\"muted unknown\" title=\"" + esc(ROWS_UNKNOWN) + "\">unknown</span>";
    }

    /** When a version's rows are unknown: Kiln counts the rows of CSV files as it adds them, and of Parquet files. */
    static final String ROWS_UNKNOWN = "not counted: the version was pulled from a remote without indexes of its tables"
            + " (an older push) or by an older Kiln,"
            + " or it holds no table, or files whose rows Kiln does not count (TSV, JSON…); Kiln counts CSV and Parquet rows";

    /**
     * {@code climate@c5a1b2c3d4e5}, linked to that version's row on the dataset's page; on one line
     * unless the dataset's name is so long that the line would push the page wider than the window.
     */
    private static String versionRef(String base, String project, String dataset, String version) {
        String text = dataset + "@" + Html.shortId(version);
        return "<a" + (text.length() <= 40 ? " class=\"nowrap\"" : "") + " title=\"" + esc(dataset + "@" + version) + "\" href=\""
                + esc(base) + "/datasets/" + esc(url(dataset)) + "?version=" + esc(url(version)) + esc(projectQuery('&', project))
                + "#v-" + esc(url(version)) + "\">" + esc(text) + "</a>";
    }

    private static String timeOf(JsonNode iso) {
        Long ms = StoredSnapshot.millis(iso.asText(null));
        return ms == null ? esc(iso.asText("")) : time(ms);
    }

    /** {@code 4,426}: digits grouped for people. */
    static String number(long n) {
        return String.format(java.util.Locale.ROOT, "%,d", n);
    }

    /** {@code 42 s}, {@code 1 min 30 s}, {@code 2 h 5 min}. */
    static String duration(long ms) {
        long s = Math.max(0, ms) / 1000;
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return s / 60 + " min" + (s % 60 == 0 ? "" : " " + s % 60 + " s");
        }
        long days = s / 86_400;
        long h = s % 86_400 / 3600;
        return (days > 0 ? days + " d " : "") + h + " h" + (s % 3600 / 60 == 0 ? "" : " " + s % 3600 / 60 + " min");
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
}
