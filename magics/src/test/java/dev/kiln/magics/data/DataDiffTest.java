package dev.kiln.magics.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.magics.core.Result;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kiln data diff} tells rows and schema of the tables that changed, CSV and Parquet. */
class DataDiffTest {

    @TempDir
    Path tmp;

    @Test
    void parquetChangesShowRowsAndTypedColumns() throws Exception {
        DataProjects.Project p = new DataProjects(tmp, Map.of()).project("a");
        p.write("data/raw/climate/jan.csv", "station,date,tmax\nA,2024-01-01,3\nB,2024-01-01,4\n");
        p.run("data add data/raw/climate");
        p.run("parquet convert data/raw/climate --to data/parquet/climate");
        String v1 = LockFile.read(p.dir()).get("climate-parquet").version();

        // more rows, tmax becomes decimal, a column added and one dropped
        p.write("data/raw/climate/jan.csv", "station,tmax,rain\nA,3.5,0\nB,4.25,1\nC,1.5,0\nD,2.0,7\n");
        p.run("data add data/raw/climate");
        p.run("parquet convert data/raw/climate --to data/parquet/climate");
        String v2 = LockFile.read(p.dir()).get("climate-parquet").version();

        Result diff = p.run("data diff climate-parquet@" + v1.substring(0, 12) + " climate-parquet@" + v2.substring(0, 12));
        String line = diff.text().lines().filter(l -> l.contains(".parquet")).findFirst().orElseThrow(
                () -> new AssertionError(diff.text()));
        assertTrue(line.contains("rows 2 → 4 (+2)"), line);
        assertTrue(line.contains("tmax int32 → double"), line);
        assertTrue(line.contains("+rain int32"), line);
        assertTrue(line.contains("-date"), line);

        Result same = p.run("data diff climate-parquet@" + v2.substring(0, 12));
        assertTrue(same.text().contains("no changes") || same.text().lines().noneMatch(l -> l.contains(".parquet")),
                same.text());
    }

    @Test
    void csvRecordsAreCountedWithQuotedLineBreaksAndHeaderCommas() throws Exception {
        Path f = Files.writeString(tmp.resolve("t.csv"),
                "id,\"name, full\",note\r\n1,\"Ada\",\"line one\nline two\"\r\n2,Bob,\"said \"\"hi\"\"\"\r\n\r\n");
        TableSummary s = TableSummary.of(f, "t.csv");
        assertEquals(2, s.rows());
        assertEquals(List.of("id", "name, full", "note"), List.copyOf(s.columns().keySet()));

        Path gz = tmp.resolve("t.csv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write("a,b\n1,2\n3,4\n5,6".getBytes(StandardCharsets.UTF_8));
        }
        TableSummary g = TableSummary.of(gz, "t.csv.gz");
        assertEquals(3, g.rows(), "the last record has no line break");
        assertEquals("rows 2 → 3 (+1), columns +a, +b, -id, -name, full, -note", TableSummary.describe(s, g));

        Path broken = Files.write(tmp.resolve("x.parquet"), new byte[] {1, 2, 3});
        assertNull(TableSummary.of(broken, "x.parquet"), "not a Parquet file: no summary, no failure");
    }
}
