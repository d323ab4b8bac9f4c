package dev.kiln.magics.parquet;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.StringJoiner;
import java.util.UUID;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * What a value stored in Parquet means, by its logical type, whichever tool wrote it: dates,
 * times, timestamps (INT96 too), decimals, unsigned integers, UUIDs, intervals, text and bytes;
 * and nested values (lists, structs, maps) as JSON-like text, e.g. {@code {"a": 1, "b": [2, 3]}}.
 */
final class ParquetValues {

    /**
     * The value of a primitive, given as the column stores it ({@code Integer}, {@code Long},
     * {@code Float}, {@code Double}, {@code Boolean}, or {@code Binary} for INT96 and byte arrays).
     */
    static Object of(PrimitiveType t, Object raw) {
        LogicalTypeAnnotation a = t.getLogicalTypeAnnotation();
        switch (t.getPrimitiveTypeName()) {
            case INT32 -> {
                int v = (Integer) raw;
                if (a instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation) {
                    return LocalDate.ofEpochDay(v);
                }
                if (a instanceof LogicalTypeAnnotation.TimeLogicalTypeAnnotation) {
                    return LocalTime.ofNanoOfDay(v * 1_000_000L);
                }
                if (a instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation d) {
                    return BigDecimal.valueOf(v, d.getScale());
                }
                if (a instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation i && !i.isSigned() && i.getBitWidth() == 32) {
                    return Integer.toUnsignedLong(v);
                }
                return v;
            }
            case INT64 -> {
                long v = (Long) raw;
                if (a instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation ts) {
                    return timestamp(v, ts.getUnit());
                }
                if (a instanceof LogicalTypeAnnotation.TimeLogicalTypeAnnotation tm) {
                    return LocalTime.ofNanoOfDay(switch (tm.getUnit()) {
                        case MILLIS -> v * 1_000_000L;
                        case MICROS -> v * 1000L;
                        case NANOS -> v;
                    });
                }
                if (a instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation d) {
                    return BigDecimal.valueOf(v, d.getScale());
                }
                if (a instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation i && !i.isSigned()) {
                    return v >= 0 ? (Object) v : new BigInteger(Long.toUnsignedString(v));
                }
                return v;
            }
            case INT96 -> {
                return int96((Binary) raw);
            }
            case FLOAT, DOUBLE, BOOLEAN -> {
                return raw;
            }
            default -> {
                Binary b = (Binary) raw;
                if (a instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation d) {
                    return new BigDecimal(new BigInteger(b.getBytes()), d.getScale());
                }
                if (a instanceof LogicalTypeAnnotation.UUIDLogicalTypeAnnotation) {
                    ByteBuffer u = ByteBuffer.wrap(b.getBytes());
                    return new UUID(u.getLong(), u.getLong()).toString();
                }
                if (a instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation || a instanceof LogicalTypeAnnotation.EnumLogicalTypeAnnotation
                        || a instanceof LogicalTypeAnnotation.JsonLogicalTypeAnnotation) {
                    return b.toStringUsingUTF8();
                }
                if (a instanceof LogicalTypeAnnotation.IntervalLogicalTypeAnnotation) {
                    ByteBuffer iv = ByteBuffer.wrap(b.getBytes()).order(ByteOrder.LITTLE_ENDIAN);
                    long months = Integer.toUnsignedLong(iv.getInt());
                    long days = Integer.toUnsignedLong(iv.getInt());
                    long millis = Integer.toUnsignedLong(iv.getInt());
                    return "P" + months + "M" + days + "DT" + BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString() + "S";
                }
                // bytes with no logical type: text when they are UTF-8 (older writers store strings so), else escaped
                byte[] bytes = b.getBytes();
                return Utf8.firstInvalid(bytes, 0, bytes.length) < 0 ? new String(bytes, StandardCharsets.UTF_8)
                        : Utf8.escaped(bytes, 0, bytes.length, Integer.MAX_VALUE);
            }
        }
    }

    static LocalDateTime timestamp(long v, TimeUnit unit) {
        long secs;
        long nanos;
        switch (unit) {
            case MILLIS -> {
                secs = Math.floorDiv(v, 1000L);
                nanos = Math.floorMod(v, 1000L) * 1_000_000L;
            }
            case MICROS -> {
                secs = Math.floorDiv(v, 1_000_000L);
                nanos = Math.floorMod(v, 1_000_000L) * 1000L;
            }
            default -> {
                secs = Math.floorDiv(v, 1_000_000_000L);
                nanos = Math.floorMod(v, 1_000_000_000L);
            }
        }
        return LocalDateTime.ofInstant(Instant.ofEpochSecond(secs, nanos), ZoneOffset.UTC);
    }

