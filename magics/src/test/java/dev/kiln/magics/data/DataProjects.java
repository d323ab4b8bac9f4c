package dev.kiln.magics.data;

import dev.kiln.magics.cli.CommandRunner;
import dev.kiln.magics.core.Progress;
import dev.kiln.magics.core.Result;
import dev.kiln.magics.core.Session;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Projects, caches and command lines for the data tests: each project a directory, each run a CLI line. */
final class DataProjects {

    private final Path root;
    private final Map<String, String> baseEnv;

    DataProjects(Path root, Map<String, String> baseEnv) {
        this.root = root;
        this.baseEnv = baseEnv;
    }

    /** A new project directory with a cache of its own (as on another machine). */
    Project project(String name) throws IOException {
        Path dir = Files.createDirectories(root.resolve(name));
        Path cache = Files.createDirectories(root.resolve(name + "-cache"));
        Map<String, String> env = new HashMap<>(baseEnv);
        env.put("KILN_CACHE_DIR", cache.toString());
        env.put("USER", "tester");
        return new Project(dir, cache, env);
    }

    record Project(Path dir, Path cache, Map<String, String> env) {

        Result run(String line) throws Exception {
            return run(dev.kiln.magics.cli.Args.split(line));
        }

        Result run(List<String> args) throws Exception {
            Session s = new Session(dir, new PrintStream(new ByteArrayOutputStream()),
                    new PrintStream(new ByteArrayOutputStream()), Progress.NONE, env, "test");
            return new CommandRunner(s).run(args);
        }

        Path write(String path, String content) throws IOException {
            Path p = dir.resolve(path);
            Files.createDirectories(p.getParent());
            Files.deleteIfExists(p);
            Files.writeString(p, content);
            return p;
        }

        /** Every file under {@code path} with its content, for comparing workspaces. */
        Map<String, String> files(String path) throws IOException {
            Map<String, String> m = new TreeMap<>();
            Path base = dir.resolve(path);
            if (!Files.exists(base)) {
                return m;
            }
            try (Stream<Path> s = Files.walk(base)) {
                for (Path p : s.filter(Files::isRegularFile).toList()) {
                    m.put(base.relativize(p).toString(), new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1));
                }
            }
            return m;
        }

        String lock() throws IOException {
            return Files.readString(dir.resolve("kiln.lock"));
        }
    }
}
