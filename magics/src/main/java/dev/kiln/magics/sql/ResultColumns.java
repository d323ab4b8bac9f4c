package dev.kiln.magics.sql;

import dev.kiln.magics.sql.SqlResult.CountedAsMissing;
import dev.kiln.magics.sql.SqlResult.KeptAsText;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DateColumn;
import tech.tablesaw.api.DateTimeColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.FloatColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.ShortColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.api.TimeColumn;
import tech.tablesaw.columns.Column;
import tech.tablesaw.columns.dates.DateColumnType;
import tech.tablesaw.columns.dates.PackedLocalDate;
import tech.tablesaw.columns.datetimes.DateTimeColumnType;
import tech.tablesaw.columns.datetimes.PackedLocalDateTime;
import tech.tablesaw.columns.times.PackedLocalTime;

/**
 * A query's rows as a Tablesaw table, column by column in the type that holds the SQL type's values
 * exactly; what Tablesaw has no type for (lists, structs, blobs) as DuckDB's text. Tablesaw writes a
 * missing value as one of the type's own values (Short.MIN_VALUE, Integer.MIN_VALUE, Long.MIN_VALUE,
 * NaN, the empty text), and keeps dates in 16-bit years and times to the millisecond, so:
 * a SMALLINT or INTEGER column that holds its minimum widens (to ints, to longs); an integer that fits
 * no long but a LongColumn (or a fraction no double) exactly, a date beyond Tablesaw's years, or a time
 * finer than a millisecond keeps its column as text, which {@link #keptAsText()} names; a NaN or an
 * empty text keeps its value, which Tablesaw counts as missing, and {@link #countedAsMissing()} says how often.
 */
final class ResultColumns {

    /** DuckDB's integer types that JDBC hands over as BigInteger. */
    private static final Set<String> WIDE_INTEGERS = Set.of("HUGEINT", "UHUGEINT", "UBIGINT");

    /** What a column holds now; SHORT and INT widen when a value is their missing marker, others become TEXT. */
    private enum Holds { BOOLEAN, SHORT, INT, LONG, FRACTION, FLOAT, DOUBLE, DATE, DATE_TIME, TIME, TEXT }

    private final Column<?>[] columns;
    /** What each column held first: how its values are read and written as text. */
    private final Holds[] reads;
    private final Holds[] holds;
    private final String[] typeNames;
    private final int[] scales;
    private final KeptAsText[] keptAsText;
    private final long[] lookalikes;

    ResultColumns(ResultSetMetaData meta) throws SQLException {
        int n = meta.getColumnCount();
        columns = new Column<?>[n];
        reads = new Holds[n];
        holds = new Holds[n];
        typeNames = new String[n];
        scales = new int[n];
        keptAsText = new KeptAsText[n];
        lookalikes = new long[n];
        for (int c = 0; c < n; c++) {
            int sqlType = meta.getColumnType(c + 1);
            typeNames[c] = meta.getColumnTypeName(c + 1);
            scales[c] = meta.getScale(c + 1);
            boolean decimal = sqlType == Types.DECIMAL || sqlType == Types.NUMERIC;
            reads[c] = sqlType == Types.BIGINT || WIDE_INTEGERS.contains(typeNames[c]) || decimal && scales[c] == 0 ? Holds.LONG
                    : decimal ? Holds.FRACTION
                    : switch (sqlType) {
                        case Types.BOOLEAN, Types.BIT -> Holds.BOOLEAN;
                        case Types.TINYINT, Types.SMALLINT -> Holds.SHORT;
                        case Types.INTEGER -> Holds.INT;
                        case Types.FLOAT, Types.REAL -> Holds.FLOAT;
                        case Types.DOUBLE -> Holds.DOUBLE;
                        case Types.DATE -> Holds.DATE;
                        case Types.TIMESTAMP -> Holds.DATE_TIME;
                        case Types.TIME -> Holds.TIME;
                        default -> Holds.TEXT;
                    };
            holds[c] = reads[c];
            columns[c] = create(holds[c], meta.getColumnLabel(c + 1));
        }
    }

