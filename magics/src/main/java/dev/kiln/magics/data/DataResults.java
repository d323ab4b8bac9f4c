package dev.kiln.magics.data;

import dev.kiln.magics.core.CanonicalJson;
import dev.kiln.magics.core.Html;
import dev.kiln.magics.core.ProgressText;
import dev.kiln.magics.core.Provenance;
import dev.kiln.magics.core.Provenance.DatasetVersion;
import dev.kiln.magics.core.Result;
import dev.kiln.magics.core.TimeText;
import dev.kiln.magics.data.DataRepository.AddResult;
import dev.kiln.magics.data.DataRepository.DatasetStatus;
import dev.kiln.magics.data.DataRepository.DiffResult;
import dev.kiln.magics.data.DataRepository.History;
import dev.kiln.magics.data.DataRepository.HistoryEntry;
import dev.kiln.magics.data.VersionListing.ListedFile;
import dev.kiln.magics.data.VersionListing.LsResult;
import dev.kiln.magics.data.DataRepository.PullResult;
import dev.kiln.magics.data.DataRepository.PushResult;
import dev.kiln.magics.data.DataRepository.TagResult;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How {@code %data} shows its work: text for a terminal, HTML for a cell, provenance for the output's metadata. */
public final class DataResults {

    /** {@code kiln data add}: the new version, or that the directory is unchanged. */
    public static Result added(AddResult r) {
        String text = r.changed()
                ? "Added " + r.dataset() + "@" + shortId(r.version()) + " (" + ProgressText.count(r.files(), "file") + ", "
                + ProgressText.bytes(r.size()) + ", " + ProgressText.count(r.objectsAdded(), "new object") + ") from " + r.path()
                + (r.parent() == null ? "" : "; parent " + shortId(r.parent())) + ". Run 'kiln data push' to publish it."
                : r.dataset() + "@" + shortId(r.version()) + " is unchanged (" + ProgressText.count(r.files(), "file") + ", "
                + ProgressText.bytes(r.size()) + ").";
        return Result.of(text, table(List.of("dataset", "version", "path", "files", "size", "status"),
                        List.of(List.of(r.dataset(), shortId(r.version()), r.path(), String.valueOf(r.files()),
                                ProgressText.bytes(r.size()), r.changed() ? "new version" : "unchanged"))),
                provenance("add", List.of(new DatasetVersion(r.dataset(), r.version(), r.manifest(), r.path(), null, r.record()))));
    }

    /** {@code kiln data push}: per dataset, what was sent and where {@code latest} is. */
    public static Result pushed(List<PushResult> rs) {
        StringBuilder sb = new StringBuilder();
        List<List<String>> rows = new ArrayList<>();
        List<DatasetVersion> versions = new ArrayList<>();
        for (PushResult r : rs) {
            if (r.versionsSent() == 0) {
                // the remote had the version already: counts of nothing say less than a sentence
                sb.append("Nothing to send: ").append(r.dataset()).append('@').append(shortId(r.version()))
                        .append(" is already on ").append(r.remote())
                        .append(r.note().equals("up to date") ? "" : "; " + r.note());
            } else {
                sb.append("Pushed ").append(r.dataset()).append('@').append(shortId(r.version())).append(" to ")
                        .append(r.remote()).append(": ").append(ProgressText.count(r.objectsSent(), "object")).append(" sent (")
                        .append(ProgressText.bytes(r.bytesSent())).append("), ").append(r.objectsPresent())
                        .append(" already there; ").append(r.note());
            }
            sb.append(r.tag() != null ? "; tagged " + r.tag() : "").append(".\n");
            rows.add(List.of(r.dataset(), shortId(r.version()), String.valueOf(r.objectsSent()),
                    ProgressText.bytes(r.bytesSent()), String.valueOf(r.objectsPresent()), r.note()));
            versions.add(new DatasetVersion(r.dataset(), r.version(), null, null, null, r.record()));
        }
        return Result.of(sb.toString().stripTrailing(),
                table(List.of("dataset", "version", "objects sent", "bytes sent", "already there", "latest"), rows),
                provenance("push", versions));
    }

