package dev.kiln.magics.sql;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
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
import tech.tablesaw.api.Table;
import tech.tablesaw.api.TimeColumn;
import tech.tablesaw.columns.Column;

/**
 * A query's rows as a Tablesaw table, column by column in the type that holds the SQL type's
 * values (BIGINT as longs, DECIMAL as doubles, DATE as dates…); what Tablesaw has no type for
 * (lists, structs, HUGEINT) as text.
 */
final class ResultColumns {

    private final Column<?>[] columns;
    private final int[] sqlTypes;

    ResultColumns(ResultSetMetaData meta) throws SQLException {
        int n = meta.getColumnCount();
        columns = new Column<?>[n];
        sqlTypes = new int[n];
        for (int c = 0; c < n; c++) {
            String name = meta.getColumnLabel(c + 1);
            sqlTypes[c] = meta.getColumnType(c + 1);
            columns[c] = switch (sqlTypes[c]) {
                case Types.BOOLEAN, Types.BIT -> BooleanColumn.create(name);
                case Types.TINYINT, Types.SMALLINT -> ShortColumn.create(name);
                case Types.INTEGER -> IntColumn.create(name);
                case Types.BIGINT -> LongColumn.create(name);
                case Types.FLOAT, Types.REAL -> FloatColumn.create(name);
                case Types.DOUBLE, Types.DECIMAL, Types.NUMERIC -> DoubleColumn.create(name);
                case Types.DATE -> DateColumn.create(name);
                case Types.TIMESTAMP -> DateTimeColumn.create(name);
                case Types.TIME -> TimeColumn.create(name);
                default -> StringColumn.create(name);
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
            if (col instanceof BooleanColumn b) {
                b.append(rs.getBoolean(i));
            } else if (col instanceof ShortColumn s) {
                s.append(rs.getShort(i));
            } else if (col instanceof IntColumn n) {
                n.append(rs.getInt(i));
            } else if (col instanceof LongColumn l) {
                l.append(rs.getLong(i));
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
            } else {
                ((StringColumn) col).append(rs.getString(i));
            }
        }
    }

    Table table(String name) {
        return Table.create(name, columns);
    }
}
