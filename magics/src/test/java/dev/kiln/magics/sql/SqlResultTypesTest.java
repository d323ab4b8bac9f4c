package dev.kiln.magics.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.magics.core.Progress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DateColumn;
import tech.tablesaw.api.DateTimeColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.FloatColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.ShortColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.TimeColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * {@code %%sql -o}: every value DuckDB gives is the kept table's value. Wide numbers (HUGEINT, UHUGEINT,
 * UBIGINT, DECIMAL) become a number column when every value converts exactly, and stay text, named in
 * the result, when one does not; an integer that is Tablesaw's missing marker widens its column; a
 * NaN stays a number and an empty text stays text, and the result counts them, since Tablesaw counts them as missing.
 */
@Timeout(120)
class SqlResultTypesTest {

    @TempDir
    Path project;

    private SqlResult keep(String sql) {
        try (SqlSession session = new SqlSession(project, Map.of("KILN_CACHE_DIR", project.resolve("cache").toString()), Progress.NONE)) {
            return session.run(sql, new SqlSession.Options(20, "top", null), () -> false);
        }
    }

    private static List<String> texts(Column<?> c) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < c.size(); i++) {
            out.add(c.isMissing(i) ? null : c.getString(i));
        }
        return out;
    }

    @Test
    void anIntegerSumOfAJoinIsALongColumn() throws Exception {
        Files.writeString(project.resolve("flights-airport.csv"), "origin,destination,count\nSEA,LAX,12\nSEA,SFO,30\nLAX,SEA,7\nBOS,SEA,1\n");
        Files.writeString(project.resolve("airports.csv"), "iata,name\nSEA,Seattle\nLAX,Los Angeles\nBOS,Boston\n");
        SqlResult r = keep("SELECT a.iata, sum(f.count) AS flights FROM 'flights-airport.csv' f JOIN 'airports.csv' a "
                + "ON a.iata = f.origin GROUP BY ALL ORDER BY flights DESC LIMIT 10");
        Table top = r.table();
        assertEquals("HUGEINT", r.types().get(1));
        LongColumn flights = assertInstanceOf(LongColumn.class, top.column("flights"));
        assertEquals(List.of(42L, 7L, 1L), flights.asList());
        assertEquals(List.of("SEA", "LAX", "BOS"), top.stringColumn("iata").asList());
        assertEquals(List.of(), r.keptAsText());
    }

    @Test
    void wideIntegersThatFitInALongAreLongs() {
        SqlResult r = keep("SELECT * FROM (VALUES (1::HUGEINT, 2::UHUGEINT, 3::UBIGINT, 4::DECIMAL(38,0)), "
                + "(NULL, NULL, NULL, NULL), (-9223372036854775807::HUGEINT, 9223372036854775807::UHUGEINT, 0::UBIGINT, -5::DECIMAL(38,0))) t(h, uh, ub, d)");
        Table t = r.table();
        for (String name : List.of("h", "uh", "ub", "d")) {
            assertInstanceOf(LongColumn.class, t.column(name), name);
        }
        assertEquals(List.of(1L, -Long.MAX_VALUE), t.longColumn("h").removeMissing().asList());
        assertEquals(List.of(2L, Long.MAX_VALUE), t.longColumn("uh").removeMissing().asList());
        assertTrue(t.longColumn("ub").isMissing(1));
        assertEquals(List.of(4L, -5L), t.longColumn("d").removeMissing().asList());
        assertEquals(List.of(), r.keptAsText());
    }

    @Test
    void theLongThatTablesawTakesForMissingKeepsItsColumnAsText() {
        SqlResult r = keep("SELECT * FROM (VALUES (3::BIGINT), ((-9223372036854775807 - 1)::BIGINT), (NULL)) t(b)");
        assertEquals(Arrays.asList("3", "-9223372036854775808", null), texts(assertInstanceOf(StringColumn.class, r.table().column("b"))));
        assertEquals(List.of(new SqlResult.KeptAsText("b", "BIGINT", "-9223372036854775808", SqlResult.KeptAsText.Why.LONG_MISSING_MARKER)), r.keptAsText());
    }

    @Test
    void anIntegerBeyond64BitsKeepsItsColumnAsExactTextAndTheResultSaysSo() {
        SqlResult r = keep("SELECT * FROM (VALUES (1::HUGEINT, 5::UBIGINT, 7::UHUGEINT), (NULL, 6::UBIGINT, 8::UHUGEINT), "
                + "(170141183460469231731687303715884105727::HUGEINT, 18446744073709551615::UBIGINT, 9::UHUGEINT)) t(h, ub, uh)");
        Table t = r.table();
        assertEquals(Arrays.asList("1", null, "170141183460469231731687303715884105727"), texts(assertInstanceOf(StringColumn.class, t.column("h"))));
        assertEquals(List.of("5", "6", "18446744073709551615"), texts(assertInstanceOf(StringColumn.class, t.column("ub"))));
        assertEquals(List.of(7L, 8L, 9L), assertInstanceOf(LongColumn.class, t.column("uh")).asList());
        assertEquals(List.of(new SqlResult.KeptAsText("h", "HUGEINT", "170141183460469231731687303715884105727", SqlResult.KeptAsText.Why.BEYOND_64_BITS),
                new SqlResult.KeptAsText("ub", "UBIGINT", "18446744073709551615", SqlResult.KeptAsText.Why.BEYOND_64_BITS)), r.keptAsText());
        for (SqlResult.KeptAsText k : r.keptAsText()) {
            assertTrue(r.text().contains(k.sentence()), r.text());
            assertTrue(r.html().contains(k.sentence()), r.html());
        }
    }

    @Test
    void decimalsADoubleHoldsExactlyAreDoublesAndOthersStayExactText() {
        SqlResult r = keep("SELECT * FROM (VALUES (1.5::DECIMAL(18,3), 0.1::DECIMAL(38,2), 2.25::DECIMAL(38,2)), "
                + "(NULL, 12345678901234567.89::DECIMAL(38,2), NULL), (-3.125::DECIMAL(18,3), 0.25::DECIMAL(38,2), 1e20::DECIMAL(38,2))) t(small, big, fits)");
        Table t = r.table();
        assertEquals(Arrays.asList(1.5, null, -3.125), assertInstanceOf(DoubleColumn.class, t.column("small")).asList());
        assertEquals(List.of("0.10", "12345678901234567.89", "0.25"), texts(assertInstanceOf(StringColumn.class, t.column("big"))));
        assertEquals(Arrays.asList(2.25, null, 1e20), assertInstanceOf(DoubleColumn.class, t.column("fits")).asList());
        assertEquals(List.of(new SqlResult.KeptAsText("big", "DECIMAL(38,2)", "12345678901234567.89", SqlResult.KeptAsText.Why.MORE_DIGITS_THAN_A_DOUBLE)), r.keptAsText());
    }

    @Test
    void anIntegerThatIsTablesawsMissingMarkerWidensItsColumnAndKeepsItsValue() {
        SqlResult r = keep("SELECT * FROM (VALUES (1::SMALLINT, 1::INTEGER, 1::TINYINT), ((-32768)::SMALLINT, (-2147483648)::INTEGER, (-128)::TINYINT), "
                + "(NULL, NULL, NULL), (32767::SMALLINT, 2147483647::INTEGER, 127::TINYINT)) t(s, i, ti)");
        Table t = r.table();
        assertEquals(Arrays.asList(1, -32768, null, 32767), assertInstanceOf(IntColumn.class, t.column("s")).asList());
        assertEquals(Arrays.asList(1L, -2147483648L, null, 2147483647L), assertInstanceOf(LongColumn.class, t.column("i")).asList());
        assertEquals(Arrays.asList((short) 1, (short) -128, null, (short) 127), assertInstanceOf(ShortColumn.class, t.column("ti")).asList());
        assertEquals(1, t.column("s").countMissing());
        assertEquals(1, t.column("i").countMissing());
        assertEquals(List.of(), r.keptAsText());
    }

    @Test
    void integersThatNeverMeetTheMarkerKeepTheirNarrowColumn() {
        SqlResult r = keep("SELECT * FROM (VALUES ((-32767)::SMALLINT, (-2147483647)::INTEGER), (NULL, NULL)) t(s, i)");
        assertEquals(Arrays.asList((short) -32767, null), assertInstanceOf(ShortColumn.class, r.table().column("s")).asList());
        assertEquals(Arrays.asList(-2147483647, null), assertInstanceOf(IntColumn.class, r.table().column("i")).asList());
    }

    @Test
    void unsignedMaximaAndMinimaKeepTheirValues() {
        SqlResult r = keep("SELECT * FROM (VALUES (255::UTINYINT, 65535::USMALLINT, 4294967295::UINTEGER), "
                + "(0::UTINYINT, 0::USMALLINT, 0::UINTEGER)) t(ut, us, ui)");
        Table t = r.table();
        assertEquals(List.of(255, 0), t.column("ut").asList().stream().map(v -> ((Number) v).intValue()).toList());
        assertEquals(List.of(65535, 0), t.column("us").asList().stream().map(v -> ((Number) v).intValue()).toList());
        assertEquals(List.of(4294967295L, 0L), assertInstanceOf(LongColumn.class, t.column("ui")).asList());
        assertEquals(0, t.column("ut").countMissing() + t.column("us").countMissing() + t.column("ui").countMissing());
    }

    @Test
    void aNaNStaysANumberAndTheResultCountsItApartFromTheNulls() {
        SqlResult r = keep("SELECT * FROM (VALUES ('NaN'::DOUBLE, 'NaN'::FLOAT), (1.5::DOUBLE, 2.5::FLOAT), (NULL, NULL), "
                + "('NaN'::DOUBLE, '-inf'::FLOAT), ('inf'::DOUBLE, 0::FLOAT)) t(d, f)");
        Table t = r.table();
        DoubleColumn d = assertInstanceOf(DoubleColumn.class, t.column("d"));
        FloatColumn f = assertInstanceOf(FloatColumn.class, t.column("f"));
        assertTrue(Double.isNaN(d.getDouble(0)) && Double.isNaN(d.getDouble(3)));
        assertEquals(1.5, d.getDouble(1));
        assertEquals(Double.POSITIVE_INFINITY, d.getDouble(4));
        assertEquals(List.of(2.5f, Float.NEGATIVE_INFINITY, 0f), List.of(f.getFloat(1), f.getFloat(3), f.getFloat(4)));
        assertEquals(List.of(new SqlResult.CountedAsMissing("d", "DOUBLE", SqlResult.CountedAsMissing.Value.NAN, 2, 1),
                new SqlResult.CountedAsMissing("f", "FLOAT", SqlResult.CountedAsMissing.Value.NAN, 1, 1)), r.countedAsMissing());
        for (SqlResult.CountedAsMissing n : r.countedAsMissing()) {
            assertTrue(r.text().contains(n.sentence()), r.text());
            assertTrue(r.html().contains(n.sentence()), r.html());
        }
    }

    @Test
    void aColumnWithoutNaNHasNoNote() {
        SqlResult r = keep("SELECT * FROM (VALUES (1.0::DOUBLE), (NULL)) t(d)");
        assertEquals(List.of(), r.countedAsMissing());
    }

    @Test
    void datesAndTimesKeepTheirValuesBeforeChristAndToTheMillisecond() {
        SqlResult r = keep("SELECT * FROM (VALUES (DATE '2024-02-29', TIMESTAMP '2024-02-29 23:59:59.999', TIME '01:02:03.25'), "
                + "('0044-03-15 (BC)'::DATE, '0044-03-15 (BC) 12:00:00'::TIMESTAMP, TIME '00:00:00'), (NULL, NULL, NULL)) t(d, ts, tm)");
        Table t = r.table();
        assertEquals(Arrays.asList(LocalDate.of(2024, 2, 29), LocalDate.of(-43, 3, 15), null), assertInstanceOf(DateColumn.class, t.column("d")).asList());
        assertEquals(Arrays.asList(LocalDateTime.of(2024, 2, 29, 23, 59, 59, 999_000_000), LocalDateTime.of(-43, 3, 15, 12, 0), null),
                assertInstanceOf(DateTimeColumn.class, t.column("ts")).asList());
        assertEquals(Arrays.asList(LocalTime.of(1, 2, 3, 250_000_000), LocalTime.MIDNIGHT, null), assertInstanceOf(TimeColumn.class, t.column("tm")).asList());
        assertEquals(List.of(), r.keptAsText());
    }

    @Test
    void timesFinerThanAMillisecondAndYearsBeyondTablesawsStayExactText() {
        SqlResult r = keep("SELECT * FROM (VALUES (TIMESTAMP '2020-01-01 00:00:00.5', TIME '01:00:00', DATE '2020-01-01', TIMESTAMP_NS '2020-01-01 00:00:00'), "
                + "(TIMESTAMP '2020-01-01 00:00:00.123456', TIME '01:02:03.000001', 'infinity'::DATE, TIMESTAMP_NS '2020-01-01 00:00:00.123456789')) t(ts, tm, d, ns)");
        Table t = r.table();
        assertEquals(List.of("2020-01-01T00:00:00.500", "2020-01-01T00:00:00.123456"), texts(assertInstanceOf(StringColumn.class, t.column("ts"))));
        assertEquals(List.of("01:00", "01:02:03.000001"), texts(assertInstanceOf(StringColumn.class, t.column("tm"))));
        assertEquals(List.of("2020-01-01", "+5881580-07-11"), texts(assertInstanceOf(StringColumn.class, t.column("d"))));
        assertEquals(List.of("2020-01-01T00:00", "2020-01-01T00:00:00.123456789"), texts(assertInstanceOf(StringColumn.class, t.column("ns"))));
        for (int row = 0; row < 2; row++) {
            assertEquals(r.table().stringColumn("ts").get(row), LocalDateTime.parse(r.table().stringColumn("ts").get(row)).toString(), "parses back");
        }
        assertEquals(List.of(new SqlResult.KeptAsText("ts", "TIMESTAMP", "2020-01-01T00:00:00.123456", SqlResult.KeptAsText.Why.FINER_THAN_A_MILLISECOND),
                new SqlResult.KeptAsText("tm", "TIME", "01:02:03.000001", SqlResult.KeptAsText.Why.FINER_THAN_A_MILLISECOND),
                new SqlResult.KeptAsText("d", "DATE", "+5881580-07-11", SqlResult.KeptAsText.Why.YEAR_BEYOND_TABLESAW),
                new SqlResult.KeptAsText("ns", "TIMESTAMP_NS", "2020-01-01T00:00:00.123456789", SqlResult.KeptAsText.Why.FINER_THAN_A_MILLISECOND)),
                r.keptAsText());
    }

    @Test
    void theDisplayShowsATimestampBeforeChristAsSuch() {
        SqlResult r = keep("SELECT '0044-03-15 (BC) 12:00:00.5'::TIMESTAMP AS ides, TIMESTAMP '2020-01-01 00:00:00' AS y2020");
        assertEquals(List.of(List.of("-0043-03-15 12:00:00.5", "2020-01-01 00:00:00")), r.firstRows());
    }

    @Test
    void booleansBlobsAndTextKeepTheirValuesAndAnEmptyTextIsCounted() {
        SqlResult r = keep("SELECT * FROM (VALUES (true, '\\xAA\\x00'::BLOB, 'a'), (false, 'k'::BLOB, ''), (NULL, NULL, NULL)) t(b, bl, s)");
        Table t = r.table();
        assertEquals(Arrays.asList(true, false, null), assertInstanceOf(BooleanColumn.class, t.column("b")).asList());
        assertEquals(Arrays.asList("\\xAA\\x00", "k", null), texts(assertInstanceOf(StringColumn.class, t.column("bl"))));
        StringColumn text = assertInstanceOf(StringColumn.class, t.column("s"));
        assertEquals(List.of("a", "", ""), text.asList(), "Tablesaw writes a missing text as the empty one");
        assertEquals(List.of(new SqlResult.CountedAsMissing("s", "VARCHAR", SqlResult.CountedAsMissing.Value.EMPTY_TEXT, 1, 1)), r.countedAsMissing());
    }
}
