package dev.kiln.magics.share;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.magics.core.Provenance;
import dev.kiln.magics.core.ProvenanceJson;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Compares a cell's recorded outputs with a re-run's. Execution counts and timings never count;
 * outputs whose {@code metadata.kiln.volatile} is true are left out; consecutive stream outputs are
 * joined (a kernel may flush them in other pieces). A Kiln magic's output is compared by what it
 * used (its provenance: dataset versions), not by its transfer statistics; an environment snapshot
 * is compared by the environment check, which {@link Reproducer} does once for the notebook. The
 * kernel's progress bars, and the timing line {@code %%time} prints, are volatile too. A dataset
 * version a magic produced is compared by its content (manifest) where known: converting the same
 * input again makes the same files under a new version id (the record holds its time).
 */
final class OutputComparison {

    /** The line {@code %%time} and {@code %time} print before the cell's own output (the kernel's TimeMagic). */
    private static final Pattern TIMING = Pattern.compile("(?m)^CPU time: [^\n]*\\(the kernel's process\\), wall time: [^\n]*\n?");

    /** One output reduced to what must be equal, and a short text to show. */
    record Comparable(String key, String shown) {
    }

    static List<Comparable> reduce(JsonNode outputs) {
        List<Comparable> out = new ArrayList<>();
        StringBuilder stream = null;
        String streamName = null;
        for (JsonNode o : outputs) {
            if (ProvenanceJson.read(o.path("metadata").path("kiln")).isVolatile() || isProgress(o)) {
                continue;
            }
            String type = o.path("output_type").asText();
            if (type.equals("stream")) {
                String name = o.path("name").asText();
                if (stream != null && name.equals(streamName)) {
                    stream.append(NotebookFile.text(o.get("text")));
                    continue;
                }
                if (stream != null) {
                    addStream(out, streamName, stream);
                }
                stream = new StringBuilder(NotebookFile.text(o.get("text")));
                streamName = name;
                continue;
            }
            if (stream != null) {
                addStream(out, streamName, stream);
                stream = null;
            }
            switch (type) {
                case "error" -> {
                    String e = o.path("ename").asText() + ": " + o.path("evalue").asText();
                    out.add(new Comparable("error:" + e, e));
                }
                case "execute_result", "display_data" -> out.add(data(o));
                default -> out.add(new Comparable(type + ":" + o, type));
            }
        }
        if (stream != null) {
            addStream(out, streamName, stream);
        }
        return out;
    }

    private static void addStream(List<Comparable> out, String name, CharSequence text) {
        String kept = name.equals("stdout") ? TIMING.matcher(text).replaceAll("") : text.toString();
        if (!kept.isEmpty()) {
            out.add(new Comparable(name + ":" + kept, kept));
        }
    }

    /** The kernel's progress bar (its last state: rates and sizes fetched), volatile by nature. */
    private static boolean isProgress(JsonNode o) {
        return "display_data".equals(o.path("output_type").asText())
                && NotebookFile.text(o.path("data").get("text/html")).startsWith("<div class=\"kiln-progress\">");
    }

    private static Comparable data(JsonNode o) {
        JsonNode kiln = o.path("metadata").path("kiln");
        Provenance p = ProvenanceJson.read(kiln);
        String plain = NotebookFile.text(o.path("data").get("text/plain"));
        if (!p.isEmpty()) {
            if (p.snapshot() != null) {
                return new Comparable("snapshot", "environment snapshot");
            }
            List<NotebookProvenance.DatasetUse> used = NotebookProvenance.datasetsOf(0, p);
            if (!used.isEmpty()) {
                StringBuilder k = new StringBuilder("datasets:");
                StringBuilder shown = new StringBuilder();
                for (NotebookProvenance.DatasetUse d : used) {
                    k.append(d.dataset()).append('@').append(d.version()).append('/').append(d.subpath()).append(';');
                    shown.append(shown.isEmpty() ? "" : ", ").append(d.dataset()).append('@').append(shortId(d.version()));
                }
                return new Comparable(k.toString(), shown.toString());
            }
            return new Comparable("kiln:" + stable(byContent(kiln)), plain);
        }
        Map<String, String> bundle = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = o.path("data").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            bundle.put(e.getKey(), NotebookFile.text(e.getValue()));
        }
        return new Comparable("data:" + bundle, plain.isEmpty() ? String.join(", ", bundle.keySet()) : plain);
    }

    /**
     * {@code metadata.kiln} with each dataset version that names its manifest named by it alone, and
     * a conversion's input and output by their file names rather than the clone's absolute paths.
     */
    private static JsonNode byContent(JsonNode kiln) {
        JsonNode copy = kiln.deepCopy();
        for (JsonNode provenance : List.of(copy, copy.path("data"))) {
            for (JsonNode d : provenance.path("datasets")) {
                if (d instanceof ObjectNode o && o.hasNonNull("manifest")) {
                    o.remove("version");
                }
            }
        }
        List<JsonNode> withPaths = new ArrayList<>(List.of(copy));
        copy.path("files").forEach(withPaths::add);
        for (JsonNode n : withPaths) {
            if (n instanceof ObjectNode o) {
                for (String field : List.of("input", "output")) {
                    Path path = o.hasNonNull(field) ? Path.of(o.get(field).asText()).getFileName() : null;
                    if (path != null) {
                        o.put(field, path.toString());
                    }
                }
            }
        }
        if (copy.path("settings") instanceof ObjectNode settings) {
            settings.remove("threads"); // the same bytes at any --threads; its default is the machine's cores
        }
        return copy;
    }

    /** Provenance without the fields that change from run to run by nature (times, durations). */
    private static String stable(JsonNode n) {
        if (n.isObject()) {
            Map<String, String> m = new TreeMap<>();
            n.fields().forEachRemaining(e -> {
                String k = e.getKey().toLowerCase(java.util.Locale.ROOT);
                if (!(k.contains("time") || k.contains("seconds") || k.contains("millis") || k.contains("duration"))) {
                    m.put(e.getKey(), stable(e.getValue()));
                }
            });
            return m.toString();
        }
        if (n.isArray()) {
            List<String> l = new ArrayList<>();
            n.forEach(x -> l.add(stable(x)));
            return l.toString();
        }
        return n.asText();
    }

    /** The first difference between two reduced output lists, or null when they are equal. */
    static String firstDifference(List<Comparable> before, List<Comparable> after) {
        for (int i = 0; i < Math.max(before.size(), after.size()); i++) {
            Comparable a = i < before.size() ? before.get(i) : null;
            Comparable b = i < after.size() ? after.get(i) : null;
            if (a == null) {
                return "new output: " + clip(b.shown());
            }
            if (b == null) {
                return "output missing: " + clip(a.shown());
            }
            if (!Objects.equals(a.key(), b.key())) {
                return clip(a.shown()) + " → " + clip(b.shown());
            }
        }
        return null;
    }

    static String shortId(String id) {
        return id == null ? "-" : id.substring(0, Math.min(12, id.length()));
    }

    static String clip(String s) {
        String one = s.strip().replace("\n", " ⏎ ");
        return one.length() > 120 ? one.substring(0, 117) + "…" : one;
    }

    private OutputComparison() {
    }
}
