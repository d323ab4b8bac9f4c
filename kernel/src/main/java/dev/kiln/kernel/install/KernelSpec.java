package dev.kiln.kernel.install;

import dev.kiln.magics.core.AtomicFiles;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.kiln.kernel.KernelLauncher;
import dev.kiln.kernel.guard.ExitGuardAgent;
import dev.kiln.magics.cli.ConversionJvm;
import dev.kiln.magics.core.KilnVersion;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code kiln} kernelspec: a {@code kernel.json} whose argv starts a JVM on the Kiln kernel
 * with the options that make it start fast, and the agent jar that keeps a cell's
 * {@code System.exit} from ending it ({@link ExitGuardAgent}). Its display name says which Java
 * it runs on ("Java 17 (Kiln)"); kernelspecs for other JDKs sit beside it under other names.
 */
public final class KernelSpec {

    /** The default kernel's name, which notebooks record: kept whatever JDK it runs on. */
    public static final String NAME = "kiln";

    /** JVM options of the kernel process: headless charts, UTF-8, a start-up friendly collector. */
    static final List<String> JVM_OPTIONS = List.of(
            "-Djava.awt.headless=true",
            "-Dfile.encoding=UTF-8",
            "-XX:+UseSerialGC");

    /** Kernelspec files are readable by everyone: Jupyter may run as another user (the image's jovyan). */
    private static final Set<PosixFilePermission> READABLE_BY_ALL = PosixFilePermissions.fromString("rw-r--r--");

    private final String name;
    private final String javaExecutable;
    private final String classpath;
    private final List<String> extraOptions;
    private final Optional<Path> zstdLibrary;
    private StartupArchive sharedArchive;
    private Path agentJar;

    /** The kernelspec {@value #NAME}. */
    public KernelSpec(String java, String classpath, List<String> extraOptions) {
        this(NAME, java, classpath, extraOptions, kilnHome().flatMap(KernelSpec::zstdLibraryIn));
    }

    private KernelSpec(String name, String java, String classpath, List<String> extraOptions, Optional<Path> zstdLibrary) {
        this.name = name;
        this.javaExecutable = java;
        this.classpath = classpath;
        this.extraOptions = List.copyOf(extraOptions);
        this.zstdLibrary = zstdLibrary;
    }

    /** This kernelspec under the kernel name {@code name} (a folder name Jupyter lists). */
    public KernelSpec named(String name) {
        return new KernelSpec(name, javaExecutable, classpath, extraOptions, zstdLibrary);
    }

    /** This kernelspec with the zstd-jni library that Kiln installed in {@code home} unpacked, if it has one. */
    public KernelSpec withNativeLibrariesOf(Path home) {
        return new KernelSpec(name, javaExecutable, classpath, extraOptions, zstdLibraryIn(home));
    }

    /**
     * zstd-jni's library for this machine as the {@code kiln} launcher unpacks it once per build
     * ({@code HOME/zstd-native/linux/amd64/libzstd-jni-*.so}); empty when there is none. A kernel
     * named it loads it from there: zstd-jni otherwise unpacks it into the temporary directory in
     * every kernel, and fails {@code %parquet convert} where that directory is missing or read-only.
     */
    static Optional<Path> zstdLibraryIn(Path home) {
        Path arch = home.resolve("zstd-native").resolve(System.getProperty("os.name").toLowerCase(Locale.ROOT))
                .resolve(System.getProperty("os.arch"));
        if (!Files.isDirectory(arch)) {
            return Optional.empty();
        }
        try (var listed = Files.list(arch)) {
            return listed.filter(p -> p.getFileName().toString().startsWith("libzstd-jni-") && Files.isRegularFile(p))
                    .map(Path::toAbsolutePath).sorted().findFirst();
        } catch (IOException e) {
            return Optional.empty(); // the kernel then unpacks the library itself, as without the folder
        }
    }

    /** The kernel's name, e.g. {@value #NAME}. */
    public String name() {
        return name;
    }

