package dev.kiln.magics.viz;

import dev.kiln.magics.core.UserError;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import tech.tablesaw.api.DateColumn;
import tech.tablesaw.api.DateTimeColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.InstantColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.ShortColumn;
import tech.tablesaw.columns.Column;
import tech.tablesaw.table.Relation;

/**
 * A column of numbers as a primitive array: the loops that bin, count and reduce run over it
 * directly (one call site, one array type: the JIT compiles them tight). Missing values are
 * {@code NaN}; dates and times are epoch milliseconds (UTC).
 */
final class Values {

    /** How the numbers are to be read on an axis. */
    enum Kind { REAL, INTEGER, DATE, DATE_TIME }

    final String name;
    final Kind kind;
    private final double[] data;

    private Values(String name, Kind kind, double[] data) {
        this.name = name;
        this.kind = kind;
        this.data = data;
    }

    int size() {
        return data.length;
    }

    double get(int i) {
        return data[i];
    }

    /** The array itself, not a copy. */
    static Values of(String name, double[] values) {
        return new Values(name, Kind.REAL, values);
    }

    /**
     * The named column of {@code table}, which must hold numbers, dates or times, copied once into
     * an array (a {@code DoubleColumn} by a bulk copy).
     */
    static Values column(Relation table, String column) {
        Column<?> c = find(table, column);
        int n = c.size();
        if (c instanceof DoubleColumn d) {
            return new Values(c.name(), Kind.REAL, d.asDoubleArray());
        }
        if (c instanceof NumericColumn<?> num) {
            Kind kind = num instanceof IntColumn || num instanceof LongColumn || num instanceof ShortColumn
                    ? Kind.INTEGER : Kind.REAL;
            double[] a = new double[n];
            for (int i = 0; i < n; i++) {
                a[i] = num.getDouble(i);
            }
            return new Values(c.name(), kind, a);
        }
        if (c instanceof DateColumn d) {
            double[] a = new double[n];
            for (int i = 0; i < n; i++) {
                LocalDate v = d.get(i);
                a[i] = v == null ? Double.NaN : v.toEpochDay() * 86_400_000d;
            }
            return new Values(c.name(), Kind.DATE, a);
        }
        if (c instanceof DateTimeColumn d) {
            double[] a = new double[n];
            for (int i = 0; i < n; i++) {
                LocalDateTime v = d.get(i);
                a[i] = v == null ? Double.NaN : v.toInstant(ZoneOffset.UTC).toEpochMilli();
            }
            return new Values(c.name(), Kind.DATE_TIME, a);
        }
        if (c instanceof InstantColumn d) {
            double[] a = new double[n];
            for (int i = 0; i < n; i++) {
                Instant v = d.get(i);
                a[i] = v == null ? Double.NaN : v.toEpochMilli();
            }
            return new Values(c.name(), Kind.DATE_TIME, a);
        }
        throw new UserError("Column '" + c.name() + "' of table '" + table.name() + "' holds "
                + c.type().name().toLowerCase() + " values; this chart needs numbers, dates or times. "
                + (numbersAsText(c) ? "Its values are numbers written as text (as a %%sql HUGEINT or DECIMAL(38) arrives): "
                        + "cast them in the query (CAST(" + c.name() + " AS BIGINT)) or convert the column. " : "")
                + numericColumnsSentence(table));
    }

    /** "Numeric columns: a, b." or, where there is none, says so. */
    static String numericColumnsSentence(Relation table) {
        java.util.List<String> numeric = numericColumns(table);
        return numeric.isEmpty() ? "Table '" + table.name() + "' has no numeric column."
                : "Numeric columns: " + String.join(", ", numeric) + ".";
    }

    /** A text column whose every value (there is one at least) reads as a number. */
    private static boolean numbersAsText(Column<?> c) {
        if (!(c instanceof StringColumn s) || s.countMissing() == s.size()) {
            return false;
        }
        for (int i = 0; i < s.size(); i++) {
            String v = s.get(i);
            if (v != null && !v.isEmpty()) {
                try {
                    new java.math.BigDecimal(v.strip());
                } catch (NumberFormatException e) {
                    return false;
                }
            }
        }
        return true;
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
