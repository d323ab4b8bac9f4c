package dev.kiln.magics.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.magics.core.Progress;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real CSV files (see {@link RealDataCorpus}) converted by Kiln, then compared value by value with
 * DuckDB reading the same CSV as text ({@code all_varchar}): the same rows in the same order, every
 * number equal to its field's text and written without leading zeros, every string identical,
 * every date and timestamp equal. Zero changed values.
 */
class RealCsvCorpusTest {

    @TempDir
    Path dir;

    private static final Pattern LEADING_ZERO = Pattern.compile("[+-]?0[0-9].*");

    static Stream<String> csvFiles() throws Exception {
        return RealDataCorpus.csvFiles().stream().map(p -> p.getFileName().toString());
    }

    private ConversionReport convert(Path csv) throws Exception {
        CsvFormat f = CsvFormat.rfc4180();
        // as kiln parquet convert reads a .tsv
        CsvFormat format = new CsvFormat(CsvFormat.defaultDelimiter(csv), f.quote(), f.nullStrings(), f.header(), f.encoding());
        ConversionOptions o = ConversionOptions.defaults().withFormat(format)
                .withLayout(CompressionCodecName.ZSTD, 16L << 20, 1 << 20, 2);
        return new CsvToParquet(o, Progress.NONE).convert(csv, dir.resolve(CsvToParquet.parquetName(csv.getFileName().toString())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("csvFiles")
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void everyValueOfARealCsvFileReadsBackAsDuckDbReadsItsText(String name) throws Exception {
        Path csv = RealDataCorpus.dataDir().resolve(name);
        ConversionReport r = convert(csv);
        Comparison c = compare(csv, r.output(), name.endsWith(".tsv") ? "\t" : ",");
        System.out.println(name + ": " + c.rows + " rows, " + r.schema() + (r.typeChoices().isEmpty() ? "" : "; " + r.typeChoices()));
        assertTrue(c.rows > 0, name + " has rows");
        assertEquals(List.of(), c.differences, name + ": " + c.changed + " changed values of " + c.values);
        assertEquals(r.rows(), c.rows);
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void zipCodesAndFipsCodesKeepTheirLeadingZeros() throws Exception {
        ConversionReport zips = convert(RealDataCorpus.dataDir().resolve("zipcodes.csv"));
        assertEquals("string", zips.schema().get("zip_code"));
        assertEquals(List.of(new TypeChoice("zip_code", ColumnType.STRING, List.of(TypeChoice.Reason.LEADING_ZEROS))),
                zips.typeChoices());
        assertEquals("double", zips.schema().get("latitude"));
        ConversionReport airports = convert(RealDataCorpus.dataDir().resolve("airports.csv"));
        assertEquals("string", airports.schema().get("iata"));
    }

    /**
     * Three million flights: the package ships them as Parquet (written by another tool), which
     * DuckDB turns into CSV here; Kiln converts that CSV and must give back every value.
     */
    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void threeMillionFlightsReadBackValueByValue() throws Exception {
        Path csv = dir.resolve("flights-3m.csv");
        try (Connection con = DriverManager.getConnection("jdbc:duckdb:"); Statement st = con.createStatement()) {
            st.execute("SET threads = 2");
            st.execute("COPY (SELECT * FROM read_parquet('" + RealDataCorpus.dataDir().resolve("flights-3m.parquet")
                    + "')) TO '" + csv + "' (HEADER, DELIMITER ',')");
        }
        ConversionReport r = convert(csv);
        Comparison c = compare(csv, r.output(), ",");
        assertEquals(List.of(), c.differences, c.changed + " changed values of " + c.values);
        assertTrue(c.rows >= 2_900_000, c.rows + " rows");
        assertEquals(r.rows(), c.rows);
        Files.delete(csv);
    }

    /** The package's Parquet file, written by another tool, reads back in Kiln as DuckDB reads it, value by value. */
    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void theFlightsParquetThePackageShipsReadsBackAsDuckDbReadsIt() throws Exception {
        Path file = RealDataCorpus.dataDir().resolve("flights-3m.parquet");
        tech.tablesaw.api.Table t = Parquet.read(file);
        long checked = 0;
        try (Connection con = DriverManager.getConnection("jdbc:duckdb:"); Statement st = con.createStatement()) {
            st.execute("SET threads = 1");
            try (ResultSet rs = st.executeQuery("SELECT * FROM read_parquet('" + file + "')")) {
                int n = rs.getMetaData().getColumnCount();
                assertEquals(n, t.columnCount());
                int row = 0;
                while (rs.next()) {
                    for (int i = 1; i <= n; i++) {
                        tech.tablesaw.columns.Column<?> col = t.column(i - 1);
                        Object expected = rs.getObject(i);
                        Object got = col.isMissing(row) ? null : col.get(row);
                        if (expected instanceof java.sql.Timestamp ts) {
                            expected = ts.toLocalDateTime();
                        } else if (expected instanceof Number num && got instanceof Number) {
                            expected = got instanceof Double ? (Object) num.doubleValue() : got instanceof Long ? (Object) num.longValue()
                                    : (Object) num.intValue();
                        }
                        assertEquals(expected, got, "row " + row + ", column " + col.name());
                        checked++;
                    }
                    row++;
                }
                assertEquals(t.rowCount(), row);
            }
        }
        assertTrue(checked > 10_000_000, checked + " values");
    }

    /** What the comparison found: rows and values compared, and the first differences. */
    static final class Comparison {
        long rows;
        long values;
        long changed;
        /** The first 20 changed values. */
        final List<String> differences = new ArrayList<>();
    }

    /** Reads Kiln's Parquet and the CSV as text with DuckDB, row by row in file order, and compares. */
    static Comparison compare(Path csv, Path parquet, String delimiter) throws SQLException {
        Comparison c = new Comparison();
        try (Connection a = DriverManager.getConnection("jdbc:duckdb:"); Connection b = DriverManager.getConnection("jdbc:duckdb:");
             Statement sa = a.createStatement(); Statement sb = b.createStatement()) {
            sa.execute("SET threads = 1");
            sb.execute("SET threads = 1");
            try (ResultSet kiln = sa.executeQuery("SELECT * FROM read_parquet('" + parquet + "')");
                 ResultSet text = sb.executeQuery("SELECT * FROM read_csv('" + csv + "', all_varchar = true, header = true, delim = '"
                         + delimiter + "', quote = '\"', escape = '\"')")) {
                ResultSetMetaData km = kiln.getMetaData();
                ResultSetMetaData tm = text.getMetaData();
                int n = km.getColumnCount();
                assertEquals(tm.getColumnCount(), n, "columns");
                Map<Integer, String> types = new LinkedHashMap<>();
                for (int i = 1; i <= n; i++) {
                    types.put(i, km.getColumnTypeName(i));
                }
                while (true) {
                    boolean more = kiln.next();
                    boolean moreText = text.next();
                    if (more != moreText) {
                        c.differences.add("row " + c.rows + ": " + (more ? "Kiln has more rows" : "Kiln has fewer rows"));
                        return c;
                    }
                    if (!more) {
                        return c;
                    }
                    for (int i = 1; i <= n; i++) {
                        c.values++;
                        String field = text.getString(i);
                        String problem = differs(types.get(i), kiln, i, field);
                        if (problem != null) {
                            c.changed++;
                        }
                        if (problem != null && c.differences.size() < 20) {
                            c.differences.add("row " + c.rows + ", column " + km.getColumnName(i) + " (" + types.get(i) + "): "
                                    + problem);
                        }
                    }
                    c.rows++;
                }
            }
        }
    }

    /** Why Kiln's value at {@code i} is not the field's text, or null when it is. */
    private static String differs(String type, ResultSet kiln, int i, String field) throws SQLException {
        Object v = kiln.getObject(i);
        if (v == null || field == null) {
            // an empty field is null in DuckDB's text; Kiln keeps a quoted empty string as ""
            boolean same = v == null && field == null || "".equals(v) && field == null || v == null && "".equals(field);
            return same ? null : "'" + v + "' for field '" + field + "'";
        }
        String got;
        boolean same;
        if (type.equals("VARCHAR")) {
            got = (String) v;
            same = got.equals(field);
        } else if (type.equals("INTEGER") || type.equals("BIGINT")) {
            got = v.toString();
            same = got.equals(field.startsWith("+") ? field.substring(1) : field);
        } else if (type.equals("DOUBLE")) {
            double d = kiln.getDouble(i);
            got = Double.toString(d);
            same = Double.isFinite(d) ? !LEADING_ZERO.matcher(field).matches() && new BigDecimal(got).compareTo(new BigDecimal(field)) == 0
                    : Double.valueOf(d).equals(Double.valueOf(Double.parseDouble(field.replace("inf", "Infinity"))));
        } else if (type.startsWith("DECIMAL")) {
            BigDecimal d = kiln.getBigDecimal(i);
            got = d.toPlainString();
            same = !LEADING_ZERO.matcher(field).matches() && d.compareTo(new BigDecimal(field)) == 0;
        } else if (type.equals("DATE")) {
            LocalDate d = kiln.getObject(i, LocalDate.class);
            got = d.toString();
            same = got.equals(field);
        } else if (type.equals("TIMESTAMP")) {
            LocalDateTime t = kiln.getObject(i, LocalDateTime.class);
            got = t.toString();
            same = t.equals(LocalDateTime.parse(field.replace(' ', 'T')));
        } else if (type.equals("TIMESTAMP WITH TIME ZONE")) {
            OffsetDateTime t = kiln.getObject(i, OffsetDateTime.class);
            got = t.toString();
            same = t.toInstant().equals(OffsetDateTime.parse(field.replace(' ', 'T')).toInstant());
        } else if (type.equals("BOOLEAN")) {
            got = v.toString();
            same = got.equalsIgnoreCase(field);
        } else {
            return "a column of type " + type + ", which this comparison does not know";
        }
        return same ? null : "'" + got + "' for field '" + field + "'";
    }
}
