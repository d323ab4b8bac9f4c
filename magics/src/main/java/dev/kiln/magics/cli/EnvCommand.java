package dev.kiln.magics.cli;

import dev.kiln.magics.core.Result;
import dev.kiln.magics.core.Session;
import dev.kiln.magics.core.UserError;
import dev.kiln.magics.env.EnvResults;
import dev.kiln.magics.env.EnvSnapshot;
import dev.kiln.magics.env.EnvironmentRecorder;
import dev.kiln.magics.env.RestorePlan;
import dev.kiln.magics.env.SnapshotDiff;
import dev.kiln.magics.env.SnapshotStore;
import dev.kiln.magics.share.SessionNotebook;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code kiln env} / {@code %env}: record, compare, check and restore the environment of a run. */
@Command(name = "env",
        mixinStandardHelpOptions = true,
        description = {"Record the environment of a run, compare it, and print what rebuilds it.",
                "A snapshot holds the JVM, OS, image, git commit, every jar (with SHA-256) "
                        + "and the pinned dataset versions; snapshots live in .kiln/snapshots/.",
                "Without a subcommand: snapshot."},
        subcommands = {EnvCommand.Snapshot.class, EnvCommand.Diff.class, EnvCommand.Check.class,
                EnvCommand.Restore.class, EnvCommand.ListRuns.class})
public final class EnvCommand implements Callable<Result> {

    /** The session every subcommand runs in: they reach it through {@code @ParentCommand}. */
    private final Session session;

    public EnvCommand(Session session) {
        this.session = session;
    }

    @Override
    public Result call() {
        Snapshot snapshot = new Snapshot();
        snapshot.env = this;
        return snapshot.call();
    }

    @Command(name = "snapshot", mixinStandardHelpOptions = true,
            description = {"Record this environment and store it as .kiln/snapshots/<id>.json.",
                    "The id is the SHA-256 of the snapshot's canonical JSON: the same environment gives the same id."})
    static final class Snapshot implements Callable<Result> {
        @ParentCommand
        EnvCommand env;

        @Option(names = "--all-jars", description = "List every jar, not only those added at run time.")
        boolean allJars;

        @Option(names = "--json", description = "Print the snapshot as JSON ({\"id\", \"environment\"}) instead of a summary.")
        boolean json;

        @Option(names = "--no-store", description = "Show the snapshot without storing it.")
        boolean noStore;


        @Override
        public Result call() {
            EnvSnapshot s = new EnvironmentRecorder(env.session).record();
            String stored = null;
            if (!noStore) {
                SnapshotStore store = new SnapshotStore(env.session.projectDir());
                store.save(s, env.session.origin());
                stored = env.session.projectDir().relativize(store.dir().resolve(s.id() + ".json")).toString();
            }
            return json ? EnvResults.snapshotJson(s, stored, allJars) : EnvResults.snapshot(s, stored, allJars);
        }
    }

    @Command(name = "diff", mixinStandardHelpOptions = true,
            description = {"Show what changed between two snapshots.",
                    "Jar versions and contents, jars added and removed, JVM, OS, image, git and datasets. "
                            + "With one snapshot, compares it with this environment now."})
    static final class Diff implements Callable<Result> {
        @ParentCommand
        EnvCommand env;

        @Parameters(index = "0", paramLabel = "FROM", description = "Snapshot id (or prefix, 4+ hex digits), snapshot .json or notebook .ipynb.")
        String from;

        @Parameters(index = "1", arity = "0..1", paramLabel = "TO", description = "The same; default: this environment now.")
        String to;


        @Override
        public Result call() {
            SnapshotStore store = new SnapshotStore(env.session.projectDir());
            EnvSnapshot a = store.load(from);
            EnvSnapshot b = to == null ? new EnvironmentRecorder(env.session).record() : store.load(to);
            return EnvResults.diff(SnapshotDiff.between(a, b));
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Compare this environment with the one the notebook last ran with.",
                    "Answers identical, compatible (differences that should not change results) or differs, with the reasons."})
    static final class Check implements Callable<Result> {
        @ParentCommand
        EnvCommand env;

        @Option(names = "--against", paramLabel = "SNAPSHOT",
                description = "Snapshot id or prefix, snapshot .json or notebook .ipynb. Default: the snapshot this notebook "
                        + "last took, else the latest one stored here.")
        String against;

        @Option(names = "--notebook",
                description = "Check against the snapshot saved in this notebook's file (the one Jupyter names in JPY_SESSION_NAME).")
        boolean notebook;


        @Override
        public Result call() {
            SnapshotStore store = new SnapshotStore(env.session.projectDir());
            EnvSnapshot current = new EnvironmentRecorder(env.session).record();
            EnvSnapshot reference;
            String what;
            if (notebook) {
                if (against != null) {
                    throw new UserError("Give --notebook or --against, not both.");
                }
                Path nb = SessionNotebook.of(env.session);
                reference = store.load(nb.toString());
                what = "the snapshot saved in " + nb.getFileName();
            } else if (against != null) {
                reference = store.load(against);
                what = "--against " + against;
            } else {
                reference = store.latest(current.environment().notebook());
                if (reference == null) {
                    throw new UserError("No snapshot to check against in " + store.dir() + ". Run 'kiln env snapshot' "
                            + "when the notebook runs as it should, or pass --against ID.");
                }
                what = "the last snapshot" + (current.environment().notebook() == null ? "" : " of this notebook");
            }
            return EnvResults.check(SnapshotDiff.between(reference, current), what);
        }
    }

    @Command(name = "restore", mixinStandardHelpOptions = true,
            description = {"Print what rebuilds a recorded environment.",
                    "The image reference, the %%maven lines, a pom.xml dependencies fragment, the git commit and the dataset versions."})
    static final class Restore implements Callable<Result> {
        @ParentCommand
        EnvCommand env;

        @Parameters(index = "0", paramLabel = "SNAPSHOT", description = "Snapshot id or prefix, snapshot .json or notebook .ipynb.")
        String ref;

        @Option(names = "--write", paramLabel = "DIR",
                description = "Also write restore.txt, maven.txt, pom-dependencies.xml, image.txt and the snapshot's JSON to DIR.")
        Path write;

        @Override
        public Result call() {
            EnvSnapshot s = new SnapshotStore(env.session.projectDir()).load(ref);
            RestorePlan plan = RestorePlan.of(s);
            String written = null;
            if (write != null) {
                Path dir = env.session.projectDir().resolve(write);
                plan.writeTo(dir);
                written = env.session.projectDir().relativize(dir).toString();
                if (written.isEmpty()) {
                    written = ".";
                }
            }
            return EnvResults.restore(plan, written);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the snapshots taken in this project, newest first.")
    static final class ListRuns implements Callable<Result> {
        @ParentCommand
        EnvCommand env;


        @Override
        public Result call() {
            return EnvResults.list(new SnapshotStore(env.session.projectDir()).runs());
        }
    }
}
