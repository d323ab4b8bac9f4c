package dev.kiln.magics.sql;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
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

/**
 * A query's rows as a Tablesaw table, column by column in the type that holds the SQL type's
 * values (BIGINT as longs, DATE as dates…); what Tablesaw has no type for (lists, structs) as text.
 * Integers (BIGINT, and the wider HUGEINT, UHUGEINT, UBIGINT, DECIMAL(p,0)) and DECIMAL fractions are
 * converted only exactly: longs while every value fits in a LongColumn, doubles while every fraction
 * is a double's; else the column is text, and {@link #keptAsText()} says which.
 */
final class ResultColumns {

    /** DuckDB's integer types that JDBC hands over as BigInteger. */
    private static final Set<String> WIDE_INTEGERS = Set.of("HUGEINT", "UHUGEINT", "UBIGINT");

    /** How a column's values arrive: as JDBC gives them, or as a wider number converted exactly. */
    private enum Width { NATIVE, WHOLE, FRACTION }

    private final Column<?>[] columns;
    private final Width[] widths;
    private final String[] typeNames;
    private final int[] scales;
    private final SqlResult.KeptAsText[] keptAsText;

    ResultColumns(ResultSetMetaData meta) throws SQLException {
        int n = meta.getColumnCount();
        columns = new Column<?>[n];
        widths = new Width[n];
        typeNames = new String[n];
        scales = new int[n];
        keptAsText = new SqlResult.KeptAsText[n];
        for (int c = 0; c < n; c++) {
            String name = meta.getColumnLabel(c + 1);
            int sqlType = meta.getColumnType(c + 1);
            typeNames[c] = meta.getColumnTypeName(c + 1);
            scales[c] = meta.getScale(c + 1);
            boolean decimal = sqlType == Types.DECIMAL || sqlType == Types.NUMERIC;
            widths[c] = sqlType == Types.BIGINT || WIDE_INTEGERS.contains(typeNames[c]) || decimal && scales[c] == 0 ? Width.WHOLE
                    : decimal ? Width.FRACTION : Width.NATIVE;
            columns[c] = switch (widths[c]) {
                case WHOLE -> LongColumn.create(name);
                case FRACTION -> DoubleColumn.create(name);
                case NATIVE -> switch (sqlType) {
                    case Types.BOOLEAN, Types.BIT -> BooleanColumn.create(name);
                    case Types.TINYINT, Types.SMALLINT -> ShortColumn.create(name);
                    case Types.INTEGER -> IntColumn.create(name);
                    case Types.FLOAT, Types.REAL -> FloatColumn.create(name);
                    case Types.DOUBLE -> DoubleColumn.create(name);
                    case Types.DATE -> DateColumn.create(name);
                    case Types.TIMESTAMP -> DateTimeColumn.create(name);
                    case Types.TIME -> TimeColumn.create(name);
                    default -> StringColumn.create(name);
                };
            };
        }
    }

    /** Adds the result set's current row. */
    void add(ResultSet rs) throws SQLException {
        for (int c = 0; c < columns.length; c++) {
            int i = c + 1;
            Object v = rs.getObject(i);
            Column<?> col = columns[c];
            if (v == null) {
                col.appendMissing();
                continue;
            }
            if (col instanceof StringColumn s) {
                s.append(rs.getString(i));
            } else if (widths[c] == Width.WHOLE) {
                // Long.MIN_VALUE is the one a LongColumn keeps for a missing value: appended, it would read as missing
                if (v instanceof Long l && l != Long.MIN_VALUE) {
                    ((LongColumn) col).append(l);
                } else if (v instanceof BigInteger || v instanceof BigDecimal) {
                    BigInteger whole = v instanceof BigDecimal d ? d.toBigIntegerExact() : (BigInteger) v;
                    if (whole.bitLength() < Long.SIZE && whole.longValue() != Long.MIN_VALUE) {
                        ((LongColumn) col).append(whole.longValue());
                    } else {
                        keepAsText(c, rs.getString(i));
                    }
                } else {
                    keepAsText(c, rs.getString(i));
                }
            } else if (widths[c] == Width.FRACTION) {
                BigDecimal exact = rs.getBigDecimal(i);
                double d = exact.doubleValue();
                // the double whose shortest decimal is the value: it prints, sorts and compares as the value does
                if (Double.isFinite(d) && BigDecimal.valueOf(d).compareTo(exact) == 0) {
                    ((DoubleColumn) col).append(d);
                } else {
                    keepAsText(c, rs.getString(i));
                }
            } else if (col instanceof BooleanColumn b) {
                b.append(rs.getBoolean(i));
            } else if (col instanceof ShortColumn s) {
                s.append(rs.getShort(i));
            } else if (col instanceof IntColumn n) {
                n.append(rs.getInt(i));
            } else if (col instanceof FloatColumn f) {
                f.append(rs.getFloat(i));
            } else if (col instanceof DoubleColumn d) {
                d.append(rs.getDouble(i));
            } else if (col instanceof DateColumn d) {
                d.append(rs.getObject(i, LocalDate.class));
            } else if (col instanceof DateTimeColumn d) {
                d.append(rs.getObject(i, LocalDateTime.class));
            } else if (col instanceof TimeColumn t) {
                t.append(rs.getObject(i, LocalTime.class));
            }
        }
    }

    /** Turns column {@code c} into text from here on, its numbers so far written as DuckDB writes them, then {@code value}. */
    private void keepAsText(int c, String value) {
        Column<?> numbers = columns[c];
        StringColumn text = StringColumn.create(numbers.name());
        for (int r = 0; r < numbers.size(); r++) {
            if (numbers.isMissing(r)) {
                text.appendMissing();
            } else if (numbers instanceof LongColumn l) {
                text.append(Long.toString(l.getLong(r)));
            } else {
                text.append(BigDecimal.valueOf(((DoubleColumn) numbers).getDouble(r)).setScale(scales[c]).toPlainString());
            }
        }
        columns[c] = text.append(value);
        keptAsText[c] = new SqlResult.KeptAsText(numbers.name(), typeNames[c], value);
    }

    /** The number columns that are text, in the order of the columns. */
    List<SqlResult.KeptAsText> keptAsText() {
        return Arrays.stream(keptAsText).filter(Objects::nonNull).toList();
    }

    Table table(String name) {
        return Table.create(name, columns);
    }
}
