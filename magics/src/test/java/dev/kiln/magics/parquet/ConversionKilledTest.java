package dev.kiln.magics.parquet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.magics.core.Progress;
import dev.kiln.magics.core.TempFiles;
import dev.kiln.magics.core.UserError;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A conversion killed with SIGKILL leaves its temporary Parquet file behind (nothing can stop
 * that); the next conversion into the same directory removes it, and the leftovers of any other
 * dead process, but not the temporary files of one still running.
 */
@Timeout(300)
class ConversionKilledTest {

    @TempDir
    Path dir;

    private static ConversionOptions opts() {
        return ConversionOptions.defaults().withLayout(CompressionCodecName.ZSTD, 1 << 20, 64 << 10, 1);
    }

    private List<String> names(Path d) throws Exception {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** The process id of a process that has ended. */
    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return p.pid();
    }

    @Test
    void aKilledConversionsTemporaryFileIsRemovedByTheNextConversionThere() throws Exception {
        Path out = Files.createDirectories(dir.resolve("out"));
        Path target = out.resolve("big.parquet");
        Files.writeString(dir.resolve("small.csv"), "id,word,value\n1,a,0.5\n");
        new CsvToParquet(opts(), Progress.NONE).convert(dir.resolve("small.csv"), target);
        byte[] previous = Files.readAllBytes(target);

        Path big = dir.resolve("big.csv");
        try (BufferedWriter w = Files.newBufferedWriter(big, StandardCharsets.UTF_8)) {
            w.write("id,word,value\n");
            for (int i = 0; i < 2_000_000; i++) {
                w.write(i + ",word" + (i % 1000) + "," + (i * 0.25) + "\n");
            }
        }
        Process child = CliProcess.start(dir, List.of("-Xmx256m"), List.of("parquet", "convert", "big.csv", "--to", target.toString(),
                "--threads", "1", "--row-group-size", "1MiB"), dir.resolve("child.log"));
        // kill it once its temporary output holds a row group
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        Path partial = null;
        while (partial == null && child.isAlive() && System.nanoTime() < deadline) {
            try (Stream<Path> s = Files.list(out)) {
                partial = s.filter(p -> p.getFileName().toString().startsWith(".")).filter(p -> p.toFile().length() > 1 << 16)
                        .findFirst().orElse(null);
            }
            Thread.sleep(2);
        }
        child.destroyForcibly(); // SIGKILL
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        assertTrue(partial != null, "the child never wrote a row group: " + Files.readString(dir.resolve("child.log")));
        assertEquals(137, child.exitValue(), "killed mid-way by SIGKILL: " + Files.readString(dir.resolve("child.log")));
        assertTrue(Files.exists(partial), "the killed conversion left its temporary file: " + partial);
        assertArrayEquals(previous, Files.readAllBytes(target), "the previous output is untouched");

        ConversionReport r = new CsvToParquet(opts(), Progress.NONE).convert(big, target);
        assertEquals(2_000_000, r.rows());
        assertEquals(List.of("big.parquet"), names(out), "the leftover is gone");
        assertEquals(2_000_000, Parquet.read(target, "id").rowCount());
    }

    @Test
    void leftoversOfDeadProcessesGoThoseOfLiveOnesStayAndASetAsideOutputComesBack() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        Files.writeString(in.resolve("a.csv"), "id\n1\n");
        Path pq = dir.resolve("pq");
        long dead = deadPid();
        long live = ProcessHandle.current().pid();
        Path deadFile = Files.writeString(dir.resolve(TempFiles.MARK + dead + "-00c0ffee-other.parquet"), "partial");
        Path deadDir = Files.createDirectories(dir.resolve(TempFiles.MARK + dead + "-00000001-pq"));
        Files.writeString(deadDir.resolve("a.parquet"), "partial");
        Path liveFile = Files.writeString(dir.resolve(TempFiles.MARK + live + "-00000002-pq"), "being written");
        // a directory output set aside by a process killed before the new one took its place
        Path setAside = Files.createDirectories(dir.resolve(TempFiles.MARK + dead + "-00000003-pq.kiln-old"));
        Files.writeString(setAside.resolve("a.parquet"), "the previous output");

        // a conversion that fails still cleans up, and brings the previous output back
        Files.writeString(in.resolve("a.csv"), "id,b\n1\n");
        assertThrows(UserError.class, () -> new CsvToParquet(opts(), Progress.NONE).convert(in, pq));
        assertEquals(List.of(liveFile.getFileName().toString(), "in", "pq"), names(dir));
        assertEquals("the previous output", Files.readString(pq.resolve("a.parquet")));
        assertFalse(Files.exists(deadFile) || Files.exists(deadDir));

        Files.writeString(in.resolve("a.csv"), "id,b\n1,2\n");
        new CsvToParquet(opts(), Progress.NONE).convert(in, pq);
        assertEquals(List.of(liveFile.getFileName().toString(), "in", "pq"), names(dir));
        assertEquals(1, Parquet.read(pq.resolve("a.parquet")).rowCount());
    }
}
