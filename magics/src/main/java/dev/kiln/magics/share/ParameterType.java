package dev.kiln.magics.share;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.YearMonth;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The Java types a notebook parameter can have ({@code kiln run -p NAME=VALUE}), each with the rule
 * that turns a value's text into a Java expression of that type, or refuses it.
 */
public enum ParameterType {
    INT("a whole number from -2147483648 to 2147483647", "int", "Integer") {
        @Override
        String literalOf(String text) {
            return Integer.toString(Integer.parseInt(whole(text)));
        }
    },
    LONG("a whole number from -9223372036854775808 to 9223372036854775807", "long", "Long") {
        @Override
        String literalOf(String text) {
            return Long.parseLong(whole(text)) + "L";
        }
    },
    SHORT("a whole number from -32768 to 32767", "short", "Short") {
        @Override
        String literalOf(String text) {
            return "(short) " + Short.parseShort(whole(text));
        }
    },
    BYTE("a whole number from -128 to 127", "byte", "Byte") {
        @Override
        String literalOf(String text) {
            return "(byte) " + Byte.parseByte(whole(text));
        }
    },
    DOUBLE("a decimal number such as 0.25, 1e-3, NaN or -Infinity", "double", "Double") {
        @Override
        String literalOf(String text) {
            double d = Double.parseDouble(decimal(text));
            if (Double.isNaN(d)) {
                return "Double.NaN";
            }
            if (Double.isInfinite(d)) {
                if (!text.strip().endsWith("Infinity")) {
                    throw new IllegalArgumentException("out of range");
                }
                return d > 0 ? "Double.POSITIVE_INFINITY" : "Double.NEGATIVE_INFINITY";
            }
            return Double.toString(d);
        }
    },
    FLOAT("a decimal number such as 0.25, 1e-3, NaN or -Infinity", "float", "Float") {
        @Override
        String literalOf(String text) {
            float f = Float.parseFloat(decimal(text));
            if (Float.isNaN(f)) {
                return "Float.NaN";
            }
            if (Float.isInfinite(f)) {
                if (!text.strip().endsWith("Infinity")) {
                    throw new IllegalArgumentException("out of range");
                }
                return f > 0 ? "Float.POSITIVE_INFINITY" : "Float.NEGATIVE_INFINITY";
            }
            return Float.toString(f) + "f";
        }
    },
    BOOLEAN("true or false", "boolean", "Boolean") {
        @Override
        String literalOf(String text) {
            String t = text.strip();
            if (t.equalsIgnoreCase("true") || t.equalsIgnoreCase("false")) {
                return t.toLowerCase(java.util.Locale.ROOT);
            }
            throw new IllegalArgumentException("not a boolean");
        }
    },
    CHAR("a single character", "char", "Character") {
        @Override
        String literalOf(String text) {
            if (text.length() != 1) {
                throw new IllegalArgumentException("not one character");
            }
            return "'" + escaped(text.charAt(0), '\'') + "'";
        }
    },
    STRING("any text", "String") {
        @Override
        String literalOf(String text) {
            return stringLiteral(text);
        }
    },
    BIG_DECIMAL("a decimal number such as 12.50", "BigDecimal", "java.math.BigDecimal") {
        @Override
        String literalOf(String text) {
            return "new java.math.BigDecimal(" + stringLiteral(new BigDecimal(text.strip()).toString()) + ")";
        }
    },
    BIG_INTEGER("a whole number", "BigInteger", "java.math.BigInteger") {
        @Override
        String literalOf(String text) {
            return "new java.math.BigInteger(" + stringLiteral(new BigInteger(whole(text)).toString()) + ")";
        }
    },
    LOCAL_DATE("a date such as 2024-01-31", LocalDate::parse, "LocalDate"),
    LOCAL_DATE_TIME("a date and time such as 2024-01-31T09:30", LocalDateTime::parse, "LocalDateTime"),
    LOCAL_TIME("a time such as 09:30 or 09:30:15", LocalTime::parse, "LocalTime"),
    OFFSET_DATE_TIME("a date and time with offset such as 2024-01-31T09:30+01:00", OffsetDateTime::parse, "OffsetDateTime"),
    ZONED_DATE_TIME("a date and time with zone such as 2024-01-31T09:30+01:00[Europe/Paris]", ZonedDateTime::parse, "ZonedDateTime"),
    INSTANT("an instant such as 2024-01-31T09:30:00Z", Instant::parse, "Instant"),
    DURATION("a duration such as PT15M or PT1H30M", Duration::parse, "Duration"),
    PERIOD("a period such as P1D or P2W", Period::parse, "Period"),
    YEAR_MONTH("a month such as 2024-01", YearMonth::parse, "YearMonth"),
    PATH("a file path", "Path", "java.nio.file.Path") {
        @Override
        String literalOf(String text) {
            Path.of(text); // refuses what no path can hold (a NUL)
            return "java.nio.file.Path.of(" + stringLiteral(text) + ")";
        }
    };