    private static Column<?> create(Holds h, String name) {
        return switch (h) {
            case BOOLEAN -> BooleanColumn.create(name);
            case SHORT -> ShortColumn.create(name);
            case INT -> IntColumn.create(name);
            case LONG -> LongColumn.create(name);
            case FRACTION, DOUBLE -> DoubleColumn.create(name);
            case FLOAT -> FloatColumn.create(name);
            case DATE -> DateColumn.create(name);
            case DATE_TIME -> DateTimeColumn.create(name);
            case TIME -> TimeColumn.create(name);
            case TEXT -> StringColumn.create(name);
        };
    }

    /** Adds the result set's current row. */
    void add(ResultSet rs) throws SQLException {
        for (int c = 0; c < columns.length; c++) {
            Object v = read(rs, c);
            if (v == null) {
                columns[c].appendMissing();
            } else {
                append(c, v);
            }
        }
    }

    /** Column {@code c}'s value in the current row as the Java value of its SQL type: integers as Long or BigInteger. */
    private Object read(ResultSet rs, int c) throws SQLException {
        int i = c + 1;
        Object v = rs.getObject(i);
        if (v == null) {
            return null;
        }
        return switch (reads[c]) {
            case SHORT, INT, LONG -> {
                BigInteger whole = v instanceof BigDecimal d ? d.toBigIntegerExact() : v instanceof BigInteger b ? b : null;
                yield whole == null ? (Object) ((Number) v).longValue() : whole.bitLength() < Long.SIZE ? (Object) whole.longValue() : whole;
            }
            case FRACTION -> rs.getBigDecimal(i);
            // DuckDB's LocalDate conversion goes through java.sql.Date and loses the era (44 BC becomes 44 AD); its own object keeps it
            case DATE -> v instanceof LocalDate d ? d : rs.getObject(i, LocalDate.class);
            case DATE_TIME -> rs.getObject(i, LocalDateTime.class);
            case TIME -> v instanceof LocalTime t ? t : rs.getObject(i, LocalTime.class);
            case TEXT -> rs.getString(i);
            default -> v;
        };
    }

    private void append(int c, Object v) {
        Column<?> col = columns[c];
        switch (holds[c]) {
            case BOOLEAN -> ((BooleanColumn) col).append((Boolean) v);
            case SHORT -> {
                if (v instanceof Long l && l > Short.MIN_VALUE && l <= Short.MAX_VALUE) {
                    ((ShortColumn) col).append((short) (long) l);
                } else {
                    widen(c, Holds.INT);
                    append(c, v);
                }
            }
            case INT -> {
                if (v instanceof Long l && l > Integer.MIN_VALUE && l <= Integer.MAX_VALUE) {
                    ((IntColumn) col).append((int) (long) l);
                } else {
                    widen(c, Holds.LONG);
                    append(c, v);
                }
            }
            case LONG -> {
                if (v instanceof Long l && l != Long.MIN_VALUE) {
                    ((LongColumn) col).append(l);
                } else {
                    keepAsText(c, v, v instanceof Long ? KeptAsText.Why.LONG_MISSING_MARKER : KeptAsText.Why.BEYOND_64_BITS);
                }
            }
            case FRACTION -> {
                BigDecimal exact = (BigDecimal) v;
                double d = exact.doubleValue();
                // the double whose shortest decimal is the value: it prints, sorts and compares as the value does
                if (Double.isFinite(d) && BigDecimal.valueOf(d).compareTo(exact) == 0) {
                    ((DoubleColumn) col).append(d);
                } else {
                    keepAsText(c, v, KeptAsText.Why.MORE_DIGITS_THAN_A_DOUBLE);
                }
            }
            case FLOAT -> {
                float f = ((Number) v).floatValue();
                lookalikes[c] += Float.isNaN(f) ? 1 : 0;
                ((FloatColumn) col).append(f);
            }
            case DOUBLE -> {
                double d = ((Number) v).doubleValue();
                lookalikes[c] += Double.isNaN(d) ? 1 : 0;
                ((DoubleColumn) col).append(d);
            }
            case DATE -> {
                LocalDate d = (LocalDate) v;
                int packed = PackedLocalDate.pack(d);
                if (!DateColumnType.valueIsMissing(packed) && d.equals(PackedLocalDate.asLocalDate(packed))) {
                    ((DateColumn) col).appendInternal(packed);
                } else {
                    keepAsText(c, v, KeptAsText.Why.YEAR_BEYOND_TABLESAW);
                }
            }
            case DATE_TIME -> {
                LocalDateTime t = (LocalDateTime) v;
                long packed = PackedLocalDateTime.pack(t);
                if (!DateTimeColumnType.valueIsMissing(packed) && t.equals(PackedLocalDateTime.asLocalDateTime(packed))) {
                    ((DateTimeColumn) col).appendInternal(packed);
                } else {
                    keepAsText(c, v, t.getNano() % 1_000_000 != 0 ? KeptAsText.Why.FINER_THAN_A_MILLISECOND : KeptAsText.Why.YEAR_BEYOND_TABLESAW);
                }
            }
            case TIME -> {
                LocalTime t = (LocalTime) v;
                if (t.getNano() % 1_000_000 == 0) {
                    ((TimeColumn) col).append(t);
                } else {
                    keepAsText(c, v, KeptAsText.Why.FINER_THAN_A_MILLISECOND);
                }
            }
            case TEXT -> {
                String s = text(v);
                lookalikes[c] += s.isEmpty() ? 1 : 0;
                ((StringColumn) col).append(s);
            }
        }
    }

