package dev.kiln.magics.share;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.kiln.magics.env.SecretDetector;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;

/**
 * Secrets that user code put into a notebook: the values of secret-named environment variables
 * ({@code AWS_SECRET_ACCESS_KEY}, {@code DB_PASSWORD}…) and well-known credentials (AWS key ids,
 * GitHub tokens, private keys) in its outputs, sources and metadata. Found to warn before a
 * notebook is shared, and replaced by {@link SecretDetector#REDACTED} on request. Only names and
 * kinds are ever reported, never a value.
 */
public final class NotebookSecrets {

    /** Where a secret showed up: {@code what} says which ("the value of DB_PASSWORD", "an AWS access key id"). */
    public record Finding(String what, String where) {
    }

    /** Base64 payloads: no text to find, and long enough to make the scan slow. */
    private static final Set<String> BINARY_MIME = Set.of("image/png", "image/jpeg", "image/gif", "image/webp",
            "application/pdf");

    private final SortedMap<String, String> variables;

    /** @param env the environment whose secret-named variables' values are looked for */
    public NotebookSecrets(Map<String, String> env) {
        this.variables = SecretDetector.secretNamedVariables(env);
    }

    /** Every secret in {@code nb}, in notebook order, each variable or kind once per place. */
    public List<Finding> find(ObjectNode nb) {
        return walkNotebook(nb, false);
    }

    /** Replaces every secret in {@code nb} (in place) and says what was replaced where. */
    public List<Finding> redact(ObjectNode nb) {
        return walkNotebook(nb, true);
    }

    private List<Finding> walkNotebook(ObjectNode nb, boolean redact) {
        Map<String, Set<String>> found = new LinkedHashMap<>();
        JsonNode cells = nb.path("cells");
        for (int i = 0; i < cells.size(); i++) {
            JsonNode cell = cells.get(i);
            if (!cell.isObject()) {
                continue;
            }
            String name = cellName(cell, i);
            ObjectNode c = (ObjectNode) cell;
            visit(c, "source", name + " source", redact, found);
            visit(c, "outputs", name + " output", redact, found);
            visit(c, "metadata", name + " metadata", redact, found);
            visit(c, "attachments", name + " attachments", redact, found);
        }
        visit(nb, "metadata", "the notebook's metadata", redact, found);
        List<Finding> out = new ArrayList<>();
        found.forEach((where, whats) -> whats.forEach(w -> out.add(new Finding(w, where))));
        return out;
    }

    /** {@code cell [7]} by its execution count, as Jupyter shows it; {@code cell 3} (its position) when it has none. */
    static String cellName(JsonNode cell, int index) {
        JsonNode count = cell.path("execution_count");
        return count.isIntegralNumber() ? "cell [" + count.asInt() + "]" : "cell " + (index + 1);
    }

    private void visit(ObjectNode parent, String field, String where, boolean redact, Map<String, Set<String>> found) {
        JsonNode child = parent.get(field);
        if (child == null) {
            return;
        }
        JsonNode replaced = visit(child, where, redact, found);
        if (replaced != child) {
            parent.set(field, replaced);
        }
    }

    /** The node, or its redacted replacement where a text had to change. */
    private JsonNode visit(JsonNode node, String where, boolean redact, Map<String, Set<String>> found) {
        if (node.isTextual()) {
            String text = node.asText();
            String checked = check(text, where, redact, found);
            return checked.equals(text) ? node : TextNode.valueOf(checked);
        }
        if (node.isArray()) {
            if (isMultilineString(node)) {
                // nbformat splits long texts into lines; a secret could span two of them
                StringBuilder joined = new StringBuilder();
                node.forEach(line -> joined.append(line.asText()));
                String text = joined.toString();
                String checked = check(text, where, redact, found);
                if (checked.equals(text)) {
                    return node;
                }
                ArrayNode lines = ((ArrayNode) node).arrayNode();
                checked.lines().forEach(l -> lines.add(l + "\n"));
                if (!checked.endsWith("\n") && !lines.isEmpty()) {
                    String last = lines.remove(lines.size() - 1).asText();
                    lines.add(last.substring(0, last.length() - 1));
                }
                return lines;
            }
            ArrayNode a = (ArrayNode) node;
            for (int i = 0; i < a.size(); i++) {
                JsonNode r = visit(a.get(i), where, redact, found);
                if (r != a.get(i)) {
                    a.set(i, r);
                }
            }
            return node;
        }
        if (node.isObject()) {
            ObjectNode o = (ObjectNode) node;
            for (Iterator<String> names = o.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!BINARY_MIME.contains(name)) {
                    JsonNode r = visit(o.get(name), where, redact, found);
                    if (r != o.get(name)) {
                        o.set(name, r);
                    }
                }
            }
        }
        return node;
    }

    private static boolean isMultilineString(JsonNode array) {
        if (array.isEmpty()) {
            return false;
        }
        for (JsonNode e : array) {
            if (!e.isTextual()) {
                return false;
            }
        }
        return true;
    }

    private String check(String text, String where, boolean redact, Map<String, Set<String>> found) {
        String s = text;
        for (Map.Entry<String, String> v : variables.entrySet()) {
            if (s.contains(v.getValue())) {
                found.computeIfAbsent(where, k -> new LinkedHashSet<>()).add("the value of " + v.getKey());
                if (redact) {
                    s = s.replace(v.getValue(), SecretDetector.REDACTED);
                }
            }
        }
        Set<String> kinds = SecretDetector.knownTokenKinds(s);
        if (!kinds.isEmpty()) {
            found.computeIfAbsent(where, k -> new LinkedHashSet<>()).addAll(kinds);
            if (redact) {
                s = SecretDetector.redactKnownTokens(s);
            }
        }
        return s;
    }
}
