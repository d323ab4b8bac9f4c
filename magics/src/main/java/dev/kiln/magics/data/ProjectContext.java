package dev.kiln.magics.data;

import dev.kiln.magics.core.Progress;
import dev.kiln.magics.core.UserError;
import dev.kiln.magics.data.remote.Remote;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A project as every {@code %data} verb sees it: its workspace and stat cache, the user's cache,
 * {@code kiln.lock}, {@code kiln.yaml} and the remotes it names (each opened once), the one
 * {@link Transfer} between them, and how many files move at once.
 */
final class ProjectContext implements AutoCloseable {

    private final Workspace workspace;
    private final Map<String, String> env;
    private final Progress progress;
    private final int jobs;
    private final Cache cache;
    private final LockFile lock;
    private final Transfer transfer;
    private final Metadata metadata;
    private final Map<String, Remote> remotes = new HashMap<>();
    private ProjectConfig config;
    private StatCache stats;
    private boolean linkFromCache = true;

    ProjectContext(Path projectDir, Map<String, String> env, Progress progress, int jobs) {
        this.workspace = new Workspace(projectDir);
        this.env = Map.copyOf(env);
        this.progress = progress;
        this.jobs = Math.max(1, jobs);
        this.cache = Cache.forEnvironment(env);
        this.lock = LockFile.read(workspace.projectDir());
        this.transfer = new Transfer(cache, this.jobs);
        this.metadata = new Metadata(cache, transfer, name -> hasRemote(name) ? Optional.of(remote(name)) : Optional.empty());
    }

    Workspace workspace() {
        return workspace;
    }

    Path projectDir() {
        return workspace.projectDir();
    }

    Progress progress() {
        return progress;
    }

    int jobs() {
        return jobs;
    }

    Cache cache() {
        return cache;
    }

    LockFile lock() {
        return lock;
    }

    Transfer transfer() {
        return transfer;
    }

    Metadata metadata() {
        return metadata;
    }

    boolean linkFromCache() {
        return linkFromCache;
    }

    void linkFromCache(boolean link) {
        this.linkFromCache = link;
    }

    /** kiln.yaml, read when first needed (an offline status does without it). */
    synchronized ProjectConfig config() {
        if (config == null) {
            config = ProjectConfig.read(workspace.projectDir());
        }
        return config;
    }

    /** The stat cache, read when first needed. */
    StatCache stats() {
        if (stats == null) {
            stats = StatCache.load(workspace.projectDir());
        }
        return stats;
    }

    /** The remote of that name, or the default when {@code name} is null; opened once and checked. */
    synchronized Remote remote(String name) {
        String n = name != null ? name : config().defaultRemote();
        if (n == null) {
            throw new UserError("No remote is configured for this project. Add one with "
                    + "'kiln data remote add NAME s3://BUCKET/PREFIX' (or a directory path).");
        }
        Remote open = remotes.get(n);
        if (open != null) {
            return open;
        }
        RemoteConfig rc = config().remotes().get(n);
        if (rc == null) {
            throw new UserError("Unknown remote '" + n + "'. Remotes of this project: "
                    + (config().remotes().isEmpty() ? "none" : String.join(", ", config().remotes().keySet()))
                    + ". Add it with 'kiln data remote add " + n + " URL'.");
        }
        Remote r = Remote.of(rc, env, jobs, workspace.projectDir(), cache.root().resolve("uploads"));
        try {
            r.checkAccess();
        } catch (RuntimeException e) {
            r.close();
            throw e;
        }
        remotes.put(n, r);
        return r;
    }

    /** A remote kiln.yaml does not name (another project's, to import from), opened and checked; the caller closes it. */
    Remote open(RemoteConfig rc) {
        rc.validate();
        Remote r = Remote.of(rc, env, jobs, workspace.projectDir(), cache.root().resolve("uploads"));
        try {
            r.checkAccess();
        } catch (RuntimeException e) {
            r.close();
            throw e;
        }
        return r;
    }

    /** Whether a remote is named or a default one configured (not whether it can be reached). */
    boolean hasRemote(String name) {
        return name != null || config().defaultRemote() != null;
    }

    /** The datasets kiln.lock pins, for messages: {@code none} or their names. */
    String datasetNames() {
        return lock.datasets().isEmpty() ? "none" : String.join(", ", lock.datasets().keySet());
    }

    /** Who makes a version, as its record names them: KILN_AUTHOR, else git's author, else the login name. */
    String author() {
        String kiln = env.get("KILN_AUTHOR");
        if (kiln != null && !kiln.isBlank()) {
            return kiln;
        }
        Optional<String> git = GitAuthor.of(workspace().projectDir(), env, env.getOrDefault("KILN_GIT", "git"));
        if (git.isPresent()) {
            return git.get();
        }
        for (String k : List.of("USER", "USERNAME")) {
            String v = env.get(k);
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return "unknown";
    }

    @Override
    public void close() {
        for (Remote r : remotes.values()) {
            r.close();
        }
        remotes.clear();
    }
}