    /** Moves column {@code c}'s values so far into the wider integer column {@code to}. */
    private void widen(int c, Holds to) {
        Column<?> narrow = columns[c];
        Column<?> wide = create(to, narrow.name());
        for (int r = 0; r < narrow.size(); r++) {
            if (narrow.isMissing(r)) {
                wide.appendMissing();
            } else if (wide instanceof IntColumn ints) {
                ints.append(((Number) narrow.get(r)).intValue());
            } else {
                ((LongColumn) wide).append(((Number) narrow.get(r)).longValue());
            }
        }
        columns[c] = wide;
        holds[c] = to;
    }

    /** Turns column {@code c} into text from here on, its values so far written as {@link #text} writes them, then {@code value}. */
    private void keepAsText(int c, Object value, KeptAsText.Why why) {
        Column<?> typed = columns[c];
        StringColumn text = StringColumn.create(typed.name());
        for (int r = 0; r < typed.size(); r++) {
            if (typed.isMissing(r)) {
                text.appendMissing();
            } else if (holds[c] == Holds.FRACTION) {
                text.append(BigDecimal.valueOf(((DoubleColumn) typed).getDouble(r)).setScale(scales[c]).toPlainString());
            } else {
                text.append(text(typed.get(r)));
            }
        }
        columns[c] = text.append(text(value));
        holds[c] = Holds.TEXT;
        keptAsText[c] = new KeptAsText(typed.name(), typeNames[c], text(value), why);
    }

    /** A value as text that reads back as the same value: decimals in full, dates and times in ISO-8601 (LocalDateTime.parse). */
    private static String text(Object v) {
        return v instanceof BigDecimal d ? d.toPlainString() : v.toString();
    }

    /** The columns kept as text, in the order of the columns. */
    List<KeptAsText> keptAsText() {
        List<KeptAsText> out = new ArrayList<>();
        for (KeptAsText k : keptAsText) {
            if (k != null) {
                out.add(k);
            }
        }
        return out;
    }

    /** The columns holding NaN or empty texts, values Tablesaw counts as missing, with how many of each and of the NULLs. */
    List<CountedAsMissing> countedAsMissing() {
        List<CountedAsMissing> out = new ArrayList<>();
        for (int c = 0; c < columns.length; c++) {
            if (lookalikes[c] > 0) {
                CountedAsMissing.Value value = holds[c] == Holds.TEXT ? CountedAsMissing.Value.EMPTY_TEXT : CountedAsMissing.Value.NAN;
                out.add(new CountedAsMissing(columns[c].name(), typeNames[c], value, lookalikes[c], columns[c].countMissing() - lookalikes[c]));
            }
        }
        return out;
    }

    Table table(String name) {
        return Table.create(name, columns);
    }
}
