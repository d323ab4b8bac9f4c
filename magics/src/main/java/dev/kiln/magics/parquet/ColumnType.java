package dev.kiln.magics.parquet;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Parquet type a CSV column becomes. Inference picks {@link Kind#DECIMAL} only for numbers
 * whose digits a double cannot hold; a user asks for it with {@code --type price=decimal(12,2)}.
 *
 * @param precision decimal digits in all (DECIMAL only; at most 38, stored in an int64 up to 18)
 * @param scale     digits after the point (DECIMAL only)
 */
public record ColumnType(Kind kind, int precision, int scale) {

    public enum Kind { BOOLEAN, INT32, INT64, DOUBLE, DECIMAL, DATE, TIMESTAMP, STRING }

    public static final ColumnType BOOLEAN = of(Kind.BOOLEAN);
    public static final ColumnType INT32 = of(Kind.INT32);
    public static final ColumnType INT64 = of(Kind.INT64);
    public static final ColumnType DOUBLE = of(Kind.DOUBLE);
    public static final ColumnType DATE = of(Kind.DATE);
    public static final ColumnType TIMESTAMP = of(Kind.TIMESTAMP);
    public static final ColumnType STRING = of(Kind.STRING);

    private static final Pattern DECIMAL_SPEC = Pattern.compile("decimal\\((\\d+)\\s*,\\s*(\\d+)\\)");

    public static final int MAX_PRECISION = 38;
    /** The most digits an int64 decimal holds; wider ones are 16-byte fixed-length arrays. */
    static final int LONG_PRECISION = 18;

    /** A decimal too wide for an int64. */
    boolean wide() {
        return kind == Kind.DECIMAL && precision > LONG_PRECISION;
    }

    static ColumnType of(Kind k) {
        return new ColumnType(k, 0, 0);
    }

    public static ColumnType decimal(int precision, int scale) {
        if (precision < 1 || precision > MAX_PRECISION || scale < 0 || scale > precision) {
            throw new IllegalArgumentException("decimal(" + precision + "," + scale
                    + "): precision must be 1.." + MAX_PRECISION + " and scale 0..precision");
        }
        return new ColumnType(Kind.DECIMAL, precision, scale);
    }

    /** Parses a type name as users write it: int, int32, bigint, int64, double, bool, date, timestamp, string, decimal(p,s). */
    public static ColumnType parse(String spec) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        Matcher m = DECIMAL_SPEC.matcher(s);
        if (m.matches()) {
            return decimal(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        }
        return switch (s) {
            case "bool", "boolean" -> BOOLEAN;
            case "int", "int32", "integer" -> INT32;
            case "long", "int64", "bigint" -> INT64;
            case "double", "float64", "float", "real" -> DOUBLE;
            case "date" -> DATE;
            case "timestamp", "datetime" -> TIMESTAMP;
            case "string", "text", "varchar", "utf8" -> STRING;
            default -> throw new IllegalArgumentException("unknown type '" + spec
                    + "': use int32, int64, double, boolean, date, timestamp, string or decimal(p,s)");
        };
    }

    /**
     * The next wider type an inferred column widens to when a value does not fit, or {@code null}
     * from STRING. A date column meeting a timestamp becomes text: dates in two formats.
     */
    ColumnType wider() {
        return switch (kind) {
            case BOOLEAN, DOUBLE, DECIMAL, TIMESTAMP, DATE -> STRING;
            case INT32 -> INT64;
            case INT64 -> DOUBLE;
            case STRING -> null;
        };
    }

    @Override
    public String toString() {
        return kind == Kind.DECIMAL ? "decimal(" + precision + "," + scale + ")" : kind.name().toLowerCase(Locale.ROOT);
    }
}
