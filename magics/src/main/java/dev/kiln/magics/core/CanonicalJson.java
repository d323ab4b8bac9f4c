package dev.kiln.magics.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one JSON form every id is the SHA-256 of: UTF-8, no whitespace, keys sorted (Java string
 * order), records as objects of their components. Dataset records ({@link #DATA}) and snapshots
 * ({@link #ENVIRONMENT}) were first hashed under rules that differ in three places, and their ids
 * are on remotes and in notebooks already, so each keeps its own. Written by hand so that a
 * snapshot in a fresh JVM need not load Jackson, which only reads JSON back ({@link #mapper()}).
 */
public final class CanonicalJson {

    /**
     * Version records and manifests: a {@code null} is written ({@code "parent":null}), a control
     * character as a u-escape in upper-case hex (001F), and every UTF-16 surrogate as a u-escape of
     * its own (D83D, DE80 for a rocket), as Jackson 2.17 wrote them.
     */
    public static final CanonicalJson DATA = new CanonicalJson(true, true);

    /**
     * Environment snapshots (and the lines of {@code runs.jsonl}): a {@code null} field or map entry
     * is left out, a control character is a u-escape in lower-case hex (001f), and a character beyond
     * U+FFFF is written as its four UTF-8 bytes.
     */
    public static final CanonicalJson ENVIRONMENT = new CanonicalJson(false, false);

    private final boolean nulls;
    private final boolean jacksonEscapes;

    private CanonicalJson(boolean nulls, boolean jacksonEscapes) {
        this.nulls = nulls;
        this.jacksonEscapes = jacksonEscapes;
    }

    /** Jackson, loaded only when JSON is read back: a fresh JVM pays for loading it. */
    private static final class Jackson {
        static final ObjectMapper MAPPER = JsonMapper.builder()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
        static final JsonFactory FACTORY = new JsonFactory();
    }

    /** Reads JSON into records and trees; fields a record lacks are ignored. */
    public static ObjectMapper mapper() {
        return Jackson.MAPPER;
    }

    /** For reading without data binding (manifests, the lock file): no mapper to build on a cold start. */
    public static JsonFactory factory() {
        return Jackson.FACTORY;
    }

    /** Canonical bytes of records, maps, lists, strings, numbers, booleans and Jackson trees. */
    public byte[] bytes(Object value) {
        // a lone surrogate left under the snapshot rules becomes '?', as it always did
        return string(value).getBytes(StandardCharsets.UTF_8);
    }

    public String string(Object value) {
        StringBuilder out = new StringBuilder(4096);
        write(value, out);
        return out.toString();
    }

    /** The SHA-256 of the canonical bytes: the value's id. */
    public String id(Object value) {
        return Sha256.hex(bytes(value));
    }

    /** The value as nested sorted Maps, Lists and scalars, e.g. to carry as provenance. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> asMap(Object value) {
        Object p = plain(value);
        if (!(p instanceof Map)) {
            throw new IllegalArgumentException("not an object: " + value);
        }
        return (Map<String, Object>) p;
    }

    /** Indented, keys sorted, nulls as the rules say: for people reading it. */
    public String pretty(Object value) {
        try {
            return Jackson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(plain(value));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Indented as a file people read and diff ({@code kiln.lock}), keys sorted, as UTF-8 bytes. */
    public byte[] prettyBytes(Object value) {
        try {
            return Jackson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(plain(value));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static <T> T fromTree(JsonNode node, Class<T> type) {
        try {
            return Jackson.MAPPER.treeToValue(node, type);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Records and Jackson trees become sorted maps and lists (for {@link #asMap} and {@link #pretty}); scalars stay. */
    private Object plain(Object v) {
        if (v == null || v instanceof String || v instanceof Boolean) {
            return v;
        }
        if (v instanceof Number n) {
            if ((n instanceof Double d && !Double.isFinite(d)) || (n instanceof Float f && !Float.isFinite(f))) {
                throw new IllegalArgumentException("JSON has no number " + n);
            }
            return n instanceof Integer || n instanceof Short || n instanceof Byte ? Long.valueOf(n.longValue()) : n;
        }
        if (v instanceof Record r) {
            Map<String, Object> m = new TreeMap<>();
            for (Component c : COMPONENTS.get(r.getClass())) {
                put(m, c.name(), plain(c.value(r)));
            }
            return m;
        }
        if (v instanceof Map<?, ?> map) {
            Map<String, Object> m = new TreeMap<>();
            map.forEach((k, x) -> put(m, String.valueOf(k), plain(x)));
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

    private void put(Map<String, Object> m, String key, Object value) {
        if (value != null || nulls) {
            m.put(key, value);
        }
    }

    private Object plainNode(JsonNode n) {
        if (n.isObject()) {
            Map<String, Object> m = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                put(m, e.getKey(), plainNode(e.getValue()));
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

    /** Writes as it walks (a manifest of many files builds no tree first). */
    private void write(Object v, StringBuilder out) {
        if (isNull(v)) {
            out.append("null");
        } else if (v instanceof String s) {
            quote(s, out);
        } else if (v instanceof Boolean) {
            out.append(v);
        } else if (v instanceof Number n) {
            number(n, out);
        } else if (v instanceof Record r) {
            out.append('{');
            boolean first = true;
            for (Component c : COMPONENTS.get(r.getClass())) {
                Object value = c.value(r);
                if (!nulls && isNull(value)) {
                    continue;
                }
                if (!first) {
                    out.append(',');
                }
                first = false;
                quote(c.name(), out);
                out.append(':');
                write(value, out);
            }
            out.append('}');
        } else if (v instanceof Map<?, ?> map) {
            Map<String, Object> sorted = new TreeMap<>();
            map.forEach((k, x) -> sorted.put(String.valueOf(k), x));
            object(sorted, out);
        } else if (v instanceof Collection<?> c) {
            out.append('[');
            boolean first = true;
            for (Object x : c) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                write(x, out);
            }
            out.append(']');
        } else if (v instanceof JsonNode n) {
            write(plainNode(n), out);
        } else {
            throw new IllegalArgumentException("no canonical JSON for " + v.getClass());
        }
    }

    /** An object whose fields are already in order. */
    private void object(Map<String, Object> fields, StringBuilder out) {
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            if (!nulls && isNull(e.getValue())) {
                continue;
            }
            if (!first) {
                out.append(',');
            }
            first = false;
            quote(e.getKey(), out);
            out.append(':');
            write(e.getValue(), out);
        }
        out.append('}');
    }

    private static boolean isNull(Object v) {
        return v == null || (v instanceof JsonNode n && (n.isNull() || n.isMissingNode()));
    }

    private static void number(Number n, StringBuilder out) {
        if ((n instanceof Double d && !Double.isFinite(d)) || (n instanceof Float f && !Float.isFinite(f))) {
            throw new IllegalArgumentException("JSON has no number " + n);
        }
        if (n instanceof Long l) {
            out.append(l.longValue());
        } else if (n instanceof BigDecimal d) {
            out.append(d.toPlainString());
        } else {
            out.append(n); // Integer, Long, BigInteger, Double: as toString writes them
        }
    }

    /** A record's components, sorted by name, their accessors ready to call. */
    private record Component(String name, java.lang.reflect.Method accessor) {
        Object value(Record r) {
            try {
                return accessor.invoke(r);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static final ClassValue<List<Component>> COMPONENTS = new ClassValue<>() {
        @Override
        protected List<Component> computeValue(Class<?> type) {
            List<Component> cs = new ArrayList<>();
            for (RecordComponent c : type.getRecordComponents()) {
                c.getAccessor().setAccessible(true);
                cs.add(new Component(c.getName(), c.getAccessor()));
            }
            cs.sort(java.util.Comparator.comparing(Component::name));
            return List.copyOf(cs);
        }
    };

    private void quote(String s, StringBuilder out) {
        out.append('"');
        int plain = 0;
        while (plain < s.length() && !escaped(s.charAt(plain))) {
            plain++;
        }
        if (plain == s.length()) {
            out.append(s).append('"'); // most text needs no escape: copied whole
            return;
        }
        out.append(s, 0, plain);
        for (int i = plain; i < s.length(); i++) {
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
                    if (c < 0x20 || (jacksonEscapes && Character.isSurrogate(c))) {
                        out.append(String.format(jacksonEscapes ? "\\u%04X" : "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private boolean escaped(char c) {
        return c < 0x20 || c == '"' || c == '\\' || (jacksonEscapes && Character.isSurrogate(c));
    }
}
