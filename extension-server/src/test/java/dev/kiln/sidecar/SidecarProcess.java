package dev.kiln.sidecar;

import dev.kiln.magics.record.SidecarEndpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** {@code kiln sidecar} in a child JVM, as a user runs it: killed with SIGKILL when a test wants. */
final class SidecarProcess implements AutoCloseable {

    final Process process;
    final Path log;
    final SidecarEndpoint endpoint;

    private SidecarProcess(Process process, Path log, SidecarEndpoint endpoint) {
        this.process = process;
        this.log = log;
        this.endpoint = endpoint;
    }

    /** The test's class path: the sidecar's classes and every dependency. */
    static String classPath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    /** Starts it and waits until it has announced itself in {@code infoFile}. */
    static SidecarProcess start(Path infoFile, Map<String, String> env, String... args) throws Exception {
        return start(infoFile, true, env, args);
    }

    /** Starts it with its own choice of info file, and waits until it has announced itself in {@code expectedInfoFile}. */
    static SidecarProcess startWhereItChooses(Path expectedInfoFile, Map<String, String> env, String... args) throws Exception {
        return start(expectedInfoFile, false, env, args);
    }

    private static SidecarProcess start(Path infoFile, boolean named, Map<String, String> env, String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", classPath(), "dev.kiln.magics.cli.Main", "sidecar"));
        if (named) {
            argv.addAll(List.of("--info-file", infoFile.toString()));
        }
        if (!List.of(args).contains("--port")) {
            argv.addAll(List.of("--port", "0"));
        }
        argv.addAll(List.of(args));
        Path log = Files.createTempFile("kiln-sidecar-", ".log");
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new AssertionError("the sidecar exited with " + p.exitValue() + ":\n" + Files.readString(log));
            }
            Optional<SidecarEndpoint> ep = Files.exists(infoFile) && Files.readString(infoFile).contains("\"pid\" : " + p.pid())
                    ? SidecarEndpoint.read(infoFile) : Optional.empty();
            if (ep.isPresent()) {
                return new SidecarProcess(p, log, ep.get());
            }
            Thread.sleep(50); // polling the info file the sidecar writes once it listens
        }
        p.destroyForcibly();
        throw new AssertionError("the sidecar did not start within 60 s:\n" + Files.readString(log));
    }

    Http http() {
        return new Http(endpoint.url(), endpoint.token());
    }

    String output() throws IOException {
        return Files.readString(log);
    }

    /** SIGKILL: no shutdown hook, no clean close of the database. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM: the way Ctrl-C or Jupyter stops it. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        return process.waitFor();
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            kill();
        }
        Files.deleteIfExists(log);
    }
}
