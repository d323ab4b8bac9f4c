package dev.kiln.magics.env;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The one JSON form a snapshot is hashed in: UTF-8, no whitespace, object keys sorted, nulls left
 * out. Two equal environments give the same bytes, so the same SHA-256.
 */
public final class CanonicalJson {

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /** Canonical bytes of any value Jackson can serialize. */
    public static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(canonical(MAPPER.valueToTree(value)));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String string(Object value) {
        return new String(bytes(value), StandardCharsets.UTF_8);
    }

    /** Indented, keys sorted: for people reading a file. */
    public static String pretty(Object value) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(canonical(MAPPER.valueToTree(value)));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static <T> T read(byte[] json, Class<T> type) throws IOException {
        return MAPPER.readValue(json, type);
    }

    public static JsonNode tree(Object value) {
        return MAPPER.valueToTree(value);
    }

    public static <T> T fromTree(JsonNode node, Class<T> type) {
        try {
            return MAPPER.treeToValue(node, type);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The value as nested Maps and Lists (keys sorted), for a result's provenance. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> asMap(Object value) {
        return MAPPER.convertValue(canonical(MAPPER.valueToTree(value)), Map.class);
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode canonical(JsonNode node) {
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                names.add(it.next());
            }
            names.sort(null);
            ObjectNode sorted = JsonNodeFactory.instance.objectNode();
            for (String name : names) {
                JsonNode child = node.get(name);
                if (!child.isNull() && !child.isMissingNode()) {
                    sorted.set(name, canonical(child));
                }
            }
            return sorted;
        }
        if (node.isArray()) {
            ArrayNode array = JsonNodeFactory.instance.arrayNode();
            for (JsonNode child : node) {
                array.add(canonical(child));
            }
            return array;
        }
        return node;
    }

    private CanonicalJson() {
    }
}
