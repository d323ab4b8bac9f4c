package dev.kiln.magics.cli;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The command line of a kernel's conversion process ({@link ConversionProcess}): the options of a
 * fresh {@code kiln parquet convert} (C1 alone), what makes it start fast where Kiln is installed,
 * and this JVM's system properties and heap limits (a kernel started with
 * {@code --jvm-option=-Xmx8g} converts with 8 GB).
 */
public final class ConversionJvm {

    /** What a conversion process's command line says it is: {@code ps} shows it among the first words. */
    public static final String ROLE = "kiln.process=parquet-convert";

    private ConversionJvm() {
    }

    /**
     * The command line on {@code java} for Kiln installed in {@code home} (the folder of {@code lib/}
     * with Kiln's jars), starting from what {@code scripts/cli-archive} and the {@code kiln} launcher
     * made there: on the JDK the launcher trained {@code parquet.aot} with (Java 25+), that AOT cache;
     * else the CLI's class archive {@code cli.jsa} with the class path it was written with
     * ({@code cli.classpath}); else {@code fallbackClasspath} alone.
     */
    public static List<String> in(Optional<Path> home, String java, String fallbackClasspath) {
        if (home.isPresent()) {
            Path h = home.get();
            Path aot = h.resolve("parquet.aot");
            if (Files.isRegularFile(aot) && sameFile(read(h.resolve("parquet.aot.jdk")), jdkOf(java))) {
                return command(java, h.resolve("lib") + File.separator + "*",
                        List.of("-XX:AOTCache=" + aot, "--enable-native-access=ALL-UNNAMED"));
            }
            Path archive = h.resolve("cli.jsa");
            Optional<String> classpath = read(h.resolve("cli.classpath"));
            // Java 17 crashed mapping the archive's picocli classes in a JVM with an agent
            String inherited = System.getenv().getOrDefault("JAVA_TOOL_OPTIONS", "") + " "
                    + System.getenv().getOrDefault("JDK_JAVA_OPTIONS", "");
            if (Files.isRegularFile(archive) && classpath.isPresent() && !inherited.contains("-javaagent")) {
                return command(java, classpath.get(), List.of("-Xshare:auto", "-XX:SharedArchiveFile=" + archive, "-Xlog:cds*=off"));
            }
        }
        return command(java, fallbackClasspath, List.of());
    }

    /** The command line on {@code java} and {@code classpath}, with {@code archive}'s options (none: no archive). */
    public static List<String> command(String java, String classpath, List<String> archive) {
        // named first: a process's listing (ps, /proc) may stop before the class path ends
        // (no -Xshare option here: Java 25 refuses one beside -XX:AOTCache)
        // the JVM's own log on standard error: it writes warnings (a stale AOT cache's) to standard output, the protocol's
        List<String> argv = new ArrayList<>(List.of(java, "-D" + ROLE, "-Xlog:disable", "-Xlog:all=warning:stderr",
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:PretenureSizeThreshold=1m"));
        argv.addAll(archive);
        for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if ((option.startsWith("-D") && !option.equals("-D" + ROLE)) || option.startsWith("-Xmx") || option.startsWith("-XX:MaxRAM")) {
                argv.add(option);
            }
        }
        argv.addAll(List.of("-cp", classpath, ConversionWorker.class.getName()));
        return argv;
    }

    /** The JDK folder of a java executable, its links followed. */
    private static Optional<String> jdkOf(String java) {
        try {
            Path bin = Path.of(java).toRealPath().getParent();
            return Optional.ofNullable(bin == null ? null : bin.getParent()).map(Path::toString);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static boolean sameFile(Optional<String> a, Optional<String> b) {
        if (a.isEmpty() || b.isEmpty()) {
            return false;
        }
        try {
            return Files.isSameFile(Path.of(a.get()), Path.of(b.get()));
        } catch (IOException e) {
            return false;
        }
    }

    private static Optional<String> read(Path file) {
        try {
            return Files.isRegularFile(file) ? Optional.of(Files.readString(file).strip()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
