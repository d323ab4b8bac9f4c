package dev.kiln.kernel.install;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.kiln.kernel.KilnKernel;
import dev.kiln.magics.cli.KilnVersion;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code kiln} kernelspec: a {@code kernel.json} whose argv starts this JVM on the Kiln kernel
 * with the options that make it start fast.
 */
public final class KernelSpec {

    public static final String NAME = "kiln";
    public static final String DISPLAY_NAME = "Java (Kiln)";

    /** JVM options of the kernel process: headless charts, UTF-8, a start-up friendly collector. */
    static final List<String> JVM_OPTIONS = List.of(
            "-Djava.awt.headless=true",
            "-Dfile.encoding=UTF-8",
            "-XX:+UseSerialGC",
            "-Xshare:auto");

    private final String java;
    private final String classpath;
    private final List<String> extraOptions;

    public KernelSpec(String java, String classpath, List<String> extraOptions) {
        this.java = java;
        this.classpath = classpath;
        this.extraOptions = List.copyOf(extraOptions);
    }

    /** The kernelspec of the running JVM and class path. */
    public static KernelSpec current(List<String> extraOptions) {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        return new KernelSpec(java, currentClasspath(), extraOptions);
    }

    /** {@code DIR/*} when Kiln runs from an installed lib folder, else the exact class path (tests). */
    static String currentClasspath() {
        return kilnHome().map(home -> home.resolve("lib") + File.separator + "*")
                .orElse(System.getProperty("java.class.path"));
    }

    /**
     * The folder Kiln is installed in ({@code target/kiln} of a build, {@code /opt/kiln} in the
     * image): the parent of the {@code lib} folder holding Kiln's jars; empty when Kiln runs from
     * class folders (tests).
     */
    public static Optional<Path> kilnHome() {
        try {
            Path jar = Path.of(KilnKernel.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(jar) && jar.getParent() != null && jar.getParent().getFileName().toString().equals("lib")) {
                return Optional.of(jar.getParent().getParent().toAbsolutePath());
            }
        } catch (URISyntaxException | SecurityException e) {
            // not installed from a lib folder
        }
        return Optional.empty();
    }

    /** The command line that runs {@code kiln ARGS} with this JVM and class path. */
    public List<String> cli(String... args) {
        List<String> argv = new ArrayList<>(List.of(java, "-cp", classpath, "dev.kiln.magics.cli.Main"));
        argv.addAll(List.of(args));
        return argv;
    }

    public List<String> argv() {
        List<String> argv = new ArrayList<>();
        argv.add(java);
        argv.addAll(JVM_OPTIONS);
        argv.addAll(extraOptions);
        argv.add("-cp");
        argv.add(classpath);
        argv.add(KilnKernel.class.getName());
        argv.add("{connection_file}");
        return argv;
    }

    public Map<String, Object> json() {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("argv", argv());
        spec.put("display_name", DISPLAY_NAME);
        spec.put("language", "java");
        spec.put("interrupt_mode", "message");
        spec.put("metadata", Map.of("kiln_version", KilnVersion.get(), "debugger", false));
        return spec;
    }

    /** Writes {@code kernels/kiln/kernel.json} under {@code dataDir} (atomically); returns the kernel's folder. */
    public Path install(Path dataDir) throws IOException {
        Path dir = dataDir.resolve("kernels").resolve(NAME);
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "kernel.json.", ".tmp");
        try {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(tmp.toFile(), json());
            Files.move(tmp, dir.resolve("kernel.json"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return dir;
    }

    /** Jupyter's per-user data folder: $JUPYTER_DATA_DIR, else $XDG_DATA_HOME/jupyter or ~/.local/share/jupyter. */
    public static Path userDataDir(Map<String, String> env) {
        String jdd = env.get("JUPYTER_DATA_DIR");
        if (jdd != null && !jdd.isBlank()) {
            return Path.of(jdd);
        }
        String xdg = env.get("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "share");
        return base.resolve("jupyter");
    }
}