    /** The name Jupyter shows, with the Java the kernel runs on: "Java 25 (Kiln)". */
    public String displayName() {
        int feature = featureVersionOf(Path.of(javaExecutable));
        return feature == 0 ? "Java (Kiln)" : "Java " + feature + " (Kiln)";
    }

    /** The name of a kernelspec beside the default one, for Java {@code feature}: {@code kiln-java25}. */
    public static String nameFor(int feature) {
        return NAME + "-java" + feature;
    }

    /**
     * Installs, with a class-data-sharing archive trained on a short kernel workload next to
     * {@code kernel.json}, so that kernels map Kiln's classes instead of loading them (a faster
     * start). The archive is rebuilt only when the JVM or the jars changed; if training fails the
     * kernelspec is installed without it.
     *
     * @return the kernel's folder
     */
    public Path installWithSharedArchive(Path dataDir, java.io.PrintStream log) throws IOException {
        Path dir = dataDir.resolve("kernels").resolve(name);
        Files.createDirectories(dir);
        StartupArchive startup = new StartupArchive(dir, featureVersionOf(Path.of(javaExecutable)));
        Path archive = startup.file();
        Path keyFile = dir.resolve(archive.getFileName() + ".key");
        // the JVM's build too: an archive of another build (after a JDK update) is refused at start
        String key = javaExecutable + "\n" + jvmBuild(Path.of(javaExecutable)) + "\n" + classpath + "\n" + jarsOf(classpath);
        if (!Files.isRegularFile(archive) || !Files.isRegularFile(keyFile) || !Files.readString(keyFile).equals(key)) {
            log.println("kiln: training the kernel's class-data-sharing archive (once per build)…");
            writeAgentJar(dir); // an AOT cache is trained with it
            Files.deleteIfExists(keyFile);
            List<String> java = new ArrayList<>(List.of(javaExecutable));
            java.addAll(JVM_OPTIONS);
            if (startup.train(java, agentJar, List.of("-cp", classpath, KernelLauncher.class.getName(), "--train"), dir)) {
                Files.writeString(keyFile, key);
            } else {
                log.println("kiln: the archive could not be built; the kernel starts without it");
                Files.deleteIfExists(archive);
            }
        }
        if (Files.isRegularFile(archive)) {
            sharedArchive = startup;
        }
        return install(dataDir);
    }

    /**
     * Each jar and folder a class path names, {@code DIR/*} expanded, with its size and time: an
     * archive is stale when any was added, removed or replaced (the JVM then refuses it).
     */
    static String jarsOf(String classpath) throws IOException {
        StringBuilder key = new StringBuilder();
        for (String entry : classpath.split(File.pathSeparator)) {
            List<Path> files = new ArrayList<>();
            if (entry.endsWith(File.separator + "*")) {
                Path dir = Path.of(entry.substring(0, entry.length() - 2));
                if (Files.isDirectory(dir)) {
                    try (var listed = Files.list(dir)) {
                        listed.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().forEach(files::add);
                    }
                }
            } else {
                files.add(Path.of(entry));
            }
            for (Path f : files) {
                key.append(f);
                if (Files.exists(f)) {
                    key.append(' ').append(Files.size(f)).append(' ').append(Files.getLastModifiedTime(f).toMillis());
                }
                key.append('\n');
            }
        }
        return key.toString();
    }

    /** The kernelspec of the running JVM and class path. */
    public static KernelSpec current(List<String> extraOptions) {
        return on(Path.of(thisJava()), extraOptions);
    }

    /** The java executable of this JVM. */
    private static String thisJava() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** The kernelspec running the current class path on {@code java}, another JVM's java executable. */
    public static KernelSpec on(Path java, List<String> extraOptions) {
        return new KernelSpec(java.toString(), currentClasspath(), extraOptions);
    }

