package dev.kiln.magics.cli;

import dev.kiln.magics.core.Result;
import dev.kiln.magics.core.Session;
import dev.kiln.magics.core.UserError;
import dev.kiln.magics.data.DataRepository;
import dev.kiln.magics.data.DataRepository.PullResult;
import dev.kiln.magics.data.DataResults;
import dev.kiln.magics.data.GarbageCollector;
import dev.kiln.magics.data.RemoteConfig;
import dev.kiln.magics.data.remote.RemoteAccessCheck;
import dev.kiln.magics.share.SessionNotebook;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code kiln data …} / {@code %data …}: datasets versioned by content in S3 or a directory. */
@Command(name = "data", mixinStandardHelpOptions = true,
        description = "Version datasets by content (SHA-256) in an S3 bucket or a directory, and pin the versions this project uses in kiln.lock.",
        subcommands = {DataCommand.Add.class, DataCommand.Push.class, DataCommand.Pull.class,
                DataCommand.Checkout.class, DataCommand.Status.class, DataCommand.Version.class,
                DataCommand.Diff.class, DataCommand.Ls.class, DataCommand.Tag.class, DataCommand.RemoteCmd.class, DataCommand.Gc.class,
                DataCommand.Import.class},
        footer = {"", "Versions are written NAME@TAG, NAME@ID (a prefix of 4+ hex digits will do) or NAME@latest; "
                + "NAME/SUBPATH takes part of a dataset."})
public final class DataCommand implements Callable<Result> {

    /** The session every subcommand runs in: they reach it through {@code @ParentCommand}. */
    private final Session session;

    @Spec
    CommandSpec spec;

    public DataCommand(Session session) {
        this.session = session;
    }

    @Override
    public Result call() {
        return Result.ofText(spec.commandLine().getUsageMessage(picocli.CommandLine.Help.Ansi.OFF));
    }

    /** The project, opened with the options every transfer takes. */
    DataRepository open(Common common) {
        if (common.jobs < 1) {
            throw new UserError("--jobs must be at least 1, not " + common.jobs + ".");
        }
        return DataRepository.open(session.projectDir(), session.env(), session.progress(), common.jobs).linkFromCache(!common.copy);
    }

