package dev.kiln.magics.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Who git says makes commits in a project: {@code user.name <user.email>}, as a version's author. */
final class GitAuthor {

    private static final long TIMEOUT_SECONDS = 10;

    /**
     * The author git would write for {@code projectDir}, or empty where git knows no name (no git, no
     * {@code user.name}). {@code GIT_AUTHOR_NAME} / {@code GIT_AUTHOR_EMAIL} win, as they do for git.
     *
     * @param git the git executable
     */
    static Optional<String> of(Path projectDir, Map<String, String> env, String git) {
        String name = nonBlank(env.get("GIT_AUTHOR_NAME")).or(() -> config(projectDir, env, git, "user.name")).orElse(null);
        if (name == null) {
            return Optional.empty();
        }
        Optional<String> email = nonBlank(env.get("GIT_AUTHOR_EMAIL")).or(() -> config(projectDir, env, git, "user.email"));
        return Optional.of(email.map(e -> name + " <" + e + ">").orElse(name));
    }

    /** The variables that tell git where the user's own configuration is. */
    private static final List<String> CONFIG_PLACES = List.of("HOME", "XDG_CONFIG_HOME", "GIT_CONFIG_GLOBAL",
            "GIT_CONFIG_SYSTEM", "GIT_CONFIG_NOSYSTEM");

    private static Optional<String> config(Path projectDir, Map<String, String> env, String git, String key) {
        ProcessBuilder pb = new ProcessBuilder(git, "-C", projectDir.toString(), "config", "--get", key)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        // git reads the user's configuration where the session's environment says, not this JVM's
        for (String place : CONFIG_PLACES) {
            if (env.containsKey(place)) {
                pb.environment().put(place, env.get(place));
            } else {
                pb.environment().remove(place);
            }
        }
        pb.environment().put("GIT_TERMINAL_PROMPT", "0");
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            return p.exitValue() == 0 ? nonBlank(out.strip()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // no git here: the author comes from the environment
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static Optional<String> nonBlank(String s) {
        return s == null || s.isBlank() ? Optional.empty() : Optional.of(s.strip());
    }

    private GitAuthor() {
    }
}
