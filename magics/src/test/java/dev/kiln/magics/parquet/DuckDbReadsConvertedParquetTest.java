package dev.kiln.magics.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.magics.core.Progress;
import java.io.BufferedWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An independent reader agrees: DuckDB reads Kiln's Parquet output, and its row count and
 * per-column aggregates equal those computed from the CSV as it was generated.
 */
class DuckDbReadsConvertedParquetTest {

    @TempDir
    Path dir;

    /** Aggregates of the generated CSV, computed while writing it. */
    static final class Expected {
        long rows;
        long nInt;
        long sumInt;
        long nDouble;
        double sumDouble;
        long nText;
        long sumTextLength;
        String minText;
        String maxText;
        long nTrue;
        long nBool;
        LocalDate minDay;
        LocalDate maxDay;
        LocalDateTime minAt;
        LocalDateTime maxAt;
        BigDecimal sumPrice = BigDecimal.ZERO;
        long nCat;
    }

    private Expected generate(Path csv, int rows) throws Exception {
        Expected x = new Expected();
        Random rnd = new Random(7);
        String[] words = {"plain", "with,comma", "with \"quotes\"", "two\nlines", "Zoë", "北京", "", "tab\there"};
        String[] cats = {"a", "b", "c", "d"};
        try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            w.write("n,x,text,flag,day,at,price,cat\r\n");
            for (int i = 0; i < rows; i++) {
                StringBuilder sb = new StringBuilder();
                if (rnd.nextInt(10) == 0) {
                    sb.append("");
                } else {
                    long v = rnd.nextInt(2_000_000) - 1_000_000;
                    sb.append(v);
                    x.nInt++;
                    x.sumInt += v;
                }
                sb.append(',');
                if (rnd.nextInt(10) != 0) {
                    double d = Math.round((rnd.nextDouble() * 2000 - 1000) * 1000) / 1000.0;
                    sb.append(d);
                    x.nDouble++;
                    x.sumDouble += d;
                }
                sb.append(',');
                if (rnd.nextInt(10) != 0) {
                    String t = words[rnd.nextInt(words.length)] + (rnd.nextBoolean() ? "" : Integer.toString(rnd.nextInt(100)));
                    sb.append('"').append(t.replace("\"", "\"\"")).append('"');
                    x.nText++;
                    x.sumTextLength += t.codePointCount(0, t.length());
                    x.minText = x.minText == null || t.compareTo(x.minText) < 0 ? t : x.minText;
                    x.maxText = x.maxText == null || t.compareTo(x.maxText) > 0 ? t : x.maxText;
                }
                sb.append(',');
                if (rnd.nextInt(10) != 0) {
                    boolean b = rnd.nextBoolean();
                    sb.append(b);
                    x.nBool++;
                    x.nTrue += b ? 1 : 0;
                }
                sb.append(',');
                LocalDate day = LocalDate.of(1990, 1, 1).plusDays(rnd.nextInt(20_000));
                sb.append(day);
                x.minDay = x.minDay == null || day.isBefore(x.minDay) ? day : x.minDay;
                x.maxDay = x.maxDay == null || day.isAfter(x.maxDay) ? day : x.maxDay;
                sb.append(',');
                LocalDateTime at = LocalDateTime.of(2000, 1, 1, 0, 0).plusSeconds(rnd.nextInt(900_000_000)).plusNanos(rnd.nextInt(1000) * 1000L);
                sb.append(at.toLocalDate()).append(' ').append(at.toLocalTime().toString().length() == 5 ? at.toLocalTime() + ":00" : at.toLocalTime());
                x.minAt = x.minAt == null || at.isBefore(x.minAt) ? at : x.minAt;
                x.maxAt = x.maxAt == null || at.isAfter(x.maxAt) ? at : x.maxAt;
                sb.append(',');
                BigDecimal price = BigDecimal.valueOf(rnd.nextInt(10_000_000), 2);
                sb.append(price.toPlainString());
                x.sumPrice = x.sumPrice.add(price);
                sb.append(',').append(cats[rnd.nextInt(cats.length)]);
                x.nCat++;
                sb.append("\r\n");
                w.write(sb.toString());
                x.rows++;
            }
        }
        return x;
    }

    @ParameterizedTest
    @ValueSource(strings = {"zstd", "snappy", "none", "zstd-v1"})
    void duckDbReadsTheSameRowsAndAggregates(String variant) throws Exception {
        String codec = variant.replace("-v1", "");
        Path csv = dir.resolve("data.csv");
        Expected x = generate(csv, 60_000);
        ConversionOptions o = ConversionOptions.defaults()
                .withTypes(Map.of("price", ColumnType.decimal(12, 2)), 10_000, ConversionOptions.TypeMismatch.WIDEN)
                .withLayout(Codecs.parse(codec), 256 * 1024, 64 * 1024, 2)
                .withDataPageV2(!variant.endsWith("-v1"));
        ConversionReport r = new CsvToParquet(o, Progress.NONE).convert(csv, dir.resolve("data.parquet"));
        assertEquals(x.rows, r.rows());
        assertEquals(Map.of("n", "int32", "x", "double", "text", "string", "flag", "boolean", "day", "date",
                "at", "timestamp", "price", "decimal(12,2)", "cat", "string"), r.schema());

        Class.forName("org.duckdb.DuckDBDriver");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            ResultSet rs = s.executeQuery(String.format(Locale.ROOT, """
                    SELECT count(*), count(n), sum(n), count(x), sum(x), count(text), sum(length(text)), min(text), max(text),
                           count(flag), sum(CASE WHEN flag THEN 1 ELSE 0 END), min(day), max(day), min("at"), max("at"),
                           sum(price), count(cat), count(DISTINCT cat)
                    FROM read_parquet('%s')""", r.output()));
            rs.next();
            assertEquals(x.rows, rs.getLong(1), "rows");
            assertEquals(x.nInt, rs.getLong(2), "count(n)");
            assertEquals(x.sumInt, rs.getLong(3), "sum(n)");
            assertEquals(x.nDouble, rs.getLong(4), "count(x)");
            assertEquals(x.sumDouble, rs.getDouble(5), 1e-6 * Math.abs(x.sumDouble) + 1e-6, "sum(x)");
            assertEquals(x.nText, rs.getLong(6), "count(text)");
            assertEquals(x.sumTextLength, rs.getLong(7), "sum(length(text))");
            assertEquals(x.minText, rs.getString(8), "min(text)");
            assertEquals(x.maxText, rs.getString(9), "max(text)");
            assertEquals(x.nBool, rs.getLong(10), "count(flag)");
            assertEquals(x.nTrue, rs.getLong(11), "true flags");
            assertEquals(x.minDay, rs.getObject(12, LocalDate.class), "min(day)");
            assertEquals(x.maxDay, rs.getObject(13, LocalDate.class), "max(day)");
            assertEquals(x.minAt, rs.getObject(14, LocalDateTime.class), "min(at)");
            assertEquals(x.maxAt, rs.getObject(15, LocalDateTime.class), "max(at)");
            assertEquals(0, x.sumPrice.compareTo(rs.getBigDecimal(16)), "sum(price) " + x.sumPrice + " vs " + rs.getBigDecimal(16));
            assertEquals(x.nCat, rs.getLong(17));
            assertEquals(4, rs.getLong(18));
        }
    }

    @Test
    void parquetReadLoadsAFileDuckDbWrote() throws Exception {
        Path file = dir.resolve("duck.parquet");
        Class.forName("org.duckdb.DuckDBDriver");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("COPY (SELECT range AS i, range * 0.5 AS d, 'k' || (range % 3) AS s, DATE '2024-01-01' + range::INT AS day,"
                    + " CASE WHEN range % 10 = 0 THEN NULL ELSE range::INT END AS maybe"
                    + " FROM range(5000)) TO '" + file + "' (FORMAT parquet, COMPRESSION zstd)");
        }
        tech.tablesaw.api.Table t = Parquet.read(file.toString());
        assertEquals(5000, t.rowCount());
        assertEquals(java.util.List.of("i", "d", "s", "day", "maybe"), t.columnNames());
        assertEquals(4999L * 5000 / 2, (long) t.longColumn("i").sum());
        assertEquals(4999.0 * 5000 / 4, t.doubleColumn("d").sum(), 1e-9);
        assertEquals(3, t.stringColumn("s").countUnique());
        assertEquals(LocalDate.of(2024, 1, 1).plusDays(4999), t.dateColumn("day").max());
        assertEquals(500, t.intColumn("maybe").countMissing());
        tech.tablesaw.api.Table two = Parquet.read(file, "s", "i");
        assertEquals(java.util.List.of("s", "i"), two.columnNames());
    }

    @Test
    void duckDbReadsADirectoryConvertedInParallel() throws Exception {
        Path in = dir.resolve("parts");
        Files.createDirectories(in);
        long rows = 0;
        long sum = 0;
        for (int f = 0; f < 4; f++) {
            StringBuilder sb = new StringBuilder("k,v\n");
            for (int i = 0; i < 5_000; i++) {
                sb.append(f * 5_000 + i).append(",v").append(i % 3).append('\n');
                rows++;
                sum += f * 5_000 + i;
            }
            Files.writeString(in.resolve("part-" + f + ".csv"), sb);
        }
        ConversionReport r = new CsvToParquet(ConversionOptions.defaults()
                .withLayout(CompressionCodecName.ZSTD, 16 << 20, 1 << 20, 2), Progress.NONE).convert(in, dir.resolve("out"));
        Class.forName("org.duckdb.DuckDBDriver");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            ResultSet rs = s.executeQuery("SELECT count(*), sum(k), count(DISTINCT v) FROM read_parquet('" + r.output() + "/*.parquet')");
            rs.next();
            assertEquals(rows, rs.getLong(1));
            assertEquals(sum, rs.getLong(2));
            assertEquals(3, rs.getLong(3));
        }
    }
}
