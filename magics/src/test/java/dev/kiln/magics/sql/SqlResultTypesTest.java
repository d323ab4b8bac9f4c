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
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * {@code %%sql -o}: DuckDB's wide numbers (HUGEINT, UHUGEINT, UBIGINT, DECIMAL) become a number
 * column when every value converts exactly, and stay text, named in the result, when one does not.
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
        assertEquals(List.of(new SqlResult.KeptAsText("b", "BIGINT", "-9223372036854775808")), r.keptAsText());
    }

    @Test
    void anIntegerBeyond64BitsKeepsItsColumnAsExactTextAndTheResultSaysSo() {
        SqlResult r = keep("SELECT * FROM (VALUES (1::HUGEINT, 5::UBIGINT, 7::UHUGEINT), (NULL, 6::UBIGINT, 8::UHUGEINT), "
                + "(170141183460469231731687303715884105727::HUGEINT, 18446744073709551615::UBIGINT, 9::UHUGEINT)) t(h, ub, uh)");
        Table t = r.table();
        assertEquals(Arrays.asList("1", null, "170141183460469231731687303715884105727"), texts(assertInstanceOf(StringColumn.class, t.column("h"))));
        assertEquals(List.of("5", "6", "18446744073709551615"), texts(assertInstanceOf(StringColumn.class, t.column("ub"))));
        assertEquals(List.of(7L, 8L, 9L), assertInstanceOf(LongColumn.class, t.column("uh")).asList());
        assertEquals(List.of(new SqlResult.KeptAsText("h", "HUGEINT", "170141183460469231731687303715884105727"),
                new SqlResult.KeptAsText("ub", "UBIGINT", "18446744073709551615")), r.keptAsText());
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
        assertEquals(List.of(new SqlResult.KeptAsText("big", "DECIMAL(38,2)", "12345678901234567.89")), r.keptAsText());
    }
}