    /** {@code kiln data pull} ({@code command} "pull") or {@code checkout}: what each version brought into the workspace. */
    public static Result pulled(String command, List<PullResult> rs) {
        StringBuilder sb = new StringBuilder();
        List<List<String>> rows = new ArrayList<>();
        List<DatasetVersion> versions = new ArrayList<>();
        for (PullResult r : rs) {
            sb.append(command.equals("pull") ? "Pulled " : "Checked out ").append(r.dataset()).append('@')
                    .append(shortId(r.version())).append(r.subpath().isEmpty() ? "" : "/" + r.subpath())
                    .append(" into ").append(r.path()).append(": ").append(ProgressText.count(r.files(), "file")).append(" (")
                    .append(ProgressText.bytes(r.size())).append("); ").append(r.objectsFetched()).append(" fetched (")
                    .append(ProgressText.bytes(r.bytesFetched())).append("), ").append(r.filesWritten())
                    .append(" written, ").append(r.filesRemoved()).append(" removed, ").append(r.filesUnchanged())
                    .append(" unchanged.\n");
            rows.add(List.of(r.dataset(), shortId(r.version()), r.path() + (r.subpath().isEmpty() ? "" : "/" + r.subpath()),
                    String.valueOf(r.files()), ProgressText.bytes(r.size()), String.valueOf(r.objectsFetched()),
                    String.valueOf(r.filesWritten()), String.valueOf(r.filesRemoved())));
            versions.add(new DatasetVersion(r.dataset(), r.version(), r.manifest(), r.path(),
                    r.subpath().isEmpty() ? null : r.subpath(), r.record()));
        }
        return Result.of(sb.toString().stripTrailing(),
                table(List.of("dataset", "version", "path", "files", "size", "fetched", "written", "removed"), rows),
                provenance(command, versions));
    }

    /** {@code kiln data status}: workspace, cache and remote, per dataset. */
    public static Result status(List<DatasetStatus> st) {
        if (st.isEmpty()) {
            return Result.ofText("No datasets in kiln.lock. Add one with 'kiln data add PATH'.");
        }
        StringBuilder sb = new StringBuilder();
        List<List<String>> rows = new ArrayList<>();
        List<DatasetVersion> versions = new ArrayList<>();
        // the same state as values, for what reads metadata.kiln (JupyterLab's Kiln panel): no prose to parse
        List<Map<String, Object>> workspace = new ArrayList<>();
        for (DatasetStatus s : st) {
            Map<String, Object> w = new LinkedHashMap<>();
            w.put("dataset", s.dataset());
            w.put("version", s.version());
            w.put("path", s.path());
            w.put("clean", s.clean());
            w.put("modified", s.modified().size());
            w.put("added", s.added().size());
            w.put("missing", s.missing().size());
            w.put("objectsNotCached", s.objectsNotCached());
            workspace.add(w);
            String ws = s.clean() ? "clean" : (s.modified().size() + " modified, " + s.added().size() + " added, "
                    + s.missing().size() + " missing");
            String cache = s.objectsNotCached() == 0 ? "all cached" : ProgressText.count(s.objectsNotCached(), "object") + " not cached";
            sb.append(s.dataset()).append('@').append(shortId(s.version())).append(" (").append(s.path())
                    .append("): workspace ").append(ws).append("; ").append(cache).append("; ")
                    .append(s.remoteState()).append('\n');
            appendFiles(sb, "modified", s.modified());
            appendFiles(sb, "added", s.added());
            appendFiles(sb, "missing", s.missing());
            rows.add(List.of(s.dataset(), shortId(s.version()), s.path(), ws, cache, s.remoteState()));
            versions.add(new DatasetVersion(s.dataset(), s.version(), s.manifest(), s.path(), null, null));
        }
        return Result.of(sb.toString().stripTrailing(),
                table(List.of("dataset", "version", "path", "workspace", "cache", "remote"), rows),
                provenance("status", versions).withReport(Map.of("workspace", workspace)));
    }

    private static void appendFiles(StringBuilder sb, String what, List<String> files) {
        for (int i = 0; i < Math.min(10, files.size()); i++) {
            sb.append("  ").append(what).append(": ").append(files.get(i)).append('\n');
        }
        if (files.size() > 10) {
            sb.append("  … and ").append(files.size() - 10).append(" more ").append(what).append('\n');
        }
    }

