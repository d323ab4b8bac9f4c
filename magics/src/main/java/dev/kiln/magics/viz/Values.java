package dev.kiln.magics.viz;

import dev.kiln.magics.cli.UserError;
import java.time.ZoneOffset;
import tech.tablesaw.api.DateColumn;
import tech.tablesaw.api.DateTimeColumn;
import tech.tablesaw.api.InstantColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.ShortColumn;
import tech.tablesaw.columns.Column;
import tech.tablesaw.table.Relation;

/**
 * A column of numbers read by index, never copied: a primitive array or a Tablesaw column.
 * Missing values read as {@code NaN}. Dates and times read as epoch milliseconds (UTC).
 */
abstract class Values {

    /** How the numbers are to be read on an axis. */
    enum Kind { REAL, INTEGER, DATE, DATE_TIME }

    final String name;
    final Kind kind;

    private Values(String name, Kind kind) {
        this.name = name;
        this.kind = kind;
    }

    abstract int size();

    abstract double get(int i);

    static Values of(String name, double[] values) {
        return new Values(name, Kind.REAL) {
            @Override int size() { return values.length; }
            @Override double get(int i) { return values[i]; }
        };
    }

    /** The named column of {@code table}, which must hold numbers, dates or times. */
    static Values column(Relation table, String column) {
        Column<?> c = find(table, column);
        if (c instanceof NumericColumn<?> n) {
            Kind kind = n instanceof IntColumn || n instanceof LongColumn || n instanceof ShortColumn
                    ? Kind.INTEGER : Kind.REAL;
            return new Values(c.name(), kind) {
                @Override int size() { return n.size(); }
                @Override double get(int i) { return n.getDouble(i); }
            };
        }
        if (c instanceof DateColumn d) {
            return new Values(c.name(), Kind.DATE) {
                @Override int size() { return d.size(); }
                @Override double get(int i) {
                    var v = d.get(i);
                    return v == null ? Double.NaN : v.toEpochDay() * 86_400_000d;
                }
            };
        }
        if (c instanceof DateTimeColumn d) {
            return new Values(c.name(), Kind.DATE_TIME) {
                @Override int size() { return d.size(); }
                @Override double get(int i) {
                    var v = d.get(i);
                    return v == null ? Double.NaN : v.toInstant(ZoneOffset.UTC).toEpochMilli();
                }
            };
        }
        if (c instanceof InstantColumn d) {
            return new Values(c.name(), Kind.DATE_TIME) {
                @Override int size() { return d.size(); }
                @Override double get(int i) {
                    var v = d.get(i);
                    return v == null ? Double.NaN : v.toEpochMilli();
                }
            };
        }
        throw new UserError("Column '" + c.name() + "' of table '" + table.name() + "' holds "
                + c.type().name().toLowerCase() + " values; this chart needs numbers, dates or times. "
                + "Numeric columns: " + String.join(", ", numericColumns(table)) + ".");
    }

    /** A column by name, or a {@link UserError} listing the columns there are. */
    static Column<?> find(Relation table, String column) {
        if (!table.containsColumn(column)) {
            throw new UserError("Table '" + table.name() + "' has no column '" + column
                    + "'. Its columns are: " + String.join(", ", table.columnNames()) + ".");
        }
        return table.column(column);
    }

    static java.util.List<String> numericColumns(Relation table) {
        return table.columns().stream().filter(c -> c instanceof NumericColumn<?>)
                .map(Column::name).toList();
    }

    /** Smallest and largest finite value, and how many there are; one pass. */
    Range range() {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        int n = size();
        int count = 0;
        for (int i = 0; i < n; i++) {
            double v = get(i);
            // most values lie within the extremes seen so far: one comparison pair, no update
            if (v >= min && v <= max) {
                count++;
                continue;
            }
            if (v != v || Double.isInfinite(v)) {
                continue;
            }
            count++;
            if (v < min) {
                min = v;
            }
            if (v > max) {
                max = v;
            }
        }
        return new Range(min, max, count);
    }

    record Range(double min, double max, int count) {
        boolean empty() {
            return count == 0;
        }
    }
}
