package dev.kiln.magics.parquet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.magics.cli.CdsTraining;
import dev.kiln.magics.core.Progress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A single file's first chunks are read on another thread while its types are inferred (a
 * directory's files are not): the row groups and their order, so the file's bytes, are the same
 * as when the converter reads every chunk itself, on any number of threads. And the warm-up the
 * CLI runs before a conversion works (it swallows its faults, so a broken one would only be slow).
 */
class ChunksReadAheadTest {

    @TempDir
    Path dir;

    @Test
    @Timeout(180)
    void aFileReadAheadGivesTheBytesOfOneReadInTurnOnAnyNumberOfThreads() throws Exception {
        Path csv = dir.resolve("events.csv");
        CdsTraining.writeTrainingCsv(csv, 20_000); // about 2 MB: 32 chunks of 64 KiB
        Path alone = dir.resolve("in-a-directory");
        Files.createDirectories(alone);
        Files.copy(csv, alone.resolve("events.csv"));
        for (int threads : List.of(1, 2, 4)) {
            ConversionOptions o = ConversionOptions.defaults().withLayout(ConversionOptions.defaults().codec(), 64 << 10,
                    16 << 10, threads);
            Path single = dir.resolve("single-" + threads + ".parquet");
            ConversionReport r = new CsvToParquet(o, Progress.NONE).convert(csv, single);
            assertTrue(r.files().get(0).rowGroups() > 2 * threads, "more chunks than are read ahead: " + r.files().get(0).rowGroups());
            // a directory's files are read by their converters alone, chunk after chunk
            Path out = dir.resolve("dir-" + threads);
            new CsvToParquet(o, Progress.NONE).convert(alone, out);
            byte[] readAhead = Files.readAllBytes(single);
            byte[] inTurn = Files.readAllBytes(out.resolve("events.parquet"));
            assertEquals(20_000, r.rows());
            assertArrayEquals(inTurn, readAhead, threads + " threads: " + readAhead.length + " against " + inTurn.length + " bytes");
        }
        assertTrue(Arrays.equals(Files.readAllBytes(dir.resolve("single-1.parquet")), Files.readAllBytes(dir.resolve("single-4.parquet"))),
                "1 and 4 threads write the same file");
    }

    @Test
    @Timeout(60)
    void theWarmUpEncodesAndWritesAFileOfEveryColumnType() throws Exception {
        // every row taken (it throws otherwise), and a whole file written: magic, a row group of nine columns, footer
        long bytes = ConversionWarmUp.convertInMemory(400);
        assertTrue(bytes > 1_000, bytes + " bytes");
    }
}
