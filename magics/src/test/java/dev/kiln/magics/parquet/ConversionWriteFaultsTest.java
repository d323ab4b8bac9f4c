package dev.kiln.magics.parquet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.magics.core.Disk;
import dev.kiln.magics.core.Progress;
import dev.kiln.magics.core.UserError;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes that fail, on real file systems the test mounts (it runs as root, as CI does): a full
 * tmpfs, a read-only one, an input the kernel cannot read, an output under a file. Each is a
 * message naming what failed and where; nothing of the run is left, a previous output is untouched.
 */
@Timeout(300)
class ConversionWriteFaultsTest {

    @TempDir
    Path dir;

    private final List<Path> mounts = new ArrayList<>();

    /** A tmpfs of {@code size} at {@code dir/name}. */
    private Path mountTmpfs(String name, String size) throws Exception {
        Path at = Files.createDirectories(dir.resolve(name));
        sh("mount", "-t", "tmpfs", "-o", "size=" + size, "kiln-test", at.toString());
        mounts.add(at);
        return at;
    }

    /** Unmounts, lazily when a file is still open there (itself a failure: a file the converter left open). */
    @AfterEach
    void unmount() throws Exception {
        List<String> busy = new ArrayList<>();
        for (Path m : mounts) {
            if (run("umount", m.toString()) != 0) {
                busy.add(m.toString());
                run("umount", "-l", m.toString());
            }
        }
        assertEquals(List.of(), busy, "file systems still in use: a file was left open");
    }

    private static void sh(String... cmd) throws Exception {
        assertEquals(0, run(cmd), String.join(" ", cmd) + " failed (the test needs root)");
    }

