package dev.kiln.magics.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link Provenance} as a notebook output's {@code metadata.kiln}: the one place it is written and
 * the one place it is read back. Notebooks saved by every earlier version carry this JSON, so its
 * shape is theirs: a {@code data} command's datasets under {@code "data"}, parquet's command at the
 * top with its figures and settings, a snapshot under {@code "snapshot"}, and every other command's
 * report under a key of its own ({@code envCheck}, {@code export}, {@code maven}…).
 */
public final class ProvenanceJson {

    /** The key of an output that differs on every run. */
    static final String VOLATILE = "volatile";

    /** The commands earlier versions wrote at the top of metadata.kiln; data's go inside "data", the rest nowhere. */
    private static final Set<String> COMMAND_AT_TOP = Set.of("parquet convert", "parquet show");
    /** A conversion's settings followed where it ran, as earlier versions wrote them. */
    private static final Set<String> BEFORE_SETTINGS = Set.of("origin", "input", "output");
    private static final String DATA_COMMANDS = "data ";
    /** A command written under a key of its own, by that key. */
    private static final Map<String, String> COMMAND_OF_KEY = Map.of(
            "snapshot", "env snapshot",
            "envDiff", "env diff",
            "envCheck", "env check",
            "envRestore", "env restore",
            "export", "export",
            "reproduce", "reproduce",
            "maven", "maven");

    /** The JSON object of {@code metadata.kiln} as plain maps, lists and scalars; empty for no provenance. */
    public static Map<String, Object> write(Provenance p) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (p.isEmpty()) {
            return m;
        }
        if (p.command() != null && COMMAND_AT_TOP.contains(p.command())) {
            m.put("command", p.command());
        }
        boolean settingsDue = !p.settings().isEmpty();
        for (Map.Entry<String, Object> e : p.report().entrySet()) {
            if (settingsDue && !BEFORE_SETTINGS.contains(e.getKey())) {
                m.put("settings", p.settings());
                settingsDue = false;
            }
            m.put(e.getKey(), e.getValue());
        }
        if (settingsDue) {
            m.put("settings", p.settings());
        }
        if (p.snapshot() != null) {
            m.put("snapshot", write(p.snapshot()));
        }
        Map<String, Object> data = dataSection(p);
        if (data != null) {
            m.put("data", data);
        }
        return m;
    }

    /** A snapshot as {@code metadata.kiln.snapshot} holds it (and an export's notebook metadata): {@code {"id", "environment"}}. */
    public static Map<String, Object> write(Provenance.Snapshot snapshot) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("id", snapshot.id());
        if (snapshot.environment() != null) {
            s.put("environment", snapshot.environment());
        }
        return s;
    }

    /** {@code "data"}: a data command with the versions it names, or what a conversion versioned (or why it could not). */
    private static Map<String, Object> dataSection(Provenance p) {
        boolean dataCommand = p.command() != null && p.command().startsWith(DATA_COMMANDS);
        if (!dataCommand && p.datasets().isEmpty() && p.warning() == null) {
            return null;
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("command", p.command());
        if (p.warning() != null) {
            data.put("warning", p.warning());
            return data;
        }
        data.put("datasets", p.datasets().stream().map(ProvenanceJson::dataset).toList());
        if (!p.lineage().isEmpty()) {
            data.put("lineage", p.lineage().stream().map(ProvenanceJson::dataset).toList());
        }
        return data;
    }

    private static Map<String, Object> dataset(Provenance.DatasetVersion d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dataset", d.dataset());
        m.put("version", d.version());
        if (d.manifest() != null) {
            m.put("manifest", d.manifest());
        }
        if (d.path() != null) {
            m.put("path", d.path());
        }
        if (d.subpath() != null) {
            m.put("subpath", d.subpath());
        }
        return m;
    }

    /** The provenance an output's {@code metadata.kiln} records, as any version of Kiln wrote it; NONE when there is none. */
    public static Provenance read(JsonNode kiln) {
        if (kiln == null || !kiln.isObject() || kiln.isEmpty()) {
            return Provenance.NONE;
        }
        JsonNode data = kiln.path("data");
        String command = text(kiln, "command");
        if (command == null) {
            command = text(data, "command");
        }
        Map<String, Object> report = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = kiln.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            switch (e.getKey()) {
                case "command", "settings", "snapshot", "data" -> {
                }
                default -> {
                    report.put(e.getKey(), plain(e.getValue()));
                    if (command == null) {
                        command = COMMAND_OF_KEY.get(e.getKey());
                    }
                }
            }
        }
        Provenance.Snapshot snapshot = null;
        JsonNode s = kiln.path("snapshot");
        if (s.isObject() && s.path("id").isTextual()) {
            snapshot = new Provenance.Snapshot(s.get("id").asText(), s.path("environment").isObject() ? map(s.get("environment")) : null);
            if (command == null) {
                command = COMMAND_OF_KEY.get("snapshot");
            }
        }
        return new Provenance(command, datasets(data.path("datasets")), datasets(data.path("lineage")), snapshot,
                kiln.path("settings").isObject() ? map(kiln.get("settings")) : Map.of(), report, text(data, "warning"));
    }

    /** The dataset entries of a {@code datasets} array: each needs a name and a version. */
    public static List<Provenance.DatasetVersion> datasets(JsonNode array) {
        List<Provenance.DatasetVersion> out = new ArrayList<>();
        for (JsonNode d : array) {
            if (d.hasNonNull("dataset") && d.hasNonNull("version")) {
                out.add(new Provenance.DatasetVersion(d.get("dataset").asText(), d.get("version").asText(), text(d, "manifest"),
                        text(d, "path"), text(d, "subpath"), null));
            }
        }
        return out;
    }

    /** A text field, null when absent, null or empty. */
    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() || !v.isValueNode() || v.asText().isEmpty() ? null : v.asText();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(JsonNode object) {
        return (Map<String, Object>) plain(object);
    }

    private static Object plain(JsonNode n) {
        return CanonicalJson.mapper().convertValue(n, Object.class);
    }

    private ProvenanceJson() {
    }
}
