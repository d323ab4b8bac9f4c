package dev.kiln.magics.env;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The project's commit and whether its tree is dirty, from {@code git status} (one process). When
 * the git CLI is missing the commit is read from {@code .git} itself and dirtiness stays unknown.
 */
final class GitState {

    private static final long TIMEOUT_SECONDS = 20;

    /**
     * @param projectDir the directory inside the repository
     * @param git        the git executable ({@code git} on the PATH unless {@code KILN_GIT} says otherwise)
     */
    static Environment.Git read(Path projectDir, String git) {
        Path dotGit = findDotGit(projectDir);
        if (dotGit == null) {
            return new Environment.Git(null, null, "not a git repository");
        }
        ProcessBuilder pb = new ProcessBuilder(git, "-C", projectDir.toString(), "status", "--porcelain=v2",
                "--branch", "--untracked-files=normal", "--ignore-submodules=dirty");
        pb.redirectErrorStream(false);
        Map<String, String> env = pb.environment();
        env.put("GIT_OPTIONAL_LOCKS", "0"); // never take index.lock: a snapshot must not block the user's git
        env.put("GIT_TERMINAL_PROMPT", "0");
        env.put("LC_ALL", "C");
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return fromFiles(dotGit, "git CLI not found (" + git + "): commit read from .git, dirty unknown");
        }
        try {
            p.getOutputStream().close();
            InputStream errStream = p.getErrorStream();
            Thread drain = new Thread(() -> {
                try {
                    errStream.readAllBytes();
                } catch (IOException ignored) {
                    // stderr is only drained so git cannot block on it
                }
            });
            drain.setDaemon(true);
            drain.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return fromFiles(dotGit, "git status timed out: commit read from .git, dirty unknown");
            }
            if (p.exitValue() != 0) {
                return fromFiles(dotGit, "git status failed (exit " + p.exitValue() + "): commit read from .git, dirty unknown");
            }
            String commit = null;
            boolean dirty = false;
            for (String line : out.split("\n")) {
                if (line.startsWith("# branch.oid ")) {
                    String oid = line.substring("# branch.oid ".length()).strip();
                    commit = oid.equals("(initial)") ? null : oid;
                } else if (!line.isBlank() && !line.startsWith("#")) {
                    dirty = true;
                }
            }
            return new Environment.Git(commit, dirty, commit == null ? "no commit yet" : null);
        } catch (IOException e) {
            return fromFiles(dotGit, "git status could not be read: commit read from .git, dirty unknown");
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return fromFiles(dotGit, "interrupted: commit read from .git, dirty unknown");
        }
    }

    /** {@code .git} (a directory, or a file in a worktree) of the repository holding {@code dir}. */
    static Path findDotGit(Path dir) {
        for (Path d = dir.toAbsolutePath().normalize(); d != null; d = d.getParent()) {
            Path g = d.resolve(".git");
            if (Files.exists(g)) {
                return g;
            }
        }
        return null;
    }

    /** Resolves HEAD by hand: the git directory (worktrees point elsewhere), loose refs, packed refs. */
    static Environment.Git fromFiles(Path dotGit, String note) {
        try {
            Path gitDir = dotGit;
            if (Files.isRegularFile(dotGit)) {
                String line = Files.readString(dotGit).strip();
                if (!line.startsWith("gitdir:")) {
                    return new Environment.Git(null, null, note + "; .git file unreadable");
                }
                gitDir = dotGit.getParent().resolve(line.substring("gitdir:".length()).strip()).normalize();
            }
            Path common = gitDir;
            Path commonFile = gitDir.resolve("commondir");
            if (Files.isRegularFile(commonFile)) {
                common = gitDir.resolve(Files.readString(commonFile).strip()).normalize();
            }
            String head = Files.readString(gitDir.resolve("HEAD")).strip();
            if (!head.startsWith("ref:")) {
                return new Environment.Git(head, null, note);
            }
            String ref = head.substring("ref:".length()).strip();
            for (Path base : List.of(gitDir, common)) {
                Path loose = base.resolve(ref);
                if (Files.isRegularFile(loose)) {
                    return new Environment.Git(Files.readString(loose).strip(), null, note);
                }
            }
            Path packed = common.resolve("packed-refs");
            if (Files.isRegularFile(packed)) {
                for (String line : Files.readAllLines(packed)) {
                    if (line.endsWith(" " + ref) && !line.startsWith("#")) {
                        return new Environment.Git(line.substring(0, line.indexOf(' ')), null, note);
                    }
                }
            }
            return new Environment.Git(null, null, note + "; no commit yet");
        } catch (IOException e) {
            return new Environment.Git(null, null, note + "; .git unreadable: " + e.getMessage());
        }
    }

    private GitState() {
    }
}
