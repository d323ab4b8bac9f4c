package dev.kiln.magics.env;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one JSON form a snapshot is hashed in: UTF-8, no whitespace, object keys sorted (Java string
 * order), nulls left out, strings escaped as RFC 8259 requires and nothing more ({@code \" \\ \b \f
 * \n \r \t}, other control characters as a six-character u-escape). Two equal environments give the same
 * bytes, so the same SHA-256. Written by hand rather than by Jackson so that a snapshot in a fresh
 * JVM does not pay for loading Jackson; Jackson only reads stored snapshots back.
 */
public final class CanonicalJson {

    /** Jackson, loaded only when a stored snapshot is read back (class loading costs a fresh JVM ~100 ms). */
    private static final class Reader {
        static final ObjectMapper MAPPER = JsonMapper.builder()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
    }

    static ObjectMapper mapper() {
        return Reader.MAPPER;
    }

    /** Canonical bytes of records, maps, lists, strings, numbers, booleans and Jackson trees. */
    public static byte[] bytes(Object value) {
        return string(value).getBytes(StandardCharsets.UTF_8);
    }

    public static String string(Object value) {
        StringBuilder out = new StringBuilder(4096);
        write(plain(value), out);
        return out.toString();
    }

    /** Indented, keys sorted: for people reading it. */
    public static String pretty(Object value) {
        try {
            return Reader.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(plain(value));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static <T> T fromTree(JsonNode node, Class<T> type) {
        try {
            return Reader.MAPPER.treeToValue(node, type);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static <T> T read(byte[] json, Class<T> type) throws IOException {
        return Reader.MAPPER.readValue(json, type);
    }

    /** The value as nested sorted Maps, Lists and scalars (nulls dropped), e.g. for a result's provenance. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> asMap(Object value) {
        Object p = plain(value);
        if (!(p instanceof Map)) {
            throw new IllegalArgumentException("not an object: " + value);
        }
        return (Map<String, Object>) p;
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Records and Jackson trees become sorted maps and lists; scalars stay. */
    static Object plain(Object v) {
        if (v == null || v instanceof String || v instanceof Boolean) {
            return v;
        }
        if (v instanceof Number n) {
            return n instanceof Integer || n instanceof Short || n instanceof Byte ? Long.valueOf(n.longValue()) : n;
        }
        if (v instanceof Record r) {
            Map<String, Object> m = new TreeMap<>();
            for (RecordComponent c : r.getClass().getRecordComponents()) {
                try {
                    c.getAccessor().setAccessible(true);
                    Object x = plain(c.getAccessor().invoke(r));
                    if (x != null) {
                        m.put(c.getName(), x);
                    }
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
            return m;
        }
        if (v instanceof Map<?, ?> map) {
            Map<String, Object> m = new TreeMap<>();
            map.forEach((k, x) -> {
                Object p = plain(x);
                if (p != null) {
                    m.put(String.valueOf(k), p);
                }
            });
            return m;
        }
        if (v instanceof Collection<?> c) {
            List<Object> l = new ArrayList<>(c.size());
            for (Object x : c) {
                l.add(plain(x));
            }
            return l;
        }
        if (v instanceof JsonNode n) {
            return plainNode(n);
        }
        throw new IllegalArgumentException("no canonical JSON for " + v.getClass());
    }

    private static Object plainNode(JsonNode n) {
        if (n.isObject()) {
            Map<String, Object> m = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                Object p = plainNode(e.getValue());
                if (p != null) {
                    m.put(e.getKey(), p);
                }
            }
            return m;
        }
        if (n.isArray()) {
            List<Object> l = new ArrayList<>(n.size());
            n.forEach(x -> l.add(plainNode(x)));
            return l;
        }
        if (n.isTextual()) {
            return n.asText();
        }
        if (n.isBoolean()) {
            return n.asBoolean();
        }
        if (n.isIntegralNumber()) {
            return n.canConvertToLong() ? (Object) n.asLong() : n.bigIntegerValue();
        }
        if (n.isNumber()) {
            return n.decimalValue();
        }
        return null;
    }

    private static void write(Object v, StringBuilder out) {
        if (v instanceof String s) {
            quote(s, out);
        } else if (v instanceof Map<?, ?> m) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                quote((String) e.getKey(), out);
                out.append(':');
                write(e.getValue(), out);
            }
            out.append('}');
        } else if (v instanceof List<?> l) {
            out.append('[');
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(l.get(i), out);
            }
            out.append(']');
        } else if (v == null) {
            out.append("null");
        } else if (v instanceof java.math.BigDecimal d) {
            out.append(d.toPlainString());
        } else {
            out.append(v); // Long, BigInteger, Boolean
        }
    }

    private static void quote(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private CanonicalJson() {
    }
}
