package dev.kiln.kernel.install;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** {@code scripts/lab-venv}, run as {@code ./kiln lab} runs it: makes or updates Kiln's JupyterLab environment. */
final class LabVenvScript {

    /** What one run did: its exit code, the folder it printed, and what it said on stderr. */
    record Run(int exitCode, String printed, String said) {
    }

    private LabVenvScript() {
    }

    static Path repository() {
        return Path.of(System.getProperty("kiln.repository")).toAbsolutePath().normalize();
    }

    /** The environment every test shares (the user's, as ./kiln lab makes it), ready to use. */
    static Path sharedVenv() throws IOException, InterruptedException {
        Run run = run(Map.of());
        if (run.exitCode() != 0) {
            throw new AssertionError("scripts/lab-venv failed:\n" + run.said());
        }
        return Path.of(run.printed());
    }

    /** Runs the script with these variables added (a value of "" removes one); a first set-up takes a minute or two. */
    static Run run(Map<String, String> env) throws IOException, InterruptedException {
        Path log = Files.createTempFile("lab-venv", ".log");
        Path printed = Files.createTempFile("lab-venv", ".out");
        try {
            ProcessBuilder pb = new ProcessBuilder(repository().resolve("scripts/lab-venv").toString())
                    .redirectOutput(printed.toFile()).redirectError(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            env.forEach((k, v) -> {
                if (v.isEmpty()) {
                    pb.environment().remove(k);
                } else {
                    pb.environment().put(k, v);
                }
            });
            Process p = pb.start();
            if (!p.waitFor(15, TimeUnit.MINUTES)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new AssertionError("scripts/lab-venv did not finish in 15 minutes:\n" + Files.readString(log));
            }
            return new Run(p.exitValue(), Files.readString(printed).strip(), Files.readString(log));
        } finally {
            Files.deleteIfExists(log);
            Files.deleteIfExists(printed);
        }
    }
}
