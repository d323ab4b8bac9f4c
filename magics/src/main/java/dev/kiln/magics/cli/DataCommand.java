package dev.kiln.magics.cli;

import dev.kiln.magics.core.Html;
import dev.kiln.magics.core.ProgressText;
import dev.kiln.magics.core.Result;
import dev.kiln.magics.core.Session;
import dev.kiln.magics.core.UserError;
import dev.kiln.magics.data.DataRepository;
import dev.kiln.magics.data.DataRepository.DatasetStatus;
import dev.kiln.magics.data.DataRepository.PullResult;
import dev.kiln.magics.data.DataRepository.PushResult;
import dev.kiln.magics.data.RemoteConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kiln data …} / {@code %data …}: datasets versioned by content in S3 or a directory. */
@Command(name = "data", mixinStandardHelpOptions = true,
        description = {"Version datasets by content (SHA-256) in an S3 bucket or a directory, and pin the",
                "versions this project uses in kiln.lock."},
        subcommands = {DataCommand.Add.class, DataCommand.Push.class, DataCommand.Pull.class,
                DataCommand.Checkout.class, DataCommand.Status.class, DataCommand.Version.class,
                DataCommand.Diff.class, DataCommand.Tag.class, DataCommand.RemoteCmd.class},
        footer = {"", "Versions are written NAME@TAG, NAME@ID (a prefix of 4+ hex digits will do) or NAME@latest;",
                "NAME/SUBPATH takes part of a dataset."})
public final class DataCommand implements Callable<Result> {

    @Spec
    CommandSpec spec;

    @Override
    public Result call() {
        return Result.ofText(spec.commandLine().getUsageMessage(picocli.CommandLine.Help.Ansi.OFF));
    }

    /** Options every transfer takes. */
    static final class Common {
        @Option(names = {"-r", "--remote"}, paramLabel = "NAME", description = "Remote to use (default: the project's default remote).")
        String remote;

        @Option(names = {"-j", "--jobs"}, paramLabel = "N", defaultValue = "16",
                description = "Files to transfer in parallel (default: ${DEFAULT-VALUE}).")
        int jobs;

        @Option(names = "--copy", description = "Copy files out of the cache instead of hard-linking them.")
        boolean copy;

