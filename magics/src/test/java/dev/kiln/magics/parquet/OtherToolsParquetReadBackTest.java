package dev.kiln.magics.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.magics.cli.CommandRunner;
import dev.kiln.magics.core.Progress;
import dev.kiln.magics.core.Result;
import dev.kiln.magics.core.Session;
import dev.kiln.magics.core.UserError;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tech.tablesaw.api.Table;

/**
 * Parquet that another tool wrote, here DuckDB in the test itself, reads back in
 * {@link Parquet#read} and {@code parquet show} with its values intact and readable: logical types,
 * nested lists, structs and maps, dictionary and delta encodings, every codec DuckDB writes.
 * Timestamps are checked to the millisecond: a Tablesaw date-time holds no finer.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class OtherToolsParquetReadBackTest {

    @TempDir
    Path dir;

    private static final int ROWS = 10_000;

    /** Every row's values follow from its index i, so each can be checked. */
    private static final String TABLE = """
            SELECT
              i::INTEGER AS i,
              (i * 1000000007)::BIGINT AS big,
              (i % 100)::TINYINT AS tiny,
              (i % 60000)::USMALLINT AS ushort,
              (18446744073709500000 + i)::UBIGINT AS ubig,
              (i / 4)::FLOAT AS f,
              (i / 8)::DOUBLE AS d,
              ((i % 100) / 100)::DECIMAL(4,2) AS dec4,
              (i / 100)::DECIMAL(18,2) AS dec18,
              ('12345678901234567890.' || lpad((i % 100)::VARCHAR, 2, '0'))::DECIMAL(38,2) AS dec38,
              DATE '2024-01-01' + i::INTEGER AS day,
              TIMESTAMP '2024-01-01 00:00:00' + to_seconds(i) + to_milliseconds(i) AS ts,
              TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_seconds(i) AS tstz,
              TIME '00:00:00' + to_seconds(i % 86400) AS tm,
              ('00000000-0000-0000-0000-' || lpad(i::VARCHAR, 12, '0'))::UUID AS id,
              'cat' || (i % 5) AS cat,
              'row ' || i || ' "quoted", ünïcode' AS label,
              [i, i + 1] AS list,
              {'a': i, 'b': 'x' || i, 'c': [i]} AS struct,
              MAP {'k': i} AS m,
              '\\xAA\\xBB'::BLOB AS blob,
              to_days((i % 30)::INTEGER) + to_milliseconds(1500) AS span,
              CASE WHEN i % 7 = 0 THEN NULL ELSE i::INTEGER END AS maybe
            FROM range(ROWS) r(i)
            """.replace("ROWS", String.valueOf(ROWS));

    private Path write(String codec, String version) throws Exception {
        Path f = dir.resolve("duck-" + codec + "-" + version + ".parquet");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            st.execute("SET TimeZone = 'UTC'");
            st.execute("COPY (" + TABLE + ") TO '" + f + "' (FORMAT parquet, COMPRESSION " + codec + ", PARQUET_VERSION " + version
                    + ", ROW_GROUP_SIZE 3000)");
        }
        return f;
    }

    @ParameterizedTest(name = "{0}, {1}")
    @CsvSource({"zstd, V2", "snappy, V1", "gzip, V2", "lz4, V1", "uncompressed, V2", "zstd, V1"})
    void everyLogicalTypeAndNestedValueReadsBack(String codec, String version) throws Exception {
        Table t = Parquet.read(write(codec, version));
        assertEquals(ROWS, t.rowCount());
        for (int i : new int[] {0, 1, 7, 2999, 3000, 5001, ROWS - 1}) {
            String row = "row " + i;
            assertEquals(i, t.intColumn("i").get(i), row);
            assertEquals(i * 1_000_000_007L, t.longColumn("big").get(i), row);
            assertEquals(i % 100, t.intColumn("tiny").get(i), row);
            assertEquals(i % 60000, t.intColumn("ushort").get(i), row);
            assertEquals(Long.toUnsignedString(-51616L + i), t.stringColumn("ubig").get(i), row);
            assertEquals(i / 4f, t.floatColumn("f").get(i), row);
            assertEquals(i / 8.0, t.doubleColumn("d").get(i), row);
            assertEquals((i % 100) / 100.0, t.doubleColumn("dec4").get(i), row);
            assertEquals(i / 100.0, t.doubleColumn("dec18").get(i), row);
            assertEquals("12345678901234567890." + String.format("%02d", i % 100), t.stringColumn("dec38").get(i), row);
            assertEquals(LocalDate.of(2024, 1, 1).plusDays(i), t.dateColumn("day").get(i), row);
            assertEquals(LocalDateTime.of(2024, 1, 1, 0, 0).plusSeconds(i).plusNanos(i * 1_000_000L), t.dateTimeColumn("ts").get(i), row);
            assertEquals(LocalDateTime.of(2024, 1, 1, 0, 0).plusSeconds(i), t.dateTimeColumn("tstz").get(i), row);
            assertEquals(LocalTime.ofSecondOfDay(i % 86400), t.timeColumn("tm").get(i), row);
            assertEquals(String.format("00000000-0000-0000-0000-%012d", i), t.stringColumn("id").get(i), row);
            assertEquals("cat" + i % 5, t.stringColumn("cat").get(i), row);
            assertEquals("row " + i + " \"quoted\", ünïcode", t.stringColumn("label").get(i), row);
            assertEquals("[" + i + ", " + (i + 1) + "]", t.stringColumn("list").get(i), row);
            assertEquals("{\"a\": " + i + ", \"b\": \"x" + i + "\", \"c\": [" + i + "]}", t.stringColumn("struct").get(i), row);
            assertEquals("{\"k\": " + i + "}", t.stringColumn("m").get(i), row);
            assertEquals("\\xAA\\xBB", t.stringColumn("blob").get(i), row);
            assertEquals("P0M" + i % 30 + "DT1.5S", t.stringColumn("span").get(i), row);
            if (i % 7 == 0) {
                assertTrue(t.intColumn("maybe").isMissing(i), row);
            } else {
                assertEquals(i, t.intColumn("maybe").get(i), row);
            }
        }
    }

    @Test
    void chosenColumnsReadOnlyThoseIncludingNestedOnes() throws Exception {
        Table t = Parquet.read(write("zstd", "V2"), "struct", "i", "list");
        assertEquals(List.of("struct", "i", "list"), t.columnNames());
        assertEquals("[5, 6]", t.stringColumn("list").get(5));
        assertEquals(5, t.intColumn("i").get(5));
    }

    @Test
    void showNamesEveryTypeAndSizesNestedColumns() throws Exception {
        Path f = write("snappy", "V2");
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        Result r = new CommandRunner(new Session(dir, quiet, quiet, Progress.NONE, Map.of(), "test"))
                .run(List.of("parquet", "show", f.getFileName().toString()));
        assertTrue(r.text().contains("10,000 rows"), r.text());
        ParquetSummary s = ParquetSummary.of(f);
        Map<String, String> types = s.columns().stream().collect(Collectors.toMap(ParquetSummary.ColumnSummary::name,
                ParquetSummary.ColumnSummary::type));
        assertEquals("uint64", types.get("ubig"));
        assertEquals("decimal(38,2)", types.get("dec38"));
        assertEquals("uuid", types.get("id"));
        assertEquals("interval", types.get("span"));
        assertEquals("time", types.get("tm"));
        assertEquals("timestamp (UTC)", types.get("tstz"));
        assertEquals("list<int64>", types.get("list"));
        assertEquals("struct<a int64, b string, c list<int64>>", types.get("struct"));
        assertEquals("map<string, int64>", types.get("m"));
        for (ParquetSummary.ColumnSummary c : s.columns()) {
            assertTrue(c.compressedBytes() > 0, c.name() + " has bytes");
        }
    }

    @Test
    void aCodecKilnCannotReadIsAClearErrorAndShowStillWorks() throws Exception {
        Path f = write("brotli", "V2");
        UserError e = assertThrows(UserError.class, () -> Parquet.read(f));
        assertTrue(e.getMessage().startsWith(f + " is compressed with brotli, which Kiln does not read"), e.getMessage());
        assertEquals(ROWS, ParquetSummary.of(f).rows());
    }
}
