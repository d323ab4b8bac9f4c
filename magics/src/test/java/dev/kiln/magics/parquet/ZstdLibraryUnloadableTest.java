package dev.kiln.magics.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * zstd-jni unpacks its native library into the temporary directory: where that directory is
 * missing, a zstd conversion in a fresh JVM ends as a user's error that names the directory and
 * the way out (exit code 1, no Java frames, which in a kernel would end the cell's thread), and
 * leaves no file behind.
 */
@Timeout(300)
class ZstdLibraryUnloadableTest {

    @TempDir
    Path dir;

    @Test
    void aZstdLibraryThatCannotBeUnpackedIsAUsersErrorNamingTheDirectory() throws Exception {
        Files.writeString(dir.resolve("in.csv"), "id,name,amount\n1,a,2.5\n2,b,\n3,\"c, d\",7.25\n");
        Path noTmp = dir.resolve("no-such-dir");

        CliProcess.Outcome run = CliProcess.run(dir, List.of("-Djava.io.tmpdir=" + noTmp),
                List.of("parquet", "convert", "in.csv", "--to", "out.parquet", "--codec", "zstd"), 120);

        assertEquals(1, run.exit(), run.output());
        assertFalse(run.output().contains("\tat "), "no Java frames: " + run.output());
        assertTrue(run.output().contains("Cannot unpack libzstd-jni"), "zstd-jni's own reason: " + run.output());
        assertTrue(run.output().contains(noTmp.toString()), "the directory: " + run.output());
        assertTrue(run.output().contains("--codec"), "another codec as a way out: " + run.output());
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of("in.csv"), left.map(p -> p.getFileName().toString()).sorted().toList(), "nothing left behind");
        }
        // the other codecs need no unpacked library
        CliProcess.Outcome gzip = CliProcess.run(dir, List.of("-Djava.io.tmpdir=" + noTmp),
                List.of("parquet", "convert", "in.csv", "--to", "out.parquet", "--codec", "gzip"), 120);
        assertEquals(0, gzip.exit(), gzip.output());
        assertEquals(3, Parquet.read(dir.resolve("out.parquet")).rowCount());
    }
}