        DataRepository open(Session session) {
            if (jobs < 1) {
                throw new UserError("--jobs must be at least 1, not " + jobs + ".");
            }
            return DataRepository.open(session.projectDir(), session.env(), session.progress(), jobs).linkFromCache(!copy);
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Record a directory's content as a new version of a dataset and pin it in kiln.lock.")
    static final class Add implements Callable<Result> {
        private final Session session;
        @Parameters(paramLabel = "PATH", description = "Directory inside the project.")
        String path;
        @Option(names = {"-n", "--name"}, description = "Dataset name (default: the directory's name).")
        String name;
        @Option(names = {"-m", "--message"}, description = "What changed, kept with the version.")
        String message;
        @Mixin
        Common common;

        Add(Session session) {
            this.session = session;
        }

        @Override
        public Result call() {
            try (DataRepository repo = common.open(session)) {
                var r = repo.add(path, name, message);
                String text = r.changed()
                        ? "Added " + r.dataset() + "@" + shortId(r.version()) + " (" + r.files() + " files, "
                        + ProgressText.bytes(r.size()) + ", " + r.objectsAdded() + " new objects) from " + r.path()
                        + (r.parent() == null ? "" : "; parent " + shortId(r.parent())) + ". Run 'kiln data push' to publish it."
                        : r.dataset() + "@" + shortId(r.version()) + " is unchanged (" + r.files() + " files, "
                        + ProgressText.bytes(r.size()) + ").";
                return Result.of(text, table(List.of("dataset", "version", "path", "files", "size", "status"),
                        List.of(List.of(r.dataset(), shortId(r.version()), r.path(), String.valueOf(r.files()),
                                ProgressText.bytes(r.size()), r.changed() ? "new version" : "unchanged"))),
                        provenance("add", List.of(ds(r.dataset(), r.version(), r.manifest(), r.path()))));
            }
        }
    }

    @Command(name = "push", mixinStandardHelpOptions = true,
            description = "Upload pinned versions (objects the remote lacks, manifests, version records) and move 'latest'.")
    static final class Push implements Callable<Result> {
        private final Session session;
        @Parameters(paramLabel = "NAME", arity = "0..*", description = "Datasets to push (default: all in kiln.lock).")
        List<String> names = new ArrayList<>();
        @Option(names = {"-t", "--tag"}, description = "Also tag the pushed version (one dataset only).")
        String tag;
        @Mixin
        Common common;

        Push(Session session) {
            this.session = session;
        }

        @Override
        public Result call() {
            try (DataRepository repo = common.open(session)) {
                List<PushResult> rs = repo.push(names, common.remote, tag);
                StringBuilder sb = new StringBuilder();
                List<List<String>> rows = new ArrayList<>();
                List<Map<String, Object>> prov = new ArrayList<>();
                for (PushResult r : rs) {
                    sb.append("Pushed ").append(r.dataset()).append('@').append(shortId(r.version())).append(" to ")
                            .append(r.remote()).append(": ").append(r.objectsSent()).append(" objects sent (")
                            .append(ProgressText.bytes(r.bytesSent())).append("), ").append(r.objectsPresent())
                            .append(" already there; ").append(r.note())
                            .append(r.tag() != null ? "; tagged " + r.tag() : "").append(".\n");
                    rows.add(List.of(r.dataset(), shortId(r.version()), String.valueOf(r.objectsSent()),
                            ProgressText.bytes(r.bytesSent()), String.valueOf(r.objectsPresent()), r.note()));
                    prov.add(ds(r.dataset(), r.version(), null, null));
                }
                return Result.of(sb.toString().stripTrailing(),
                        table(List.of("dataset", "version", "objects sent", "bytes sent", "already there", "latest"), rows),
                        provenance("push", prov));
            }
        }
    }

    static Result pulled(String command, List<PullResult> rs) {
        StringBuilder sb = new StringBuilder();
        List<List<String>> rows = new ArrayList<>();
        List<Map<String, Object>> prov = new ArrayList<>();
        for (PullResult r : rs) {
            sb.append(command.equals("pull") ? "Pulled " : "Checked out ").append(r.dataset()).append('@')
                    .append(shortId(r.version())).append(r.subpath().isEmpty() ? "" : "/" + r.subpath())
                    .append(" into ").append(r.path()).append(": ").append(r.files()).append(" files (")
                    .append(ProgressText.bytes(r.size())).append("); ").append(r.objectsFetched()).append(" fetched (")
                    .append(ProgressText.bytes(r.bytesFetched())).append("), ").append(r.filesWritten())
                    .append(" written, ").append(r.filesRemoved()).append(" removed, ").append(r.filesUnchanged())
                    .append(" unchanged.\n");
            rows.add(List.of(r.dataset(), shortId(r.version()), r.path() + (r.subpath().isEmpty() ? "" : "/" + r.subpath()),
                    String.valueOf(r.files()), ProgressText.bytes(r.size()), String.valueOf(r.objectsFetched()),
                    String.valueOf(r.filesWritten()), String.valueOf(r.filesRemoved())));
            Map<String, Object> d = ds(r.dataset(), r.version(), r.manifest(), r.path());
            if (!r.subpath().isEmpty()) {
                d.put("subpath", r.subpath());
            }
            prov.add(d);
        }
        return Result.of(sb.toString().stripTrailing(),
                table(List.of("dataset", "version", "path", "files", "size", "fetched", "written", "removed"), rows),
                provenance(command, prov));
    }

    @Command(name = "pull", mixinStandardHelpOptions = true,
            description = {"Fetch what the cache lacks, verify every object and materialize the version;",
                    "without NAME, every dataset at the version kiln.lock pins."})
    static final class Pull implements Callable<Result> {
        private final Session session;
        @Parameters(paramLabel = "NAME[@VERSION][/SUBPATH]", arity = "0..*", description = "What to pull.")
        List<String> specs = new ArrayList<>();
        @Option(names = {"-f", "--force"}, description = "Overwrite local changes to the dataset's files.")
        boolean force;
        @Option(names = "--to", paramLabel = "PATH", description = "Where a dataset new to this project goes (default: data/NAME).")
        String to;
        @Option(names = "--notebook",
                description = "Pull the exact versions this notebook's saved outputs used (the notebook Jupyter names in JPY_SESSION_NAME).")
        boolean notebook;
        @Mixin
        Common common;

        Pull(Session session) {
            this.session = session;
        }

        @Override
        public Result call() {
            try (DataRepository repo = common.open(session)) {
                List<PullResult> rs = new ArrayList<>();
                if (notebook) {
                    if (!specs.isEmpty() || to != null) {
                        throw new UserError("--notebook pulls what the notebook recorded: give no NAME and no --to with it.");
                    }
                    java.nio.file.Path nb = dev.kiln.magics.share.SessionNotebook.of(session);
                    var used = dev.kiln.magics.share.SessionNotebook.recordedDatasets(nb);
                    if (used.isEmpty()) {
                        throw new UserError("The saved notebook " + nb.getFileName() + " records no dataset pulls: none of its outputs "
                                + "has metadata.kiln.data. Run its %data pull cells and save it, or pull by name.");
                    }
                    for (var d : used) {
                        rs.add(repo.pull(d.spec() + (d.subpath() == null ? "" : "/" + d.subpath()), common.remote, force, d.path()));
                    }
                    return pulled("pull", rs);
                }
                if (specs.isEmpty()) {
                    rs.addAll(repo.pullAll(common.remote, force));
                }
                for (String s : specs) {
                    rs.add(repo.pull(s, common.remote, force, to));
                }
                return pulled("pull", rs);
            }
        }
    }

    @Command(name = "checkout", mixinStandardHelpOptions = true,
            description = {"Switch the workspace to another version of a dataset (from the cache, fetching",
                    "only what it lacks) and pin it in kiln.lock."})
    static final class Checkout implements Callable<Result> {
        private final Session session;
        @Parameters(paramLabel = "NAME@VERSION[/SUBPATH]", arity = "1..*", description = "The versions to check out.")
        List<String> specs = new ArrayList<>();
        @Option(names = {"-f", "--force"}, description = "Overwrite local changes to the dataset's files.")
        boolean force;
        @Mixin
        Common common;

        Checkout(Session session) {
            this.session = session;
        }

        @Override
        public Result call() {
            try (DataRepository repo = common.open(session)) {
                List<PullResult> rs = new ArrayList<>();
                for (String s : specs) {
                    rs.add(repo.pull(s, common.remote, force, null));
                }
                return pulled("checkout", rs);
            }
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Compare the workspace with kiln.lock, the cache and the remote.")
    static final class Status implements Callable<Result> {
        private final Session session;
        @Parameters(paramLabel = "NAME", arity = "0..*", description = "Datasets (default: all in kiln.lock).")
        List<String> names = new ArrayList<>();
        @Option(names = "--offline", description = "Do not ask the remote.")
        boolean offline;
        @Mixin
        Common common;

        Status(Session session) {
            this.session = session;
        }

        @Override
        public Result call() {
            try (DataRepository repo = common.open(session)) {
                List<DatasetStatus> st = repo.status(names, common.remote, offline);
                if (st.isEmpty()) {
                    return Result.ofText("No datasets in kiln.lock. Add one with 'kiln data add PATH'.");
                }
                StringBuilder sb = new StringBuilder();
                List<List<String>> rows = new ArrayList<>();
                List<Map<String, Object>> prov = new ArrayList<>();
                for (DatasetStatus s : st) {
                    String ws = s.clean() ? "clean" : (s.modified().size() + " modified, " + s.added().size() + " added, "
                            + s.missing().size() + " missing");
                    String cache = s.objectsNotCached() == 0 ? "all cached" : s.objectsNotCached() + " objects not cached";
                    sb.append(s.dataset()).append('@').append(shortId(s.version())).append(" (").append(s.path())
                            .append("): workspace ").append(ws).append("; ").append(cache).append("; ")
                            .append(s.remoteState()).append('\n');
                    appendFiles(sb, "modified", s.modified());
                    appendFiles(sb, "added", s.added());
                    appendFiles(sb, "missing", s.missing());
                    rows.add(List.of(s.dataset(), shortId(s.version()), s.path(), ws, cache, s.remoteState()));
                    prov.add(ds(s.dataset(), s.version(), s.manifest(), s.path()));
                }
                return Result.of(sb.toString().stripTrailing(),
                        table(List.of("dataset", "version", "path", "workspace", "cache", "remote"), rows),
                        provenance("status", prov));
            }
        }

        private static void appendFiles(StringBuilder sb, String what, List<String> files) {
            for (int i = 0; i < Math.min(10, files.size()); i++) {
                sb.append("  ").append(what).append(": ").append(files.get(i)).append('\n');
            }
            if (files.size() > 10) {
                sb.append("  … and ").append(files.size() - 10).append(" more ").append(what).append('\n');
            }
        }
    }

    @Command(name = "version", aliases = "log", mixinStandardHelpOptions = true,
            description = {"A dataset's history: id, tags, time, author, size, files, message; from the newest",
                    "version back, or from the one named (NAME@latest: the remote's newest, even when yours is not its ancestor)."})
    static final class Version implements Callable<Result> {
        private final Session session;
        @Parameters(paramLabel = "NAME[@VERSION]", description = "The dataset, and the version to start from.")
        String name;
        @Option(names = {"-n", "--limit"}, defaultValue = "50", description = "At most this many versions (default: ${DEFAULT-VALUE}).")
        int limit;
        @Mixin
        Common common;

        Version(Session session) {
            this.session = session;
        }

        @Override
        public Result call() {
            try (DataRepository repo = common.open(session)) {
                int at = name.indexOf('@');
                String dataset = at < 0 ? name : name.substring(0, at);
                var h = repo.history(dataset, at < 0 ? null : name.substring(at + 1), common.remote, limit);
                StringBuilder sb = new StringBuilder();
                List<List<String>> rows = new ArrayList<>();
                for (var e : h.versions()) {
                    var v = e.record();
                    String tags = String.join(",", e.tags());
                    sb.append(e.pinned() ? "* " : "  ").append(shortId(e.id())).append(' ')
                            .append(String.format("%-12s", tags)).append(' ').append(v.time()).append(' ')
                            .append(v.author()).append(' ').append(ProgressText.bytes(v.size())).append(' ')
                            .append(v.files()).append(" files  ").append(v.message()).append('\n');
                    rows.add(List.of((e.pinned() ? "* " : "") + shortId(e.id()), tags, v.time(), v.author(),
                            ProgressText.bytes(v.size()), String.valueOf(v.files()), v.message()));
                }
                String pinned = h.versions().stream().filter(DataRepository.HistoryEntry::pinned).map(DataRepository.HistoryEntry::id)
                        .findFirst().orElse(null);
                List<Map<String, Object>> prov = pinned == null ? List.of() : List.of(ds(dataset, pinned, null, null));
                return Result.of(sb.toString().stripTrailing(),
                        table(List.of("id", "tags", "time", "author", "size", "files", "message"), rows),
                        provenance("version", prov));
            }
        }
    }

    @Command(name = "diff", mixinStandardHelpOptions = true,
            description = {"Files added, removed and changed between two versions (rows and columns for CSV, rows and typed columns for Parquet);",
                    "with one version, between it and the workspace."})
    static final class Diff implements Callable<Result> {
        private final Session session;
        @Parameters(index = "0", paramLabel = "NAME@A", description = "The older version.")
        String from;
        @Parameters(index = "1", arity = "0..1", paramLabel = "NAME@B", description = "The newer version (default: the workspace).")
        String to;
        @Mixin
        Common common;

        Diff(Session session) {
            this.session = session;
        }

        @Override
        public Result call() {
            try (DataRepository repo = common.open(session)) {
                var d = repo.diff(from, to, common.remote);
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
        }
    }

    @Command(name = "tag", mixinStandardHelpOptions = true,
            description = "Name a pushed version on the remote (e.g. v4). Tags do not move unless --force.")
    static final class Tag implements Callable<Result> {
        private final Session session;
        @Parameters(index = "0", paramLabel = "NAME[@VERSION]", description = "The dataset, and the version to tag (default: the pinned one).")
        String name;
        @Parameters(index = "1", paramLabel = "TAG", description = "The tag.")
        String tag;
        @Option(names = {"-f", "--force"}, description = "Move the tag if it names another version.")
        boolean force;
        @Mixin
        Common common;

        Tag(Session session) {
            this.session = session;
        }

        @Override
        public Result call() {
            try (DataRepository repo = common.open(session)) {
                int at = name.indexOf('@');
                String dataset = at < 0 ? name : name.substring(0, at);
                var t = repo.tag(dataset, tag, at < 0 ? null : name.substring(at + 1), force, common.remote);
                String text = "Tagged " + t.dataset() + "@" + shortId(t.version()) + " as " + t.tag() + " on " + t.remote()
                        + (t.previous() != null && !t.previous().equals(t.version()) ? " (was " + shortId(t.previous()) + ")" : "") + ".";
                return Result.of(text, "<p>" + Html.escape(text) + "</p>", provenance("tag", List.of(ds(dataset, t.version(), null, null))));
            }
        }
    }

    @Command(name = "remote", mixinStandardHelpOptions = true, description = "Configure remotes (kept in kiln.yaml).",
            subcommands = {RemoteAdd.class, RemoteList.class})
    static final class RemoteCmd implements Callable<Result> {
        @Spec
        CommandSpec spec;

        @Override
        public Result call() {
            return Result.ofText(spec.commandLine().getUsageMessage(picocli.CommandLine.Help.Ansi.OFF));
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Add a remote: s3://BUCKET/PREFIX (AWS or S3-compatible) or a directory.")
    static final class RemoteAdd implements Callable<Result> {
        private final Session session;
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Parameters(index = "1", paramLabel = "URL", description = "s3://BUCKET/PREFIX, or a directory path.")
        String url;
        @Option(names = "--endpoint", description = "S3 endpoint of an S3-compatible server, e.g. http://127.0.0.1:9000.")
        String endpoint;
        @Option(names = "--region", description = "S3 region (default: AWS_REGION, or us-east-1).")
        String region;
        @Option(names = "--profile", description = "AWS profile for credentials (default: the standard chain).")
        String profile;
        @Option(names = "--path-style", negatable = true,
                description = "Path-style addressing (default: on when --endpoint is given).")
        Boolean pathStyle;
        @Option(names = {"-d", "--default"}, description = "Make it the default remote (the first one is).")
        boolean makeDefault;
        @Option(names = {"-f", "--force"}, description = "Replace a remote of the same name.")
        boolean force;

        RemoteAdd(Session session) {
            this.session = session;
        }

        @Override
        public Result call() {
            try (DataRepository repo = DataRepository.open(session.projectDir(), session.env())) {
                repo.addRemote(new RemoteConfig(name, url, endpoint, region, profile, pathStyle), makeDefault, force);
                String text = "Remote '" + name + "' → " + url + (endpoint != null ? " at " + endpoint : "")
                        + (name.equals(repo.defaultRemoteName()) ? " (default)" : "") + ". Saved in kiln.yaml.";
                return Result.of(text, "<p>" + Html.escape(text) + "</p>", Map.of());
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the remotes.")
    static final class RemoteList implements Callable<Result> {
        private final Session session;

        RemoteList(Session session) {
            this.session = session;
        }

        @Override
        public Result call() {
            try (DataRepository repo = DataRepository.open(session.projectDir(), session.env())) {
                StringBuilder sb = new StringBuilder();
                List<List<String>> rows = new ArrayList<>();
                for (RemoteConfig r : repo.remoteConfigs().values()) {
                    boolean def = r.name().equals(repo.defaultRemoteName());
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
                        table(List.of("name", "url", "endpoint", "region", "profile"), rows), Map.of());
            }
        }
    }

    // ---------------------------------------------------------------- rendering

    static String shortId(String id) {
        return id == null ? "-" : id.substring(0, Math.min(12, id.length()));
    }

    static Map<String, Object> ds(String dataset, String version, String manifest, String path) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dataset", dataset);
        m.put("version", version);
        if (manifest != null) {
            m.put("manifest", manifest);
        }
        if (path != null) {
            m.put("path", path);
        }
        return m;
    }

    static Map<String, Object> provenance(String command, List<Map<String, Object>> datasets) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("command", "data " + command);
        data.put("datasets", datasets);
        return Map.of("data", data);
    }

    static String table(List<String> header, List<List<String>> rows) {
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

}