    private static final Pattern WHOLE = Pattern.compile("[+-]?\\d+");
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?|[+-]?(NaN|Infinity)");

    /** What a value of this type looks like, for a message ("a whole number from …"). */
    private final String expected;
    /** How a declaration may spell the type: {@code int}, {@code Integer}, {@code java.lang.Integer} … */
    private final List<String> spellings;
    /** For the java.time types: their own parser, which the literal calls too. */
    private final Function<String, ?> timeParser;

    ParameterType(String expected, String... spellings) {
        this(expected, null, spellings);
    }

    ParameterType(String expected, Function<String, ?> timeParser, String... spellings) {
        this.expected = expected;
        this.timeParser = timeParser;
        this.spellings = timeParser == null ? List.of(spellings) : List.of(spellings[0], "java.time." + spellings[0]);
    }

    /** The Java expression for {@code text}; throws an {@link IllegalArgumentException} (or a parse exception) when it is not one. */
    String literalOf(String text) {
        timeParser.apply(text);
        return "java.time." + spellings.get(0) + ".parse(" + stringLiteral(text) + ")";
    }

    /**
     * The Java expression of this type for {@code text}, as {@code int n = …;} takes it.
     *
     * @throws IllegalArgumentException when {@code text} is not a value of this type; its message says what one looks like
     */
    public String literal(String text) {
        try {
            return literalOf(text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(expected);
        }
    }

    /** What a value of this type looks like, for a message. */
    public String expected() {
        return expected;
    }

    /** The type a declaration spells as {@code spelling} ({@code int}, {@code java.time.LocalDate}), if parameters may have it. */
    public static Optional<ParameterType> of(String spelling) {
        String s = spelling.replaceAll("\\s+", "");
        String simple = s.startsWith("java.lang.") ? s.substring("java.lang.".length()) : s;
        return Arrays.stream(values()).filter(t -> t.spellings.contains(simple)).findFirst();
    }

    /** Every type spelling parameters may have, for a message. */
    public static String names() {
        return String.join(", ", Arrays.stream(values()).map(t -> t.spellings.get(0)).toList());
    }

    /** The type a value's text suggests when nothing declares one: a whole number, a decimal, true/false, else text. */
    public static ParameterType inferredFrom(String text) {
        if (WHOLE.matcher(text).matches()) {
            return fits(INT, text) ? INT : fits(LONG, text) ? LONG : STRING;
        }
        if (DECIMAL.matcher(text).matches() && !text.contains("NaN") && !text.contains("Infinity")) {
            return fits(DOUBLE, text) ? DOUBLE : STRING;
        }
        if (text.equals("true") || text.equals("false")) {
            return BOOLEAN;
        }
        return STRING;
    }

    /** The Java spelling this type is declared with when it was inferred ({@code int}, {@code String} …). */
    public String javaName() {
        return spellings.get(0);
    }

    private static boolean fits(ParameterType type, String text) {
        try {
            type.literalOf(text);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String whole(String text) {
        String t = text.strip();
        if (!WHOLE.matcher(t).matches()) {
            throw new IllegalArgumentException("not a whole number");
        }
        return t;
    }

    private static String decimal(String text) {
        String t = text.strip();
        if (!DECIMAL.matcher(t).matches()) {
            throw new IllegalArgumentException("not a decimal number");
        }
        return t;
    }

    /**
     * {@code text} as a Java string literal. Control characters are written as octal escapes, never
     * {@code \\u}: the compiler turns a unicode escape into the character before it reads the literal.
     */
    static String stringLiteral(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            sb.append(escaped(text.charAt(i), '"'));
        }
        return sb.append('"').toString();
    }

    private static String escaped(char c, char quote) {
        return switch (c) {
            case '\\' -> "\\\\";
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            case '\b' -> "\\b";
            case '\f' -> "\\f";
            default -> c == quote ? "\\" + c
                    : c < 0x20 || c == 0x7f ? String.format("\\%03o", (int) c)
                    : String.valueOf(c);
        };
    }
}