    /** Impala's and Spark's legacy timestamp: nanoseconds of the day, then the Julian day, little-endian. */
    static LocalDateTime int96(Binary b) {
        ByteBuffer buf = ByteBuffer.wrap(b.getBytes()).order(ByteOrder.LITTLE_ENDIAN);
        long nanosOfDay = buf.getLong();
        long julianDay = Integer.toUnsignedLong(buf.getInt());
        long epochDay = julianDay - 2_440_588L;
        return LocalDateTime.of(LocalDate.ofEpochDay(epochDay), LocalTime.MIN).plusNanos(nanosOfDay);
    }

    /** A field of a record read whole (a nested column), as JSON-like text; {@code null} when it holds no value. */
    static String text(Group record, int field, Type type) {
        int n = record.getFieldRepetitionCount(field);
        if (type.isRepetition(Type.Repetition.REPEATED)) {
            StringJoiner j = new StringJoiner(", ", "[", "]");
            for (int i = 0; i < n; i++) {
                j.add(one(record, field, i, type));
            }
            return j.toString();
        }
        return n == 0 ? null : one(record, field, 0, type);
    }

    private static String one(Group parent, int field, int index, Type type) {
        if (type.isPrimitive()) {
            PrimitiveType p = type.asPrimitiveType();
            Object raw = switch (p.getPrimitiveTypeName()) {
                case INT32 -> parent.getInteger(field, index);
                case INT64 -> parent.getLong(field, index);
                case FLOAT -> parent.getFloat(field, index);
                case DOUBLE -> parent.getDouble(field, index);
                case BOOLEAN -> parent.getBoolean(field, index);
                case INT96 -> parent.getInt96(field, index);
                default -> parent.getBinary(field, index);
            };
            return json(of(p, raw));
        }
        GroupType g = type.asGroupType();
        Group v = parent.getGroup(field, index);
        LogicalTypeAnnotation a = g.getLogicalTypeAnnotation();
        if (a instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation && g.getFieldCount() == 1) {
            Type repeated = g.getType(0);
            StringJoiner j = new StringJoiner(", ", "[", "]");
            for (int i = 0; i < v.getFieldRepetitionCount(0); i++) {
                // three levels (list { repeated group list { element } }) or two (repeated element)
                if (!repeated.isPrimitive() && repeated.asGroupType().getFieldCount() == 1 && !repeated.getName().equals("array")
                        && !repeated.getName().endsWith("_tuple")) {
                    Group wrapper = v.getGroup(0, i);
                    String element = text(wrapper, 0, repeated.asGroupType().getType(0));
                    j.add(element == null ? "null" : element);
                } else {
                    j.add(one(v, 0, i, repeated));
                }
            }
            return j.toString();
        }
        if ((a instanceof LogicalTypeAnnotation.MapLogicalTypeAnnotation || a instanceof LogicalTypeAnnotation.MapKeyValueTypeAnnotation)
                && g.getFieldCount() == 1 && !g.getType(0).isPrimitive()) {
            GroupType kv = g.getType(0).asGroupType();
            StringJoiner j = new StringJoiner(", ", "{", "}");
            for (int i = 0; i < v.getFieldRepetitionCount(0); i++) {
                Group entry = v.getGroup(0, i);
                String key = text(entry, 0, kv.getType(0));
                String value = kv.getFieldCount() > 1 ? text(entry, 1, kv.getType(1)) : null;
                j.add((key != null && key.startsWith("\"") ? key : json(key)) + ": " + (value == null ? "null" : value));
            }
            return j.toString();
        }
        StringJoiner j = new StringJoiner(", ", "{", "}");
        for (int f = 0; f < g.getFieldCount(); f++) {
            String value = text(v, f, g.getType(f));
            j.add(json(g.getFieldName(f)) + ": " + (value == null ? "null" : value));
        }
        return j.toString();
    }

    /** A value as JSON writes it: numbers and booleans bare, everything else a quoted string. */
    private static String json(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Number || v instanceof Boolean) {
            return v instanceof BigDecimal d ? d.toPlainString() : v.toString();
        }
        String s = v.toString();
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    private ParquetValues() {
    }
}
