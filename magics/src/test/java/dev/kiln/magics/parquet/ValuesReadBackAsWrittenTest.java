package dev.kiln.magics.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.magics.core.Progress;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inference never changes a value: a column whose typed values would not give back the fields'
 * text stays text (or becomes a decimal), the conversion's report says which and why, and
 * {@code --type} overrides it. Read back by DuckDB, an independent reader.
 */
class ValuesReadBackAsWrittenTest {

    @TempDir
    Path dir;

    private static ConversionOptions opts() {
        return ConversionOptions.defaults().withLayout(CompressionCodecName.ZSTD, 16L << 20, 1 << 20, 2);
    }

    private ConversionReport convert(String csvText, ConversionOptions o) throws IOException {
        Path csv = dir.resolve("in.csv");
        Files.writeString(csv, csvText, StandardCharsets.UTF_8);
        return new CsvToParquet(o, Progress.NONE).convert(csv, dir.resolve("out.parquet"));
    }

    /** DuckDB's type names of the Parquet file's columns. */
    private static Map<String, String> duckTypes(Path parquet) throws SQLException {
        Map<String, String> m = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("DESCRIBE SELECT * FROM read_parquet('" + parquet + "')")) {
            while (rs.next()) {
                m.put(rs.getString(1), rs.getString(2));
            }
        }
        return m;
    }

    /** A column's values as DuckDB reads them (JDBC objects), in file order. */
    private static List<Object> values(Path parquet, String column) throws SQLException {
        List<Object> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT \"" + column + "\" FROM read_parquet('" + parquet + "')")) {
            while (rs.next()) {
                out.add(rs.getObject(1));
            }
        }
        return out;
    }

    private static TypeChoice choice(ConversionReport r, String column) {
        return r.typeChoices().stream().filter(c -> c.column().equals(column)).findFirst().orElse(null);
    }

    @Test
    void codesWithLeadingZerosStayTextWhileZeroAndFractionsStayNumbers() throws Exception {
        ConversionReport r = convert("zip_code,fips,n,x\n00501,09005,0,0.5\n01001,36061,10,-0.5\n90210,06037,7,0\n", opts());
        Path out = r.output();
        assertEquals(Map.of("zip_code", "VARCHAR", "fips", "VARCHAR", "n", "INTEGER", "x", "DOUBLE"), duckTypes(out));
        assertEquals(List.of("00501", "01001", "90210"), values(out, "zip_code"));
        assertEquals(List.of("09005", "36061", "06037"), values(out, "fips"));
        assertEquals(new TypeChoice("zip_code", ColumnType.STRING, List.of(TypeChoice.Reason.LEADING_ZEROS)), choice(r, "zip_code"));
        assertEquals(2, r.typeChoices().size(), r.typeChoices().toString());
        assertEquals("zip_code kept as string: leading zeros", choice(r, "zip_code").toString());
    }

    @Test
    void leadingZerosBeyondTheSampleWidenTheColumnToTextAndSayWhy() throws Exception {
        StringBuilder sb = new StringBuilder("id,code\n");
        for (int i = 0; i < 5000; i++) {
            sb.append(i).append(',').append(1000 + i).append('\n');
        }
        sb.append("5000,00042\n");
        ConversionReport r = convert(sb.toString(), opts().withTypes(Map.of(), 100, ConversionOptions.TypeMismatch.WIDEN));
        assertEquals("VARCHAR", duckTypes(r.output()).get("code"));
        List<Object> codes = values(r.output(), "code");
        assertEquals("00042", codes.get(5000));
        assertEquals("1000", codes.get(0));
        assertEquals(List.of(TypeChoice.Reason.LEADING_ZEROS), choice(r, "code").reasons());
    }

    @Test
    void integersBeyond64BitsStayTextAndTheLargestLongStaysANumber() throws Exception {
        ConversionReport r = convert("big,max\n12345678901234567890123,9223372036854775807\n1,-9223372036854775808\n", opts());
        assertEquals(Map.of("big", "VARCHAR", "max", "BIGINT"), duckTypes(r.output()));
        assertEquals(List.of("12345678901234567890123", "1"), values(r.output(), "big"));
        assertEquals(List.of(TypeChoice.Reason.BEYOND_64_BITS), choice(r, "big").reasons());
        assertEquals(Long.MAX_VALUE, values(r.output(), "max").get(0));
    }

    @Test
    void digitsNoDoubleHoldsBecomeADecimalWhereTheScaleIsFixedElseText() throws Exception {
        ConversionReport r = convert("""
                amount,wide,mixed,shortest
                123456789012.345678,12345678901234567890.12,1.23456789012345678,0.30000000000000004
                0.000001,-1.50,2.5,0.1
                """, opts());
        Map<String, String> types = duckTypes(r.output());
        assertEquals("DECIMAL(18,6)", types.get("amount"));
        assertEquals("DECIMAL(38,2)", types.get("wide"));
        assertEquals("VARCHAR", types.get("mixed"));
        assertEquals("DOUBLE", types.get("shortest"), "17 digits that are a double's shortest form read back as written");
        assertEquals(List.of(new BigDecimal("123456789012.345678"), new BigDecimal("0.000001")), values(r.output(), "amount"));
        assertEquals(List.of(new BigDecimal("12345678901234567890.12"), new BigDecimal("-1.50")), values(r.output(), "wide"));
        assertEquals(List.of("1.23456789012345678", "2.5"), values(r.output(), "mixed"));
        assertEquals(List.of(0.30000000000000004, 0.1), values(r.output(), "shortest"));
        assertEquals(ColumnType.decimal(18, 6), choice(r, "amount").type());
        assertEquals(List.of(TypeChoice.Reason.DIGITS_BEYOND_DOUBLE), choice(r, "mixed").reasons());
        assertEquals(null, choice(r, "shortest"));
    }

    @Test
    void aDecimalColumnThatMeetsAWiderValueAfterTheSampleBecomesTextAndTheReportSaysSo() throws Exception {
        StringBuilder sb = new StringBuilder("amount\n");
        for (int i = 0; i < 5000; i++) {
            sb.append("123456789012.").append(100000 + i).append('\n');
        }
        sb.append("1234567890123456789012345.123456\n");
        ConversionReport r = convert(sb.toString(), opts().withTypes(Map.of(), 100, ConversionOptions.TypeMismatch.WIDEN));
        assertEquals("VARCHAR", duckTypes(r.output()).get("amount"));
        assertEquals("1234567890123456789012345.123456", values(r.output(), "amount").get(5000));
        assertEquals("123456789012.100000", values(r.output(), "amount").get(0));
        assertEquals(List.of(new TypeChoice("amount", ColumnType.STRING, List.of(TypeChoice.Reason.DIGITS_BEYOND_DOUBLE))),
                r.typeChoices());
    }

    @Test
    void numbersADoubleCannotReachStayText() throws Exception {
        ConversionReport r = convert("huge,tiny\n1e400,1e-400\n1,2\n", opts());
        assertEquals(Map.of("huge", "VARCHAR", "tiny", "VARCHAR"), duckTypes(r.output()));
        assertEquals(List.of("1e400", "1"), values(r.output(), "huge"));
    }

    @Test
    void datesInMoreThanOneFormatStayText() throws Exception {
        ConversionReport r = convert("""
                mixed,zones,nanos,day,at
                2024-01-05,2024-01-05T10:00:00Z,2024-01-05 10:00:00.123456789,2024-01-05,2024-01-05 10:00:00
                2024-01-06 10:30,2024-01-05T10:00:00,2024-01-05 10:00:00.5,2024-01-06,2024-01-06T11:00:00.25
                """, opts());
        Map<String, String> types = duckTypes(r.output());
        assertEquals("VARCHAR", types.get("mixed"));
        assertEquals("VARCHAR", types.get("zones"));
        assertEquals("VARCHAR", types.get("nanos"));
        assertEquals("DATE", types.get("day"));
        assertEquals("TIMESTAMP", types.get("at"));
        assertEquals(List.of("2024-01-05", "2024-01-06 10:30"), values(r.output(), "mixed"));
        assertEquals(List.of(TypeChoice.Reason.DATE_FORMATS), choice(r, "mixed").reasons());
        assertEquals(List.of(TypeChoice.Reason.ZONES), choice(r, "zones").reasons());
        assertEquals(List.of(TypeChoice.Reason.BEYOND_MICROSECONDS), choice(r, "nanos").reasons());
    }

    @Test
    void aTimestampAfterTheSampleOfDatesWidensTheColumnToText() throws Exception {
        StringBuilder sb = new StringBuilder("day\n");
        for (int i = 0; i < 3000; i++) {
            sb.append("2024-01-").append(10 + i % 20).append('\n');
        }
        sb.append("2024-02-01 12:00\n");
        ConversionReport r = convert(sb.toString(), opts().withTypes(Map.of(), 100, ConversionOptions.TypeMismatch.WIDEN));
        assertEquals("VARCHAR", duckTypes(r.output()).get("day"));
        assertEquals("2024-02-01 12:00", values(r.output(), "day").get(3000));
        assertEquals(List.of(TypeChoice.Reason.DATE_FORMATS), choice(r, "day").reasons());
    }

    @Test
    void aGivenTypeOverridesTheChoiceAndIsNotReported() throws Exception {
        ConversionReport r = convert("zip_code\n00501\n01001\n", opts().withTypes(Map.of("zip_code", ColumnType.INT32), 10_000,
                ConversionOptions.TypeMismatch.WIDEN));
        assertEquals("INTEGER", duckTypes(r.output()).get("zip_code"));
        assertEquals(List.of(501, 1001), values(r.output(), "zip_code"));
        assertTrue(r.typeChoices().isEmpty(), r.typeChoices().toString());
    }

    @Test
    void aRenamedColumnIsReportedUnderItsNewName() throws Exception {
        ConversionReport r = convert("zip,n\n00501,1\n", opts().withColumns(List.of("zip"), Map.of("zip", "zip_code")));
        assertEquals(List.of(new TypeChoice("zip_code", ColumnType.STRING, List.of(TypeChoice.Reason.LEADING_ZEROS))),
                r.typeChoices());
    }
}
