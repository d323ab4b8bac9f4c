package dev.kiln.magics.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
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

    /** Prints, a line each, the words of the command line of a conversion process started from this JVM. */
    public static final class Probe {
        public static void main(String[] args) {
            ConversionJvm.command("java", "cp", List.of()).forEach(System.out::println);
        }
    }
}
