package dev.kiln.magics.env;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * The dataset versions pinned in {@code kiln.lock}. The lock file belongs to {@code %data}; this
 * class reads it tolerantly (YAML or JSON; datasets at the top level or under {@code datasets})
 * and keeps each dataset's scalar fields (version, manifest, size, …), so a change to the lock
 * file's layout only touches this class.
 */
final class LockFileDatasets {

    static final String LOCK_FILE = "kiln.lock";

    /** The datasets of the project's lock file; {@code null} when there is none. */
    static Environment.Datasets read(Path projectDir) {
        Path lock = projectDir.resolve(LOCK_FILE);
        if (!Files.isRegularFile(lock)) {
            return null;
        }
        try {
            JsonNode root = new YAMLMapper().readTree(lock.toFile());
            if (root == null || root.isNull() || root.isMissingNode()) {
                return new Environment.Datasets(LOCK_FILE, Map.of(), null);
            }
            if (!root.isObject()) {
                return new Environment.Datasets(LOCK_FILE, null, "not a map of datasets");
            }
            JsonNode datasets = root.has("datasets") && root.get("datasets").isObject() ? root.get("datasets") : root;
            Map<String, Map<String, Object>> entries = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = datasets.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isObject()) {
                    continue; // a lock-file setting such as "version: 1", not a dataset
                }
                Map<String, Object> fields = new TreeMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> f = e.getValue().fields(); f.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = f.next();
                    JsonNode v = field.getValue();
                    if (v.isIntegralNumber()) {
                        fields.put(field.getKey(), v.asLong());
                    } else if (v.isBoolean()) {
                        fields.put(field.getKey(), v.asBoolean());
                    } else if (v.isValueNode() && !v.isNull()) {
                        fields.put(field.getKey(), v.asText());
                    } else if (v.isArray()) {
                        fields.put(field.getKey() + "Count", (long) v.size());
                    }
                }
                entries.put(e.getKey(), fields);
            }
            return new Environment.Datasets(LOCK_FILE, entries, null);
        } catch (IOException | RuntimeException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
            return new Environment.Datasets(LOCK_FILE, null, "unreadable: " + why);
        }
    }

    /** The version a dataset is pinned at, under whichever name the lock file uses. */
    static String version(Map<String, Object> entry) {
        for (String k : new String[] {"version", "versionId", "version_id", "id", "tag", "manifest"}) {
            Object v = entry.get(k);
            if (v != null) {
                return v.toString();
            }
        }
        return null;
    }

    /** The {@code %data} line that fetches this dataset version again. */
    static String pullLine(String name, Map<String, Object> entry) {
        String v = version(entry);
        return "%data pull " + name + (v == null ? "" : "@" + v);
    }

    private LockFileDatasets() {
    }
}
