package dev.kiln.magics.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.magics.core.Progress;
import dev.kiln.magics.core.Session;
import java.io.File;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import dev.kiln.magics.cli.ParquetCommand.Convert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What a kernel's conversion process starts with, from what the launcher left where Kiln is installed. */
class ConversionJvmTest {

    @TempDir
    Path home;

    private final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    @Test
    void withoutAnArchiveItStartsOnTheGivenClassPath() {
        List<String> argv = ConversionJvm.in(Optional.of(home), java, "a.jar:b.jar");
        assertEquals(List.of("a.jar:b.jar", ConversionWorker.class.getName()), argv.subList(argv.size() - 2, argv.size()));
        assertFalse(argv.stream().anyMatch(a -> a.startsWith("-XX:SharedArchiveFile") || a.startsWith("-XX:AOTCache")), argv.toString());
        assertEquals(List.of(java, "-D" + ConversionJvm.ROLE), argv.subList(0, 2), "named among its first words");
        assertTrue(argv.contains("-XX:TieredStopAtLevel=1"), "C1 alone, as a fresh CLI conversion");
    }

    @Test
    void theClisArchiveComesWithTheClassPathItWasWrittenWith() throws Exception {
        Files.writeString(home.resolve("cli.jsa"), "archive");
        Files.writeString(home.resolve("cli.classpath"), "/k/lib/a.jar:/k/lib/b.jar\n");
        List<String> argv = ConversionJvm.in(Optional.of(home), java, "fallback");
        assertTrue(argv.contains("-XX:SharedArchiveFile=" + home.resolve("cli.jsa")), argv.toString());
        assertEquals("/k/lib/a.jar:/k/lib/b.jar", argv.get(argv.indexOf("-cp") + 1));

        Files.delete(home.resolve("cli.classpath")); // an archive of an unknown class path would be refused: none
        List<String> without = ConversionJvm.in(Optional.of(home), java, "fallback");
        assertFalse(without.stream().anyMatch(a -> a.startsWith("-XX:SharedArchiveFile")), without.toString());
        assertEquals("fallback", without.get(without.indexOf("-cp") + 1));
    }

    @Test
    void theAotCacheServesOnlyTheJdkItWasTrainedOn() throws Exception {
        Files.writeString(home.resolve("cli.jsa"), "archive");
        Files.writeString(home.resolve("cli.classpath"), "/k/lib/a.jar");
        Files.writeString(home.resolve("parquet.aot"), "cache");
        Files.writeString(home.resolve("parquet.aot.jdk"), System.getProperty("java.home") + "\n");
        List<String> mine = ConversionJvm.in(Optional.of(home), java, "fallback");
        assertTrue(mine.contains("-XX:AOTCache=" + home.resolve("parquet.aot")), mine.toString());
        assertEquals(home.resolve("lib") + File.separator + "*", mine.get(mine.indexOf("-cp") + 1), "the class path it was trained with");

        Files.writeString(home.resolve("parquet.aot.jdk"), home.resolve("another-jdk").toString());
        List<String> other = ConversionJvm.in(Optional.of(home), java, "fallback");
        assertFalse(other.stream().anyMatch(a -> a.startsWith("-XX:AOTCache")), other.toString());
        assertTrue(other.contains("-XX:SharedArchiveFile=" + home.resolve("cli.jsa")), other.toString());
    }

    @Test
    void itTakesTheKernelsSystemPropertiesAndHeapLimitButNotItsOtherOptions() throws Exception {
        // a JVM started as a kernel is, printing the command line it would start its conversion process with
        Process p = new ProcessBuilder(java, "-Dkiln.log.level=info", "-Duser.timezone=Asia/Tokyo", "-Xmx300m",
                "-XX:+UseParallelGC", "-Xss2m", "-cp", System.getProperty("java.class.path"), Probe.class.getName())
                .redirectErrorStream(true).start();
        List<String> argv = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertEquals(0, p.waitFor(), argv.toString());
        for (String forwarded : List.of("-Dkiln.log.level=info", "-Duser.timezone=Asia/Tokyo", "-Xmx300m")) {
            assertTrue(argv.contains(forwarded), forwarded + " in " + argv);
        }
        for (String kept : List.of("-XX:+UseParallelGC", "-Xss2m")) {
            assertFalse(argv.contains(kept), kept + " stays the kernel's: " + argv);
        }
        assertTrue(argv.contains("-XX:+UseSerialGC"), argv.toString());
    }