    private static int run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), String.join(" ", cmd));
        return p.exitValue();
    }

    private static ConversionOptions opts() {
        return ConversionOptions.defaults().withLayout(CompressionCodecName.UNCOMPRESSED, 1 << 20, 64 << 10, 2);
    }

    /** About 14 MB of CSV whose Parquet, uncompressed, cannot be smaller than 10 MB: random text and numbers. */
    private Path incompressible(Path file, int rows) throws IOException {
        SplittableRandom rnd = new SplittableRandom(7);
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("id,token,value\n");
            for (int i = 0; i < rows; i++) {
                w.write(i + "," + Long.toHexString(rnd.nextLong()) + Long.toHexString(rnd.nextLong()) + "," + rnd.nextLong() + "\n");
            }
        }
        return file;
    }

    private static Map<String, byte[]> contents(Path root) throws IOException {
        Map<String, byte[]> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                m.put(root.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return m;
    }

    private static List<String> names(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aFullDiskIsNamedWithTheBytesWrittenAndNeededAndThePreviousOutputStays() throws Exception {
        Path small = mountTmpfs("small", "4m");
        Path csv = Files.writeString(dir.resolve("few.csv"), "id,token,value\n1,a,2\n");
        Path out = small.resolve("out.parquet");
        new CsvToParquet(opts(), Progress.NONE).convert(csv, out);
        byte[] before = Files.readAllBytes(out);
        long freeBefore = Disk.of(small).usableBytes();

        Path big = incompressible(dir.resolve("big.csv"), 300_000);
        WriteFailure f = assertThrows(WriteFailure.class, () -> new CsvToParquet(opts(), Progress.NONE).convert(big, out));
        assertTrue(f.diskFull(), f.getMessage());
        assertEquals(small.toString(), f.disk().mountPoint());
        assertEquals("kiln-test", f.disk().device());
        assertTrue(f.writtenBytes() > 2 << 20 && f.writtenBytes() <= 4 << 20, "written: " + f.writtenBytes());
        long whole = Files.size(new CsvToParquet(opts(), Progress.NONE).convert(big, dir.resolve("whole.parquet")).output());
        assertEquals(whole, f.neededBytes(), whole * 0.05, "the bytes needed, estimated from the row groups written");
        assertEquals(freeBefore, f.disk().usableBytes(), "the partial output's space is given back");
        assertArrayEquals(before, Files.readAllBytes(out), "the previous output is untouched");
        assertEquals(List.of("out.parquet"), names(small));

        // the CLI says it in a message and exit code 1, with no stack trace
        CliProcess.Outcome o = CliProcess.run(dir, List.of("-Xmx256m"),
                List.of("parquet", "convert", "big.csv", "--to", out.toString(), "--codec", "none"), 240);
        assertEquals(1, o.exit(), o.output());
        assertTrue(o.output().contains("Cannot write " + out + ": the disk " + small + " (kiln-test) is full."), o.output());
        assertFalse(o.output().contains("\tat ") || o.output().contains("internal error"), o.output());
        assertArrayEquals(before, Files.readAllBytes(out));
        assertEquals(List.of("out.parquet"), names(small));
    }

    @Test
    void aDirectoryConvertedOntoAFullDiskKeepsThePreviousDirectory() throws Exception {
        Path small = mountTmpfs("small", "3m");
        Path in = Files.createDirectories(dir.resolve("in"));
        Files.writeString(in.resolve("a.csv"), "id,token,value\n1,a,2\n");
        Files.writeString(in.resolve("b.csv"), "id,token,value\n3,b,4\n");
        Path pq = small.resolve("pq");
        new CsvToParquet(opts(), Progress.NONE).convert(in, pq);
        Map<String, byte[]> before = contents(pq);
        assertEquals(2, before.size());

        incompressible(in.resolve("c.csv"), 200_000);
        WriteFailure f = assertThrows(WriteFailure.class, () -> new CsvToParquet(opts(), Progress.NONE).convert(in, pq));
        assertTrue(f.diskFull(), f.getMessage());
        Map<String, byte[]> after = contents(pq);
        assertEquals(before.keySet(), after.keySet());
        before.forEach((k, v) -> assertArrayEquals(v, after.get(k), k));
        assertEquals(List.of("pq"), names(small));
    }

    @Test
    void aReadOnlyDiskIsNamedAndNothingIsCreated() throws Exception {
        Path ro = mountTmpfs("ro", "1m");
        sh("mount", "-o", "remount,ro", ro.toString());
        Path csv = Files.writeString(dir.resolve("few.csv"), "a,b\n1,2\n");
        for (Path out : List.of(ro.resolve("out.parquet"), ro.resolve("sub/out.parquet"))) {
            WriteFailure f = assertThrows(WriteFailure.class, () -> new CsvToParquet(opts(), Progress.NONE).convert(csv, out));
            assertFalse(f.diskFull(), f.getMessage());
            assertEquals(ro.toString(), f.disk().mountPoint());
            assertTrue(f.getMessage().startsWith("Cannot write " + out + ": Read-only file system (on " + ro + " (kiln-test))."),
                    f.getMessage());
        }
        assertEquals(List.of(), names(ro));
    }

    /** Reading /proc/self/mem from its start fails in the kernel with EIO: a real read error. */
    @Test
    void anInputTheSystemCannotReadIsAMessage() {
        Path mem = Path.of("/proc/self/mem");
        UserError e = assertThrows(UserError.class, () -> new CsvToParquet(opts(), Progress.NONE).convert(mem, dir.resolve("mem.parquet")));
        assertTrue(e.getMessage().startsWith("Cannot read /proc/self/mem: Input/output error."), e.getMessage());
        assertFalse(Files.exists(dir.resolve("mem.parquet")));
    }

    @Test
    void anOutputUnderAFileIsRefusedAndDirectoriesMadeForAFailedRunAreRemoved() throws Exception {
        Path csv = Files.writeString(dir.resolve("in.csv"), "a,b\n1,2\n");
        Files.writeString(dir.resolve("afile"), "x");
        UserError e = assertThrows(UserError.class, () -> new CsvToParquet(opts(), Progress.NONE).convert(csv,
                dir.resolve("afile/sub/out.parquet")));
        assertTrue(e.getMessage().startsWith("Cannot write into " + dir.resolve("afile/sub") + ": " + dir.resolve("afile")
                + " is a file, not a directory."), e.getMessage());

        Path ragged = Files.writeString(dir.resolve("ragged.csv"), "a,b\n1,2\n3\n");
        assertThrows(UserError.class, () -> new CsvToParquet(opts(), Progress.NONE).convert(ragged, dir.resolve("new/deep/out.parquet")));
        assertEquals(List.of("afile", "in.csv", "ragged.csv"), names(dir), "no directory made for the failed output is left");
    }
}
