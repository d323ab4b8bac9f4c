package dev.kiln.magics.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.magics.core.Progress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Headers wider than the type sample, and more columns than the heap can encode. */
class WideCsvTest {

    @TempDir
    Path dir;

    /** The sample that infers types used to cut a header longer than itself: every row then had too many fields. */
    @Test
    void aHeaderLongerThanTheTypeSampleIsReadWhole() throws Exception {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            names.add("column_" + i + "_" + "x".repeat(1000));
        }
        Files.writeString(dir.resolve("wide.csv"), String.join(",", names) + "\n" + "1,".repeat(1999) + "2\n");
        ConversionOptions o = ConversionOptions.defaults().withLayout(CompressionCodecName.ZSTD, 16L << 20, 1 << 20, 2)
                .withTypes(java.util.Map.of(), 100, ConversionOptions.TypeMismatch.WIDEN);
        ConversionReport r = new CsvToParquet(o, Progress.NONE).convert(dir.resolve("wide.csv"), dir.resolve("wide.parquet"));
        assertEquals(1, r.rows());
        assertEquals(names, new ArrayList<>(r.schema().keySet()));
        assertEquals(2, Parquet.read(dir.resolve("wide.parquet"), names.get(1999)).intColumn(0).get(0));
    }

    /** parquet-java's column writers take tens of kilobytes each: 30,000 columns in 128 MB of heap is a message, not a crash. */
    @Test
    @Timeout(300)
    void moreColumnsThanTheHeapCanEncodeIsAMessage() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 30_000; i++) {
            sb.append(i == 0 ? "" : ",").append('c').append(i);
        }
        sb.append('\n').append("1,".repeat(29_999)).append("1\n");
        Files.writeString(dir.resolve("w.csv"), sb);
        CliProcess.Outcome o = CliProcess.run(dir, List.of("-Xmx128m", "-XX:+UseSerialGC"),
                List.of("parquet", "convert", "w.csv", "--threads", "1"), 240);
        assertEquals(1, o.exit(), o.output());
        assertTrue(o.output().matches("(?s).*Converting " + java.util.regex.Pattern.quote(dir.resolve("w.csv").toString())
                + " ran out of memory \\(1[0-9][0-9] MiB of heap\\) with 30000 columns on 1 thread\\..*"), o.output());
        assertFalse(o.output().contains("\tat "), o.output());
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of("w.csv"), s.map(p -> p.getFileName().toString()).toList());
        }
    }
}