    @Test
    @Timeout(300)
    void onTheJdkItsAotCacheWasTrainedOnAConversionProcessStartsFromIt() throws Exception {
        String java25 = jdk25().resolve("bin/java").toString();
        installKilnJarsIn(home.resolve("lib"));
        // trained as the kiln launcher trains it after a build
        Path csv = home.resolve("train.csv");
        CdsTraining.writeTrainingCsv(csv, 20_000);
        Process training = new ProcessBuilder(java25, "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED",
                "-XX:AOTCacheOutput=" + home.resolve("parquet.aot"), "-cp", home.resolve("lib") + File.separator + "*",
                CdsTraining.class.getName(), "parquet convert " + csv + " --to " + home.resolve("train.parquet"))
                .redirectErrorStream(true).redirectOutput(home.resolve("training.log").toFile()).start();
        assertEquals(0, training.waitFor(), Files.readString(home.resolve("training.log")));
        assertTrue(Files.isRegularFile(home.resolve("parquet.aot")), Files.readString(home.resolve("training.log")));
        Files.writeString(home.resolve("parquet.aot.jdk"), jdk25() + "\n");

        Path work = Files.createDirectories(home.resolve("work"));
        Files.writeString(work.resolve("small.csv"), "id,zip\n1,00501\n2,10001\n");
        try (ConversionProcess worker = new ConversionProcess(ConversionJvm.in(Optional.of(home), java25, "unused"))) {
            var report = worker.convert(work, List.of("--", "small.csv"), Convert.parse(session(work), List.of("small.csv")).options(),
                    List.of(work), Progress.NONE);
            assertEquals(2, report.rows());
            long pid = ProcessHandle.current().children().filter(h -> h.info().commandLine().orElse("").contains(ConversionJvm.ROLE))
                    .mapToLong(ProcessHandle::pid).findFirst().orElseThrow();
            assertTrue(Files.readString(Path.of("/proc", Long.toString(pid), "maps")).contains(home.resolve("parquet.aot").toString()),
                    "the conversion process maps the AOT cache");
        }
    }

    /** A JDK of 25 or later under /usr/lib/jvm, as the kiln launcher looks for one to train parquet.aot with. */
    private static Path jdk25() throws IOException {
        try (Stream<Path> jvms = Files.list(Path.of("/usr/lib/jvm"))) {
            Optional<Path> found = jvms.filter(j -> Files.isExecutable(j.resolve("bin/java")) && feature(j) >= 25).findFirst();
            assertTrue(found.isPresent(), "This test needs a JDK of 25 or later under /usr/lib/jvm (Temurin 25 is installed on these machines)");
            return found.get().toRealPath();
        }
    }

    private static int feature(Path jdk) {
        try {
            for (String line : Files.readAllLines(jdk.resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=")) {
                    return Integer.parseInt(line.substring("JAVA_VERSION=".length()).replace("\"", "").split("[.+-]")[0]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not a JDK
        }
        return 0;
    }

    /** This class path as an installed Kiln's lib/: its jars linked, its class folders (Kiln's own) as jars. */
    private static void installKilnJarsIn(Path lib) throws IOException {
        Files.createDirectories(lib);
        int folder = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (Files.isRegularFile(p) && entry.endsWith(".jar") && !Files.exists(lib.resolve(p.getFileName()))) {
                Files.createSymbolicLink(lib.resolve(p.getFileName()), p.toAbsolutePath());
            } else if (Files.isDirectory(p)) {
                try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(lib.resolve("classes-" + folder++ + ".jar")));
                     Stream<Path> files = Files.walk(p)) {
                    for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                        jar.putNextEntry(new JarEntry(p.relativize(f).toString().replace(File.separatorChar, '/')));
                        Files.copy(f, jar);
                        jar.closeEntry();
                    }
                }
            }
        }
    }

    private static Session session(Path dir) {
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        return new Session(dir, quiet, quiet, Progress.NONE, Map.of(), "kernel");
    }

    /** Prints, a line each, the words of the command line of a conversion process started from this JVM. */
    public static final class Probe {
        public static void main(String[] args) {
            ConversionJvm.command("java", "cp", List.of()).forEach(System.out::println);
        }
    }
}
