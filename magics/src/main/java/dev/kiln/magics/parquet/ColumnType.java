package dev.kiln.magics.parquet;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Parquet type a CSV column becomes. Inference picks among all but {@link Kind#DECIMAL}, which
 * a user asks for ({@code --type price=decimal(12,2)}).
 *
 * @param precision decimal digits in all (DECIMAL only; at most 18)
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

    static ColumnType of(Kind k) {
        return new ColumnType(k, 0, 0);
    }

    public static ColumnType decimal(int precision, int scale) {
        if (precision < 1 || precision > 18 || scale < 0 || scale > precision) {
            throw new IllegalArgumentException("decimal(" + precision + "," + scale
                    + "): precision must be 1..18 and scale 0..precision");
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

    /** The next wider type a value that does not fit may widen to, or {@code null} from STRING. */
    ColumnType wider() {
        return switch (kind) {
            case BOOLEAN, DOUBLE, DECIMAL, TIMESTAMP -> STRING;
            case INT32 -> INT64;
            case INT64 -> DOUBLE;
            case DATE -> TIMESTAMP;
            case STRING -> null;
        };
    }

    @Override
    public String toString() {
        return kind == Kind.DECIMAL ? "decimal(" + precision + "," + scale + ")" : kind.name().toLowerCase(Locale.ROOT);
    }
}
