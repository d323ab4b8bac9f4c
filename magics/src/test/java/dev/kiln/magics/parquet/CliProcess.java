package dev.kiln.magics.parquet;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The kiln CLI in a JVM of its own, as a shell runs it, with the test's class path. */
final class CliProcess {

    /** How a run ended: its exit code and everything it printed (stdout and stderr). */
    record Outcome(int exit, String output) {
    }

    /** Starts {@code kiln ARGS} in {@code dir}; output goes to {@code log}. */
    static Process start(Path dir, List<String> jvmOptions, List<String> args, Path log) throws IOException {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", cp, "dev.kiln.magics.cli.Main"));
        cmd.addAll(args);
        return new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Runs {@code kiln ARGS} in {@code dir} to its end, within {@code seconds}. */
    static Outcome run(Path dir, List<String> jvmOptions, List<String> args, int seconds) throws Exception {
        Path log = Files.createTempFile("kiln-cli-", ".log");
        try {
            Process p = start(dir, jvmOptions, args, log);
            boolean ended = p.waitFor(seconds, TimeUnit.SECONDS);
            if (!ended) {
                p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
            String out = Files.readString(log, StandardCharsets.UTF_8);
            assertTrue(ended, "kiln " + args + " did not end within " + seconds + " s: " + out);
            return new Outcome(p.exitValue(), out);
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private CliProcess() {
    }
}