    /** The project, for configuring it (remotes). */
    DataRepository open() {
        return DataRepository.open(session.projectDir(), session.env());
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
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Record a directory's content as a new version of a dataset and pin it in kiln.lock.")
    static final class Add implements Callable<Result> {
        @ParentCommand
        DataCommand data;
        @Parameters(paramLabel = "PATH", description = "Directory inside the project.")
        String path;
        @Option(names = {"-n", "--name"}, description = "Dataset name (default: the directory's name).")
        String name;
        @Option(names = {"-m", "--message"}, description = "What changed, kept with the version.")
        String message;
        @Mixin
        Common common;

        @Override
        public Result call() {
            try (DataRepository repo = data.open(common)) {
                return DataResults.added(repo.add(path, name, message));
            }
        }
    }

    @Command(name = "push", mixinStandardHelpOptions = true,
            description = "Upload pinned versions (objects the remote lacks, manifests, version records) and move 'latest'.")
    static final class Push implements Callable<Result> {
        @ParentCommand
        DataCommand data;
        @Parameters(paramLabel = "NAME", arity = "0..*", description = "Datasets to push (default: all in kiln.lock).")
        List<String> names = new ArrayList<>();
        @Option(names = {"-t", "--tag"}, description = "Also tag the pushed version (one dataset only).")
        String tag;
        @Mixin
        Common common;

        @Override
        public Result call() {
            try (DataRepository repo = data.open(common)) {
                return DataResults.pushed(repo.push(names, common.remote, tag));
            }
        }
    }

    @Command(name = "pull", mixinStandardHelpOptions = true,
            description = {"Fetch a version, verify every object and put it in the workspace.",
                    "What the cache holds is not fetched again. Without NAME: every dataset at the version kiln.lock pins."})
    static final class Pull implements Callable<Result> {
        @ParentCommand
        DataCommand data;
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

        @Override
        public Result call() {
            try (DataRepository repo = data.open(common)) {
                List<PullResult> rs = new ArrayList<>();
                if (notebook) {
                    if (!specs.isEmpty() || to != null) {
                        throw new UserError("--notebook pulls what the notebook recorded: give no NAME and no --to with it.");
                    }
                    java.nio.file.Path nb = SessionNotebook.of(data.session);
                    var used = SessionNotebook.recordedDatasets(nb);
                    if (used.isEmpty()) {
                        throw new UserError("The saved notebook " + nb.getFileName() + " records no dataset pulls: none of its outputs "
                                + "has metadata.kiln.data. Run its %data pull cells and save it, or pull by name.");
                    }
                    for (var d : used) {
                        rs.add(repo.pull(d.spec() + (d.subpath() == null ? "" : "/" + d.subpath()), common.remote, force, d.path()));
                    }
                    return DataResults.pulled("pull", rs);
                }
                if (specs.isEmpty()) {
                    rs.addAll(repo.pullAll(common.remote, force));
                }
                for (String s : specs) {
                    rs.add(repo.pull(s, common.remote, force, to));
                }
                return DataResults.pulled("pull", rs);
            }
        }
    }

    @Command(name = "checkout", mixinStandardHelpOptions = true,
            description = {"Switch the workspace to another version of a dataset and pin it in kiln.lock.",
                    "Files come from the cache; only what it lacks is fetched."})
    static final class Checkout implements Callable<Result> {
        @ParentCommand
        DataCommand data;
        @Parameters(paramLabel = "NAME@VERSION[/SUBPATH]", arity = "1..*", description = "The versions to check out.")
        List<String> specs = new ArrayList<>();
        @Option(names = {"-f", "--force"}, description = "Overwrite local changes to the dataset's files.")
        boolean force;
        @Mixin
        Common common;

        @Override
        public Result call() {
            try (DataRepository repo = data.open(common)) {
                List<PullResult> rs = new ArrayList<>();
                for (String s : specs) {
                    rs.add(repo.checkout(s, common.remote, force));
                }
                return DataResults.pulled("checkout", rs);
            }
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Compare the workspace with kiln.lock, the cache and the remote.")
    static final class Status implements Callable<Result> {
        @ParentCommand
        DataCommand data;
        @Parameters(paramLabel = "NAME", arity = "0..*", description = "Datasets (default: all in kiln.lock).")
        List<String> names = new ArrayList<>();
        @Option(names = "--offline", description = "Do not ask the remote.")
        boolean offline;
        @Mixin
        Common common;

        @Override
        public Result call() {
            try (DataRepository repo = data.open(common)) {
                return DataResults.status(repo.status(names, common.remote, offline));
            }
        }
    }

    @Command(name = "version", aliases = "log", mixinStandardHelpOptions = true,
            description = {"List a dataset's versions: id, tags, time, author, size, files and message.",
                    "From the newest version back, or from the one named (NAME@latest: the remote's newest, even when yours is not its ancestor)."})
    static final class Version implements Callable<Result> {
        @ParentCommand
        DataCommand data;
        @Parameters(paramLabel = "NAME[@VERSION]", description = "The dataset, and the version to start from.")
        String name;
        @Option(names = {"-n", "--limit"}, defaultValue = "50", description = "At most this many versions (default: ${DEFAULT-VALUE}).")
        int limit;
        @Mixin
        Common common;

        @Override
        public Result call() {
            try (DataRepository repo = data.open(common)) {
                int at = name.indexOf('@');
                String dataset = at < 0 ? name : name.substring(0, at);
                return DataResults.history(dataset, repo.history(dataset, at < 0 ? null : name.substring(at + 1), common.remote, limit));
            }
        }
    }

    @Command(name = "ls", mixinStandardHelpOptions = true,
            description = {"List a version's files with size and SHA-256, and rows and columns of its CSV and Parquet files.",
                    "Nothing is pulled: the listing comes from the version's manifest and what push recorded of each file."})
    static final class Ls implements Callable<Result> {
        @ParentCommand
        DataCommand data;
        @Parameters(index = "0", paramLabel = "NAME[@VERSION]", description = "The version (default: the one kiln.lock pins, else latest).")
        String version;
        @Parameters(index = "1", arity = "0..1", paramLabel = "PATH", description = "A file or directory inside it (default: all of it).")
        String path;
        @Option(names = "--json", description = "Print the listing as JSON (sizes in bytes, full hashes) for scripts.")
        boolean json;
        @Option(names = {"-r", "--remote"}, paramLabel = "NAME", description = "Remote to use (default: the project's default remote).")
        String remote;

        @Override
        public Result call() {
            try (DataRepository repo = data.open()) {
                String spec = path == null || path.isBlank() ? version : version + "/" + path.replaceFirst("^/+", "");
                var listing = repo.ls(spec, remote);
                return json ? DataResults.listingJson(listing) : DataResults.listing(listing);
            }
        }
    }

    @Command(name = "diff", mixinStandardHelpOptions = true,
            description = {"Show the files added, removed and changed between two versions.",
                    "Rows and columns for CSV, rows and typed columns for Parquet. With one version: between it and the workspace."})
    static final class Diff implements Callable<Result> {
        @ParentCommand
        DataCommand data;
        @Parameters(index = "0", paramLabel = "NAME@A", description = "The older version.")
        String from;
        @Parameters(index = "1", arity = "0..1", paramLabel = "NAME@B", description = "The newer version (default: the workspace).")
        String to;
        @Mixin
        Common common;

        @Override
        public Result call() {
            try (DataRepository repo = data.open(common)) {
                return DataResults.diff(repo.diff(from, to, common.remote));
            }
        }
    }

    @Command(name = "tag", mixinStandardHelpOptions = true,
            description = "Name a pushed version on the remote (e.g. v4). Tags do not move unless --force.")
    static final class Tag implements Callable<Result> {
        @ParentCommand
        DataCommand data;
        @Parameters(index = "0", paramLabel = "NAME[@VERSION]", description = "The dataset, and the version to tag (default: the pinned one).")
        String name;
        @Parameters(index = "1", paramLabel = "TAG", description = "The tag.")
        String tag;
        @Option(names = {"-f", "--force"}, description = "Move the tag if it names another version.")
        boolean force;
        @Mixin
        Common common;

        @Override
        public Result call() {
            try (DataRepository repo = data.open(common)) {
                int at = name.indexOf('@');
                String dataset = at < 0 ? name : name.substring(0, at);
                return DataResults.tagged(repo.tag(dataset, tag, at < 0 ? null : name.substring(at + 1), force, common.remote));
            }
        }
    }

    @Command(name = "gc", mixinStandardHelpOptions = true,
            description = {"List (by default) or remove the remote's objects and manifests that no version reachable from a ref or tag uses.",
                    "Refs and version records are never removed; what is younger than --older-than stays, so a push in progress loses nothing.",
                    "A running push holds a lock (locks/push/… on the remote, naming its user, host and process) and renews its "
                            + "heartbeat every minute; gc --delete refuses while one is held. A lock whose push is gone is stale: its "
                            + "process has ended (gc runs on the same machine) or its heartbeat is 10 min old (24 h after it was taken "
                            + "for a lock an older Kiln wrote). gc removes stale locks and names them."})
    static final class Gc implements Callable<Result> {
        @ParentCommand
        DataCommand data;
        @Option(names = "--delete", description = "Remove them (without it: only list what would go, and how many bytes).")
        boolean delete;
        @Option(names = "--older-than", paramLabel = "AGE", defaultValue = "24h",
                description = "Keep what is younger than this: 90s, 30m, 24h, 7d (default: ${DEFAULT-VALUE}).")
        String olderThan;
        @Mixin
        Common common;

        @Override
        public Result call() {
            try (DataRepository repo = data.open(common)) {
                return repo.gc(common.remote, GarbageCollector.parseAge(olderThan), !delete);
            }
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Bring a version from another project's remote into this project's, as a new version whose lineage names the source.",
                    "Objects the remote has are not sent again; between buckets of one S3 server the server copies them itself. "
                            + "Then 'kiln data pull NAME@latest' gets it."})
    static final class Import implements Callable<Result> {
        @ParentCommand
        DataCommand data;
        @Parameters(index = "0", paramLabel = "REMOTE_OR_URL", description = "A remote of kiln.yaml, s3://BUCKET/PREFIX or a directory.")
        String source;
        @Parameters(index = "1", paramLabel = "NAME@VERSION", description = "The version there (a tag, latest or an id).")
        String spec;
        @Option(names = "--as", paramLabel = "LOCAL", description = "The dataset's name here (default: its name there).")
        String as;
        @Option(names = "--endpoint", paramLabel = "URL", description = "S3 endpoint of the source URL's server, e.g. http://127.0.0.1:9000.")
        String endpoint;
        @Option(names = "--region", paramLabel = "REGION", description = "S3 region of the source URL.")
        String region;
        @Option(names = "--profile", paramLabel = "PROFILE", description = "AWS profile for the source URL's credentials.")
        String profile;
        @Mixin
        Common common;

        @Override
        public Result call() {
            try (DataRepository repo = data.open(common)) {
                return repo.importVersion(source, spec, as, common.remote, new RemoteConfig("source", source, endpoint, region, profile, null));
            }
        }
    }

    @Command(name = "remote", mixinStandardHelpOptions = true, description = "Configure remotes (kept in kiln.yaml).",
            subcommands = {RemoteAdd.class, RemoteList.class, RemoteCheck.class})
    static final class RemoteCmd implements Callable<Result> {
        @ParentCommand
        DataCommand data;
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
        @ParentCommand
        RemoteCmd remote;
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

        @Override
        public Result call() {
            try (DataRepository repo = remote.data.open()) {
                return DataResults.remoteAdded(repo.addRemote(new RemoteConfig(name, url, endpoint, region, profile, pathStyle), makeDefault, force));
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the remotes.")
    static final class RemoteList implements Callable<Result> {
        @ParentCommand
        RemoteCmd remote;

        @Override
        public Result call() {
            try (DataRepository repo = remote.data.open()) {
                return DataResults.remotes(repo.remoteConfigs().values(), repo.defaultRemoteName());
            }
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Say what the configured credentials may do on a remote (read, write objects, move refs, delete), "
                    + "by probes that change nothing.")
    static final class RemoteCheck implements Callable<Result> {
        @ParentCommand
        RemoteCmd remote;
        @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "The remote (default: the project's default).")
        String name;

        @Override
        public Result call() {
            try (DataRepository repo = remote.data.open()) {
                String n = name != null ? name : repo.defaultRemoteName();
                RemoteConfig rc = n == null ? null : repo.remoteConfigs().get(n);
                if (rc == null) {
                    throw new UserError(n == null ? "kiln data remote check: no remote is configured. Add one with "
                            + "'kiln data remote add NAME s3://BUCKET/PREFIX'." : "kiln data remote check: no remote named '" + n
                            + "'. Remotes of this project: " + String.join(", ", repo.remoteConfigs().keySet()) + ".");
                }
                RemoteAccessCheck.Access a = RemoteAccessCheck.check(rc, remote.data.session.env(), remote.data.session.projectDir());
                return Result.ofText(a.text().strip());
            }
        }
    }
}