    /** {@code kiln data version}: the history, the pinned version marked. */
    public static Result history(String dataset, History h) {
        StringBuilder sb = new StringBuilder();
        List<List<String>> rows = new ArrayList<>();
        for (HistoryEntry e : h.versions()) {
            var v = e.record();
            String tags = String.join(",", e.tags());
            sb.append(e.pinned() ? "* " : "  ").append(shortId(e.id())).append(' ')
                    .append(String.format("%-12s", tags)).append(' ').append(TimeText.of(v.time())).append(' ')
                    .append(v.author()).append(' ').append(ProgressText.bytes(v.size())).append(' ')
                    .append(ProgressText.count(v.files(), "file")).append("  ").append(v.message()).append('\n');
            rows.add(List.of((e.pinned() ? "* " : "") + shortId(e.id()), tags, TimeText.of(v.time()), v.author(),
                    ProgressText.bytes(v.size()), String.valueOf(v.files()), v.message()));
        }
        String pinned = h.versions().stream().filter(HistoryEntry::pinned).map(HistoryEntry::id).findFirst().orElse(null);
        return Result.of(sb.toString().stripTrailing(),
                table(List.of("id", "tags", "time", "author", "size", "files", "message"), rows),
                provenance("version", pinned == null ? List.of() : List.of(DatasetVersion.of(dataset, pinned))));
    }

    /** {@code kiln data diff}: files added, removed and changed, with CSV and Parquet detail. */
    public static Result diff(DiffResult d) {
        StringBuilder sb = new StringBuilder(d.from() + " → " + d.to() + ": ");
        long add = d.changes().stream().filter(c -> c.kind().equals("added")).count();
        long rem = d.changes().stream().filter(c -> c.kind().equals("removed")).count();
        long chg = d.changes().size() - add - rem;
        sb.append(add).append(" added, ").append(rem).append(" removed, ").append(chg).append(" changed (+")
                .append(ProgressText.bytes(d.bytesAdded())).append(", -").append(ProgressText.bytes(d.bytesRemoved()))
                .append(")\n");
        List<List<String>> rows = new ArrayList<>();
        for (var c : d.changes()) {
            String sizes = (c.sizeBefore() < 0 ? "" : ProgressText.bytes(c.sizeBefore())) + " → "
                    + (c.sizeAfter() < 0 ? "" : ProgressText.bytes(c.sizeAfter()));
            sb.append(switch (c.kind()) { case "added" -> "  + "; case "removed" -> "  - "; default -> "  ~ "; })
                    .append(c.path()).append("  ").append(sizes)
                    .append(c.detail() == null ? "" : "  " + c.detail()).append('\n');
            rows.add(List.of(c.kind(), c.path(), sizes, c.detail() == null ? "" : c.detail()));
        }
        return Result.of(sb.toString().stripTrailing(), table(List.of("change", "path", "size", "CSV"), rows),
                provenance("diff", List.of()));
    }

    /** {@code kiln data ls}: a version's files, with rows and columns of its tables. */
    public static Result listing(LsResult l) {
        String where = l.dataset() + "@" + shortId(l.version()) + (l.subpath().isEmpty() ? "" : "/" + l.subpath());
        StringBuilder sb = new StringBuilder(where + ": " + ProgressText.count(l.files().size(), "file") + ", "
                + ProgressText.bytes(l.size()) + "\n");
        int width = Math.min(60, l.files().stream().mapToInt(f -> f.path().length()).max().orElse(4));
        List<List<String>> rows = new ArrayList<>();
        for (ListedFile f : l.files()) {
            String rowCount = f.rows() == null ? "" : String.valueOf(f.rows());
            String cols = columnText(f.columns());
            sb.append("  ").append(String.format("%-" + width + "s", f.path())).append("  ")
                    .append(String.format("%9s", ProgressText.bytes(f.size()))).append("  ").append(shortId(f.sha256()))
                    .append(f.rows() == null ? "" : "  " + ProgressText.count(f.rows(), "row"))
                    .append(cols.isEmpty() ? "" : "  " + cols).append('\n');
            rows.add(List.of(f.path(), ProgressText.bytes(f.size()), shortId(f.sha256()), rowCount, cols));
        }
        return Result.of(sb.toString().stripTrailing(), table(List.of("path", "size", "sha256", "rows", "columns"), rows),
                provenance("ls", List.of(DatasetVersion.of(l.dataset(), l.version()))));
    }

