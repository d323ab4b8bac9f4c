package dev.kiln.magics.core;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Where a command runs: the project directory, the streams it writes to, how it shows progress,
 * and the process environment. The CLI builds one per invocation; the kernel one per kernel, so a
 * command reads the same whether a shell or a notebook called it.
 *
 * @param projectDir the directory commands resolve relative paths against (the working directory)
 * @param out        where human-readable output goes
 * @param err        where warnings go
 * @param progress   how long work reports progress
 * @param env        the process environment (injectable so tests need not mutate the real one)
 * @param origin     "cli" or "kernel", recorded in provenance
 */
public record Session(Path projectDir, PrintStream out, PrintStream err, Progress progress,
                      Map<String, String> env, String origin) {

    public Session {
        Objects.requireNonNull(projectDir, "projectDir");
        projectDir = projectDir.toAbsolutePath().normalize();
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(err, "err");
        Objects.requireNonNull(progress, "progress");
        env = Map.copyOf(env);
        Objects.requireNonNull(origin, "origin");
    }

    /** A session for the current process: working directory, System streams, real environment. */
    public static Session forProcess(Progress progress, String origin) {
        return new Session(Path.of("").toAbsolutePath(), System.out, System.err, progress,
                System.getenv(), origin);
    }

    /** Whether a notebook cell runs the commands (the kernel), rather than a shell. */
    public boolean inNotebook() {
        return "kernel".equals(origin);
    }

    public Session withProjectDir(Path dir) {
        return new Session(dir, out, err, progress, env, origin);
    }

    public Session withProgress(Progress p) {
        return new Session(projectDir, out, err, p, env, origin);
    }
}
