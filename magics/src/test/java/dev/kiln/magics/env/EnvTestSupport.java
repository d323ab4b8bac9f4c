package dev.kiln.magics.env;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.magics.cli.CommandRunner;
import dev.kiln.magics.core.Progress;
import dev.kiln.magics.core.ProvenanceJson;
import dev.kiln.magics.core.Result;
import dev.kiln.magics.core.Session;
import dev.kiln.magics.record.ProvenanceRecords;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/** Sessions, jars and child JVMs for the env tests. */
final class EnvTestSupport {

    static final ObjectMapper JSON = new ObjectMapper();

    /** A session on {@code projectDir} whose environment is exactly {@code env} plus a private hash cache. */
    static Session session(Path projectDir, Map<String, String> env) {
        Map<String, String> e = new HashMap<>(env);
        e.putIfAbsent("KILN_CACHE_DIR", projectDir.resolve("cache").toString());
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        return new Session(projectDir, quiet, quiet, Progress.NONE, e, "cli");
    }

    /** Runs a command as the CLI does, its provenance recorded for the sidecar (spooled: no sidecar runs). */
    static Result run(Session session, String... args) throws Exception {
        ProvenanceRecords records = new ProvenanceRecords(session);
        return new CommandRunner(session, r -> records.record(r.provenance())).run(List.of(args));
    }

    /** Everything a result shows or records, as one string: text, HTML and provenance JSON. */
    static String everything(Result r) throws IOException {
        return r.text() + "\n" + r.html() + "\n" + JSON.writeValueAsString(ProvenanceJson.write(r.provenance()));
    }

    static String snapshotId(Result r) {
        return r.provenance().snapshot().id();
    }

    /** A jar with Maven metadata ({@code pom.properties}) and one class-like payload entry. */
    static Path jar(Path dir, String group, String artifact, String version, String payload) throws IOException {
        Files.createDirectories(dir);
        Path jar = dir.resolve(artifact + "-" + version + ".jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("META-INF/maven/" + group + "/" + artifact + "/pom.properties"));
            out.write(("groupId=" + group + "\nartifactId=" + artifact + "\nversion=" + version + "\n").getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
            out.putNextEntry(new JarEntry(group.replace('.', '/') + "/" + artifact + "/Payload.txt"));
            out.write(payload.getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return jar;
    }

    /** The class path of this module's code and its dependencies (not the test runner's booter jar). */
    static List<Path> moduleClasspath() {
        Set<Path> cp = new LinkedHashSet<>();
        for (Class<?> c : List.of(dev.kiln.magics.cli.Main.class, EnvTestSupport.class, picocli.CommandLine.class,
                com.fasterxml.jackson.databind.ObjectMapper.class, com.fasterxml.jackson.core.JsonParser.class,
                com.fasterxml.jackson.annotation.JsonInclude.class,
                com.fasterxml.jackson.dataformat.yaml.YAMLMapper.class, org.yaml.snakeyaml.Yaml.class)) {
            try {
                cp.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()));
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
        return new ArrayList<>(cp);
    }

    /** What a child JVM printed. */
    record Run(int exit, String out, String err) {
        String all() {
            return out + "\n" + err;
        }
    }

    /**
     * Runs {@code main} in a new JVM in {@code dir} with exactly {@code env} as its environment
     * (plus PATH and HOME so java and git work), the given JVM options and class path.
     */
    static Run childJvm(Path dir, Map<String, String> env, List<String> jvmOptions, List<Path> classpath,
                        String main, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xshare:auto");
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(String.join(File.pathSeparator, classpath.stream().map(Path::toString).toList()));
        cmd.add(main);
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().clear();
        pb.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        pb.environment().put("HOME", System.getProperty("user.home"));
        pb.environment().putAll(env);
        Path out = Files.createTempFile("child", ".out");
        Path err = Files.createTempFile("child", ".err");
        try {
            pb.redirectOutput(out.toFile()).redirectError(err.toFile());
            Process p = pb.start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("child JVM did not finish: " + cmd.subList(cmd.size() - args.length - 1, cmd.size()));
            }
            return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Every regular file under {@code dir}, read as text. */
    static String allFilesUnder(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return "";
        }
        StringBuilder s = new StringBuilder();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                s.append(new String(Files.readAllBytes(f), StandardCharsets.UTF_8)).append('\n');
            }
        }
        return s.toString();
    }

    static String git(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("git", "-c", "user.name=Kiln Test", "-c", "user.email=test@kiln.dev",
                "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("git " + String.join(" ", args) + " failed: " + out);
        }
        return out.strip();
    }

    private EnvTestSupport() {
    }
}
