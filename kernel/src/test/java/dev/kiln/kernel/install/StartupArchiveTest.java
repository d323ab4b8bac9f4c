package dev.kiln.kernel.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archive {@code kiln kernel install} trains for the kernel's start: an AOT cache on Java 25, a
 * CDS archive on Java 17, each used by the kernel's JVM as the kernelspec starts it (the JVM is
 * told to refuse to start without it), and a stale one ignored without a word from the JVM.
 */
class StartupArchiveTest {

    @TempDir
    Path tmp;

    @Test
    @Timeout(300)
    void java25KernelMapsItsAotCacheAndStartsWithoutItWhenStale() throws Exception {
        Path dir = installWithArchive(Jdk20OrLater.java());
        assertTrue(Files.isRegularFile(dir.resolve("kiln.aot")), "the AOT cache is there");
        assertEquals(0, leftovers(dir), "no temporary file left beside it");
        assertEquals(2, usageExit(dir, "-XX:AOTMode=on").exit(), "the kernel's JVM can use its AOT cache");

        Files.write(dir.resolve("kiln.aot"), "not a cache".getBytes(StandardCharsets.UTF_8));
        Run stale = usageExit(dir);
        assertEquals(2, stale.exit(), stale.output());
        assertFalse(stale.output().contains("[error]") || stale.output().contains("[warning]"), stale.output());
    }

    @Test
    @Timeout(300)
    void java17KernelMapsItsCdsArchiveAndStartsWithoutItWhenStale() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path dir = installWithArchive(java);
        assertTrue(Files.isRegularFile(dir.resolve("kiln.jsa")), "the CDS archive is there");
        assertEquals(0, leftovers(dir), "no temporary file left beside it");
        assertEquals(2, usageExit(dir, "-Xshare:on").exit(), "the kernel's JVM can use its CDS archive");

        Files.write(dir.resolve("kiln.jsa"), "not an archive".getBytes(StandardCharsets.UTF_8));
        Run stale = usageExit(dir);
        assertEquals(2, stale.exit(), stale.output());
        assertFalse(stale.output().contains("[error]") || stale.output().contains("[warning]"), stale.output());
    }

    /**
     * A jar added to Kiln's lib folder (an update with a new dependency) makes the archive stale: the
     * kernel still starts without a word from the JVM, and the next install trains a new archive.
     */
    @Test
    @Timeout(300)
    void java17KernelStartsQuietlyWhenItsJarsChangedAndTheNextInstallRetrains() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path dir = installWithArchive(java);
        long trained = Files.getLastModifiedTime(dir.resolve("kiln.jsa")).toMillis();
        Path extra = tmp.resolve("kiln/lib/zz-added.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(extra))) {
            out.putNextEntry(new JarEntry("added.txt"));
            out.closeEntry();
        }

        Run stale = usageExit(dir);
        assertEquals(2, stale.exit(), stale.output());
        assertEquals("", warnings(stale.output()), stale.output());

        Thread.sleep(10); // a retrained archive has a later time
        reinstall(java);
        assertTrue(Files.getLastModifiedTime(dir.resolve("kiln.jsa")).toMillis() > trained, "the archive was trained again");
        assertEquals(2, usageExit(dir, "-Xshare:on").exit(), "the new archive maps with the added jar");
    }

    @Test
    @Timeout(300)
    void java25KernelStartsQuietlyWhenItsJarsChanged() throws Exception {
        Path dir = installWithArchive(Jdk20OrLater.java());
        Path extra = tmp.resolve("kiln/lib/zz-added.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(extra))) {
            out.putNextEntry(new JarEntry("added.txt"));
            out.closeEntry();
        }
        Run stale = usageExit(dir);
        assertEquals(2, stale.exit(), stale.output());
        assertEquals("", warnings(stale.output()), stale.output());
    }

    /** The JVM's own log lines of level warning or error in a process's output. */
    private static String warnings(String output) {
        return output.lines().filter(l -> l.matches("\\[[^]]*\\]\\[(warning|error)\\].*")).collect(java.util.stream.Collectors.joining("\n"));
    }

    private void reinstall(Path java) throws IOException {
        new KernelSpec(java.toString(), tmp.resolve("kiln/lib") + "/*", List.of())
                .installWithSharedArchive(tmp.resolve("share/jupyter"), new PrintStream(OutputStream.nullOutputStream()));
    }

    /** Installs the kernelspec for {@code java} on a lib folder of jars (what CDS and AOT caches archive from). */
    private Path installWithArchive(Path java) throws IOException {
        Path lib = Files.createDirectories(tmp.resolve("kiln/lib"));
        int n = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (Files.isDirectory(p)) {
                jar(p, lib.resolve("classes-" + n++ + ".jar"));
            } else if (Files.isRegularFile(p)) {
                Files.createSymbolicLink(lib.resolve(n++ + "-" + p.getFileName()), p.toAbsolutePath());
            }
        }
        KernelSpec spec = new KernelSpec(java.toString(), lib + "/*", List.of());
        return spec.installWithSharedArchive(tmp.resolve("share/jupyter"), new PrintStream(OutputStream.nullOutputStream()));
    }

    private static void jar(Path classes, Path jar) throws IOException {
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)); Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, out);
                out.closeEntry();
            }
        }
    }

    private static long leftovers(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".tmp") || f.getFileName().toString().endsWith(".config")).count();
        }
    }

    record Run(int exit, String output) {
    }

    /** Runs the kernelspec's argv without a connection file (the kernel prints its usage, exits 2), {@code extra} before -cp. */
    private static Run usageExit(Path dir, String... extra) throws Exception {
        List<String> argv = new ArrayList<>();
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(dir.resolve("kernel.json").toFile())
                .get("argv").forEach(a -> argv.add(a.asText()));
        argv.remove("{connection_file}");
        argv.addAll(argv.indexOf("-cp"), List.of(extra));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Run(p.exitValue(), out);
    }
}