    /** {@code kiln data ls --json}: the same as JSON for scripts (sizes in bytes, full hashes, nulls where unknown). */
    public static Result listingJson(LsResult l) {
        Result shown = listing(l);
        return Result.of(CanonicalJson.DATA.pretty(l), shown.html(), shown.provenance());
    }

    private static String columnText(List<ObjectIndex.Column> columns) {
        if (columns == null) {
            return "";
        }
        List<String> out = new ArrayList<>();
        for (ObjectIndex.Column c : columns) {
            out.add(c.type() == null ? c.name() : c.name() + " " + c.type());
        }
        return String.join(", ", out);
    }

    /** {@code kiln data tag}. */
    public static Result tagged(TagResult t) {
        String text = "Tagged " + t.dataset() + "@" + shortId(t.version()) + " as " + t.tag() + " on " + t.remote()
                + (t.previous() != null && !t.previous().equals(t.version()) ? " (was " + shortId(t.previous()) + ")" : "") + ".";
        return Result.of(text, "<p>" + Html.escape(text) + "</p>",
                provenance("tag", List.of(new DatasetVersion(t.dataset(), t.version(), null, null, null, t.record()))));
    }

    /** {@code kiln data remote add}. */
    public static Result remoteAdded(DataRepository.RemoteAdded added) {
        RemoteConfig r = added.remote();
        String where = r.url() + (r.endpoint() != null ? " at " + r.endpoint() : "") + (added.isDefault() ? " (default)" : "");
        String text = added.unchanged()
                ? "Remote '" + r.name() + "' is already " + where + ": kiln.yaml unchanged."
                : "Remote '" + r.name() + "' → " + where + ". Saved in kiln.yaml.";
        return Result.of(text, "<p>" + Html.escape(text) + "</p>", Provenance.NONE);
    }

    /** {@code kiln data remote list}: the default one marked. */
    public static Result remotes(Collection<RemoteConfig> remotes, String defaultName) {
        StringBuilder sb = new StringBuilder();
        List<List<String>> rows = new ArrayList<>();
        for (RemoteConfig r : remotes) {
            boolean def = r.name().equals(defaultName);
            sb.append(def ? "* " : "  ").append(r.name()).append("  ").append(r.url())
                    .append(r.endpoint() != null ? "  endpoint " + r.endpoint() : "")
                    .append(r.region() != null ? "  region " + r.region() : "")
                    .append(r.profile() != null ? "  profile " + r.profile() : "").append('\n');
            rows.add(List.of((def ? "* " : "") + r.name(), r.url(), r.endpoint() == null ? "" : r.endpoint(),
                    r.region() == null ? "" : r.region(), r.profile() == null ? "" : r.profile()));
        }
        if (rows.isEmpty()) {
            return Result.ofText("No remotes. Add one with 'kiln data remote add NAME s3://BUCKET/PREFIX'.");
        }
        return Result.of(sb.toString().stripTrailing(),
                table(List.of("name", "url", "endpoint", "region", "profile"), rows), Provenance.NONE);
    }

    static String shortId(String id) {
        return id == null ? "-" : id.substring(0, Math.min(12, id.length()));
    }

    private static Provenance provenance(String verb, List<DatasetVersion> versions) {
        return Provenance.of("data " + verb).withDatasets(versions);
    }

    private static String table(List<String> header, List<List<String>> rows) {
        StringBuilder sb = new StringBuilder("<table class=\"kiln-data\"><thead><tr>");
        for (String h : header) {
            sb.append("<th>").append(Html.escape(h)).append("</th>");
        }
        sb.append("</tr></thead><tbody>");
        for (List<String> r : rows) {
            sb.append("<tr>");
            for (String c : r) {
                sb.append("<td>").append(Html.escape(c)).append("</td>");
            }
            sb.append("</tr>");
        }
        return sb.append("</tbody></table>").toString();
    }

    private DataResults() {
    }
}
