package dev.kiln.magics.share;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.magics.core.KilnVersion;
import dev.kiln.magics.core.CanonicalJson;
import dev.kiln.magics.env.EnvSnapshot;
import dev.kiln.magics.env.Environment;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What produced a notebook, gathered from its outputs' {@code metadata.kiln}: the environment
 * snapshot, the dataset versions each cell used, the image, Kiln's version and the cells' run times
 * (from the {@code execution} timestamps Jupyter keeps in cell metadata).
 *
 * @param snapshot   the last snapshot an output recorded ({@code {"id", "environment"}}); null when none
 * @param datasets   every dataset version used, in the order cells used them
 * @param cellTimes  run times of the cells that have them
 * @param volatileCells indexes of cells whose outputs are declared volatile
 */
public record NotebookProvenance(JsonNode snapshot, List<DatasetUse> datasets, List<CellTime> cellTimes,
                                 List<Integer> volatileCells) {

    public static final String DEFAULT_VOLATILE_TAG = "volatile";

    /** A dataset version a cell used (as {@code %data} recorded it). */
    public record DatasetUse(int cell, String dataset, String version, String manifest, String path, String subpath) {
        public String spec() {
            return dataset + "@" + version;
        }
    }

    /** When a cell ran and for how long. */
    public record CellTime(int cell, String start, String end, double seconds) {
    }

    /** Gathers the provenance of {@code nb}; falls back to its notebook-level {@code metadata.kiln} (an export). */
    public static NotebookProvenance of(JsonNode nb, String volatileTag) {
        JsonNode snapshot = null;
        List<DatasetUse> datasets = new ArrayList<>();
        List<CellTime> times = new ArrayList<>();
        List<Integer> volatileCells = new ArrayList<>();
        JsonNode cells = nb.path("cells");
        for (int i = 0; i < cells.size(); i++) {
            JsonNode cell = cells.get(i);
            if (isVolatile(cell, volatileTag)) {
                volatileCells.add(i);
            }
            CellTime t = cellTime(i, cell.path("metadata").path("execution"));
            if (t != null) {
                times.add(t);
            }
            for (JsonNode out : cell.path("outputs")) {
                JsonNode kiln = out.path("metadata").path("kiln");
                if (kiln.path("snapshot").has("environment")) {
                    snapshot = kiln.path("snapshot");
                }
                datasets.addAll(datasetsOf(i, kiln));
            }
        }
        JsonNode saved = nb.path("metadata").path("kiln");
        if (snapshot == null && saved.path("snapshot").has("environment")) {
            snapshot = saved.path("snapshot");
        }
        if (datasets.isEmpty()) {
            for (JsonNode d : saved.path("datasets")) {
                datasets.add(new DatasetUse(d.path("cells").path(0).asInt(-1), d.path("dataset").asText(), d.path("version").asText(),
                        str(d, "manifest"), str(d, "path"), str(d, "subpath")));
            }
        }
        return new NotebookProvenance(snapshot, List.copyOf(datasets), List.copyOf(times), List.copyOf(volatileCells));
    }

    /** The dataset versions one output's {@code metadata.kiln} records ({@code data.datasets}). */
    static List<DatasetUse> datasetsOf(int cell, JsonNode kiln) {
        List<DatasetUse> out = new ArrayList<>();
        String command = kiln.path("data").path("command").asText("");
        if (!(command.equals("data pull") || command.equals("data checkout") || command.equals("data add"))) {
            return out; // push, status, version … name versions without using them
        }
        for (JsonNode d : kiln.path("data").path("datasets")) {
            if (d.hasNonNull("dataset") && d.hasNonNull("version")) {
                out.add(new DatasetUse(cell, d.get("dataset").asText(), d.get("version").asText(), str(d, "manifest"),
                        str(d, "path"), str(d, "subpath")));
            }
        }
        return out;
    }

    /** The last version of each dataset the notebook used, by name. */
    public Map<String, DatasetUse> lastVersions() {
        Map<String, DatasetUse> m = new LinkedHashMap<>();
        datasets.forEach(d -> m.put(d.dataset() + (d.subpath() == null ? "" : "/" + d.subpath()), d));
        return m;
    }

    /** The recorded snapshot as env's record; null when the notebook recorded none. */
    public EnvSnapshot envSnapshot() {
        if (snapshot == null) {
            return null;
        }
        return EnvSnapshot.of(CanonicalJson.fromTree(snapshot.get("environment"), Environment.class));
    }

    static boolean isVolatile(JsonNode cell, String tag) {
        for (JsonNode t : cell.path("metadata").path("tags")) {
            if (t.asText().equals(tag)) {
                return true;
            }
        }
        return cell.path("metadata").path("kiln").path("volatile").asBoolean(false);
    }

    private static CellTime cellTime(int cell, JsonNode execution) {
        String start = execution.path("iopub.execute_input").asText(null);
        if (start == null) {
            start = execution.path("shell.execute_request").asText(null);
        }
        String end = execution.path("shell.execute_reply").asText(null);
        if (start == null || end == null) {
            return null;
        }
        try {
            double seconds = Duration.between(Instant.parse(start), Instant.parse(end)).toNanos() / 1e9;
            return new CellTime(cell, start, end, Math.max(0, seconds));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String str(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() || v.asText().isEmpty() ? null : v.asText();
    }

    /**
     * The notebook-level {@code metadata.kiln} an export writes.
     *
     * @param source the notebook exported, as the user named it
     */
    public ObjectNode toMetadata(String source, String volatileTag) {
        ObjectNode m = NotebookFile.JSON.createObjectNode();
        m.put("format", 1);
        ObjectNode exported = m.putObject("exported");
        exported.put("from", source);
        exported.put("time", Instant.now().toString());
        exported.put("kiln", KilnVersion.get());
        JsonNode env = snapshot == null ? null : snapshot.path("environment");
        if (env != null && env.has("kiln")) {
            m.set("kiln", env.get("kiln"));
        } else {
            m.putObject("kiln").put("version", KilnVersion.get());
        }
        if (env != null && env.has("image")) {
            m.set("image", env.get("image"));
        }
        if (snapshot != null) {
            m.set("snapshot", snapshot);
        }
        ArrayNode ds = m.putArray("datasets");
        Map<String, ObjectNode> byVersion = new LinkedHashMap<>();
        for (DatasetUse d : datasets) {
            ObjectNode o = byVersion.computeIfAbsent(d.spec() + "/" + d.subpath(), k -> {
                ObjectNode n = ds.addObject();
                n.put("dataset", d.dataset());
                n.put("version", d.version());
                if (d.manifest() != null) {
                    n.put("manifest", d.manifest());
                }
                if (d.path() != null) {
                    n.put("path", d.path());
                }
                if (d.subpath() != null) {
                    n.put("subpath", d.subpath());
                }
                n.putArray("cells");
                return n;
            });
            ((ArrayNode) o.get("cells")).add(d.cell());
        }
        if (!cellTimes.isEmpty()) {
            ObjectNode run = m.putObject("run");
            run.put("start", cellTimes.get(0).start());
            run.put("end", cellTimes.get(cellTimes.size() - 1).end());
            ArrayNode cells = run.putArray("cells");
            for (CellTime t : cellTimes) {
                cells.addObject().put("cell", t.cell()).put("start", t.start()).put("seconds", Math.round(t.seconds() * 1000) / 1000.0);
            }
        }
        ObjectNode vol = m.putObject("volatile");
        vol.put("tag", volatileTag);
        ArrayNode vc = vol.putArray("cells");
        volatileCells.forEach(vc::add);
        return m;
    }

    /** The notebook's file name for messages. */
    static String name(Path notebook) {
        return notebook.getFileName().toString();
    }
}