    /** The JDK folder of a java executable, its links followed ({@code /usr/bin/java} is one); empty if none. */
    static Optional<Path> jdkHome(Path java) {
        try {
            Path bin = java.toRealPath().getParent();
            return Optional.ofNullable(bin == null ? null : bin.getParent());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * The feature version of a java executable's JDK (25), from its release file or, for the
     * running JVM, from itself; 0 when neither tells.
     */
    public static int featureVersionOf(Path java) {
        Optional<Path> home = jdkHome(java);
        int feature = home.map(KernelSpec::featureVersion).orElse(0);
        if (feature == 0 && home.isPresent() && home.get().equals(jdkHome(Path.of(System.getProperty("java.home"), "bin", "java")).orElse(null))) {
            return Runtime.version().feature();
        }
        return feature;
    }

    /** What changes with every build of a JDK: its release file's JAVA_RUNTIME_VERSION and its modules' time. */
    private static String jvmBuild(Path java) throws IOException {
        Optional<Path> home = jdkHome(java);
        if (home.isEmpty()) {
            return "";
        }
        Path modules = home.get().resolve("lib").resolve("modules");
        String runtime = "";
        if (Files.isRegularFile(home.get().resolve("release"))) {
            runtime = Files.readAllLines(home.get().resolve("release")).stream()
                    .filter(l -> l.startsWith("JAVA_RUNTIME_VERSION=")).findFirst().orElse("");
        }
        return runtime + (Files.isRegularFile(modules) ? " " + Files.getLastModifiedTime(modules) : "");
    }

    /** The feature version a JDK folder's release file names (25 for "25.0.3"); 0 if it names none. */
    public static int featureVersion(Path jdkHome) {
        try {
            for (String line : Files.readAllLines(jdkHome.resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=")) {
                    return Integer.parseInt(line.substring("JAVA_VERSION=".length()).replace("\"", "").split("[.+-]")[0]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // no release file, or not one of a JDK
        }
        return 0;
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
            Path jar = Path.of(KernelSpec.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(jar) && jar.getParent() != null && jar.getParent().getFileName().toString().equals("lib")) {
                return Optional.of(jar.getParent().getParent().toAbsolutePath());
            }
        } catch (URISyntaxException | SecurityException e) {
            // not installed from a lib folder
        }
        return Optional.empty();
    }

    /** The command line of this kernel's conversion process ({@link ConversionJvm}): this JVM, Kiln as installed. */
    public static List<String> conversionWorker() {
        return ConversionJvm.in(kilnHome(), thisJava(), currentClasspath());
    }

    /** The command line that runs {@code kiln ARGS} with this JVM and class path. */
    public List<String> cli(String... args) {
        List<String> argv = new ArrayList<>(List.of(javaExecutable, "-cp", classpath, "dev.kiln.magics.cli.Main"));
        argv.addAll(List.of(args));
        return argv;
    }

    public List<String> argv() {
        List<String> argv = new ArrayList<>();
        argv.add(javaExecutable);
        argv.addAll(JVM_OPTIONS);
        if (agentJar != null) {
            argv.add("-javaagent:" + agentJar);
        }
        if (sharedArchive != null) {
            argv.addAll(sharedArchive.runOptions());
        }
        zstdLibrary.ifPresent(library -> argv.add("-DZstdNativePath=" + library));
        argv.addAll(extraOptions);
        argv.add("-cp");
        argv.add(classpath);
        argv.add(KernelLauncher.class.getName());
        argv.add("{connection_file}");
        return argv;
    }

    public Map<String, Object> json() {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("argv", argv());
        spec.put("display_name", displayName());
        spec.put("language", "java");
        spec.put("interrupt_mode", "message");
        spec.put("metadata", Map.of("kiln_version", KilnVersion.get(), "debugger", false));
        return spec;
    }

    /**
     * Writes {@code kernels/NAME/kernel.json} and the agent jar beside it under {@code dataDir}
     * (atomically); returns the kernel's folder.
     */
    public Path install(Path dataDir) throws IOException {
        Path dir = dataDir.resolve("kernels").resolve(name);
        writeAgentJar(dir);
        AtomicFiles.write(dir.resolve("kernel.json"), READABLE_BY_ALL,
                out -> new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out, json()));
        return dir;
    }

    private void writeAgentJar(Path dir) throws IOException {
        agentJar = dir.resolve(ExitGuardAgent.JAR_NAME);
        AtomicFiles.write(agentJar, READABLE_BY_ALL, ExitGuardAgent::writeJar);
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
