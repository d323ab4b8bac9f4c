package dev.kiln.magics.share;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.magics.core.KilnVersion;
import dev.kiln.magics.core.Provenance;
import dev.kiln.magics.core.Provenance.DatasetVersion;
import dev.kiln.magics.core.ProvenanceJson;
import dev.kiln.magics.core.TimeText;
import dev.kiln.magics.env.EnvSnapshot;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What produced a notebook, gathered from its outputs' {@code metadata.kiln}: the environment
 * snapshot, the dataset versions each cell used, the image, Kiln's version and the cells' run times
 * (from the {@code execution} timestamps Jupyter keeps in cell metadata).
 *
 * @param snapshot   the last snapshot an output recorded (with its environment); null when none
 * @param datasets   every dataset version used, in the order cells used them (a conversion's input too)
 * @param conversions every {@code %parquet convert} the cells ran: input version, output version, file hashes
 * @param cellTimes  run times of the cells that have them
 * @param volatileCells indexes of cells whose outputs are declared volatile
 */
public record NotebookProvenance(Provenance.Snapshot snapshot, List<DatasetUse> datasets, List<RecordedConversion> conversions,
                                 List<CellTime> cellTimes, List<Integer> volatileCells) {

    public static final String DEFAULT_VOLATILE_TAG = "volatile";

    /** {@code %%sql}'s command, and how an export marks the versions it read ({@code "read": "sql"}). */
    static final String SQL = "sql";

    /** The commands whose datasets a cell used; push, status, version … name versions without using them. */
    private static final Set<String> USING_COMMANDS = Set.of("data pull", "data checkout", "data add", SQL);

    /**
     * A dataset version a cell used (as {@code %data} or {@code %%sql} recorded it).
     *
     * @param readInPlace read where the cache holds it by {@code %%sql} ({@code FROM 'name@v3/file.parquet'}),
     *                    never checked out into the workspace
     */
    public record DatasetUse(int cell, DatasetVersion used, boolean readInPlace) {
        public String dataset() {
            return used.dataset();
        }

        public String version() {
            return used.version();
        }

        public String manifest() {
            return used.manifest();
        }

        public String path() {
            return used.path();
        }

        public String subpath() {
            return used.subpath();
        }

        public String spec() {
            return used.spec();
        }
    }

    /** When a cell ran and for how long. */
    public record CellTime(int cell, String start, String end, double seconds) {
    }

    /** Gathers the provenance of {@code nb}; falls back to its notebook-level {@code metadata.kiln} (an export). */
    public static NotebookProvenance of(JsonNode nb, String volatileTag) {
        Provenance.Snapshot snapshot = null;
        List<DatasetUse> datasets = new ArrayList<>();
        List<RecordedConversion> conversions = new ArrayList<>();
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
                Provenance p = ProvenanceJson.read(out.path("metadata").path("kiln"));
                if (p.snapshot() != null && p.snapshot().environment() != null) {
                    snapshot = p.snapshot();
                }
                datasets.addAll(datasetsOf(i, p));
                Optional<RecordedConversion> c = RecordedConversion.of(i, p);
                if (c.isPresent()) {
                    conversions.add(c.get());
                    if (c.get().input() != null) {
                        datasets.add(inputUse(i, c.get().input(), datasets));
                    }
                }
            }
        }
        JsonNode saved = nb.path("metadata").path("kiln");
        Provenance.Snapshot exported = ProvenanceJson.read(saved).snapshot();
        if (snapshot == null && exported != null && exported.environment() != null) {
            snapshot = exported;
        }
        if (datasets.isEmpty()) {
            List<DatasetVersion> versions = ProvenanceJson.datasets(saved.path("datasets"));
            for (int i = 0; i < versions.size(); i++) {
                JsonNode d = saved.path("datasets").path(i);
                datasets.add(new DatasetUse(d.path("cells").path(0).asInt(-1), versions.get(i), SQL.equals(d.path("read").asText())));
            }
        }
        if (conversions.isEmpty()) {
            conversions.addAll(RecordedConversion.fromExport(saved.path("conversions")));
        }
        return new NotebookProvenance(snapshot, List.copyOf(datasets), List.copyOf(conversions), List.copyOf(times),
                List.copyOf(volatileCells));
    }

    /** A conversion's input as a use of its cell, with where it is from an earlier use of that version (a conversion records neither). */
    private static DatasetUse inputUse(int cell, DatasetVersion input, List<DatasetUse> earlier) {
        for (DatasetUse d : earlier) {
            if (d.dataset().equals(input.dataset()) && d.version().equals(input.version()) && d.subpath() == null) {
                return new DatasetUse(cell, new DatasetVersion(input.dataset(), input.version(), d.manifest(), d.path(), null, null), false);
            }
        }
        return new DatasetUse(cell, input, false);
    }

    /** The dataset versions one output's provenance says its cell used. */
    static List<DatasetUse> datasetsOf(int cell, Provenance p) {
        if (!USING_COMMANDS.contains(String.valueOf(p.command()))) {
            return List.of();
        }
        boolean sql = SQL.equals(p.command());
        return p.datasets().stream().map(d -> new DatasetUse(cell, d, sql)).toList();
    }

    /** The last version of each dataset the notebook used, by name. */
    public Map<String, DatasetUse> lastVersions() {
        Map<String, DatasetUse> m = new LinkedHashMap<>();
        datasets.forEach(d -> m.put(d.dataset() + (d.subpath() == null ? "" : "/" + d.subpath()), d));
        return m;
    }

    /** The recorded snapshot as env's record; null when the notebook recorded none. */
    public EnvSnapshot envSnapshot() {
        return EnvSnapshot.of(snapshot);
    }

    static boolean isVolatile(JsonNode cell, String tag) {
        for (JsonNode t : cell.path("metadata").path("tags")) {
            if (t.asText().equals(tag)) {
                return true;
            }
        }
        return cell.path("metadata").path("kiln").path("volatile").asBoolean(false);
    }

    static CellTime cellTime(int cell, JsonNode execution) {
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
        exported.put("time", TimeText.now());
        exported.put("kiln", KilnVersion.get());
        Map<String, Object> env = snapshot == null ? null : snapshot.environment();
        if (env != null && env.containsKey("kiln")) {
            m.set("kiln", NotebookFile.JSON.valueToTree(env.get("kiln")));
        } else {
            m.putObject("kiln").put("version", KilnVersion.get());
        }
        if (env != null && env.containsKey("image")) {
            m.set("image", NotebookFile.JSON.valueToTree(env.get("image")));
        }
        if (snapshot != null) {
            m.set("snapshot", NotebookFile.JSON.valueToTree(ProvenanceJson.write(snapshot)));
        }
        ArrayNode ds = m.putArray("datasets");
        Map<String, ObjectNode> byVersion = new LinkedHashMap<>();
        for (DatasetUse d : datasets) {
            ObjectNode o = byVersion.computeIfAbsent(d.spec() + "/" + d.subpath() + (d.readInPlace() ? " " + SQL : ""), k -> {
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
                if (d.readInPlace()) {
                    n.put("read", SQL);
                }
                n.putArray("cells");
                return n;
            });
            ((ArrayNode) o.get("cells")).add(d.cell());
        }
        if (!conversions.isEmpty()) {
            ArrayNode cv = m.putArray("conversions");
            conversions.forEach(c -> c.writeTo(cv.addObject()));
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
