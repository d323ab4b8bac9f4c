package dev.kiln.magics.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where a command's result came from: what ran, the dataset versions it used or produced (with
 * their version records when the command held them), the versions those were derived from, the
 * environment snapshot it took, its settings, and the rest of what it reports about its run.
 * Commands make it, results carry it ({@link Result#provenance()}), {@link ProvenanceJson} writes it
 * as a notebook output's {@code metadata.kiln} and reads it back.
 *
 * @param command  what ran: {@code data pull}, {@code parquet convert}, {@code env snapshot}…; null for {@link #NONE}
 * @param datasets the dataset versions it used or produced
 * @param lineage  the versions those were derived from (a conversion's input)
 * @param snapshot the environment snapshot it took, or null
 * @param settings how it ran (a conversion's options); empty when it has none
 * @param report   what else it records, keyed as in {@code metadata.kiln} (a conversion's files and
 *                 rows, an environment check's {@code envCheck}…), in the order it is written
 * @param warning  why part of it could not be recorded (a conversion whose output was not
 *                 versioned), or null
 */
public record Provenance(String command, List<DatasetVersion> datasets, List<DatasetVersion> lineage, Snapshot snapshot,
                         Map<String, Object> settings, Map<String, Object> report, String warning) {

    /** A result with no provenance: nothing goes into {@code metadata.kiln}. */
    public static final Provenance NONE = new Provenance(null, List.of(), List.of(), null, Map.of(), Map.of(), null);

    /** An output that differs on every run (a progress bar): reproducing a notebook does not compare it. */
    public static final Provenance VOLATILE = NONE.withReport(Map.of(ProvenanceJson.VOLATILE, true));

    public Provenance {
        datasets = datasets == null ? List.of() : List.copyOf(datasets);
        lineage = lineage == null ? List.of() : List.copyOf(lineage);
        settings = settings == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        report = report == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(report));
    }

    /**
     * A dataset version as a result names it.
     *
     * @param manifest its manifest's hash, when the command knew it
     * @param path     where it is in the project, when it is there
     * @param subpath  the part of it taken ({@code NAME@V/SUBPATH}), or null for all of it
     * @param record   its version record, when the command held it (never read back from a notebook)
     */
    public record DatasetVersion(String dataset, String version, String manifest, String path, String subpath,
                                 VersionRecord record) {

        public DatasetVersion {
            Objects.requireNonNull(dataset, "dataset");
            Objects.requireNonNull(version, "version");
        }

        public static DatasetVersion of(String dataset, String version) {
            return new DatasetVersion(dataset, version, null, null, null, null);
        }

        /** {@code NAME@VERSION}, as {@code %data pull} takes it. */
        public String spec() {
            return dataset + "@" + version;
        }
    }

    /**
     * An environment snapshot.
     *
     * @param environment the environment whose canonical JSON hashes to {@code id}, as sorted maps,
     *                    lists and scalars; null when only the id is known
     */
    public record Snapshot(String id, Map<String, Object> environment) {
        public Snapshot {
            Objects.requireNonNull(id, "id");
        }
    }

    /** The provenance of a run of {@code command}, with nothing recorded yet. */
    public static Provenance of(String command) {
        return NONE.withCommand(command);
    }

    public boolean isEmpty() {
        return equals(NONE);
    }

    /** True for an output that differs on every run by nature (see {@link #VOLATILE}). */
    public boolean isVolatile() {
        Object v = report.get(ProvenanceJson.VOLATILE);
        // as leniently as notebooks were always read: true, "true" or a number other than 0
        return Boolean.TRUE.equals(v) || (v instanceof String s && s.strip().equalsIgnoreCase("true"))
                || (v instanceof Number n && n.doubleValue() != 0);
    }

    public Provenance withCommand(String c) {
        return new Provenance(c, datasets, lineage, snapshot, settings, report, warning);
    }

    public Provenance withDatasets(List<DatasetVersion> d) {
        return new Provenance(command, d, lineage, snapshot, settings, report, warning);
    }

    public Provenance withLineage(List<DatasetVersion> l) {
        return new Provenance(command, datasets, l, snapshot, settings, report, warning);
    }

    public Provenance withSnapshot(Snapshot s) {
        return new Provenance(command, datasets, lineage, s, settings, report, warning);
    }

    public Provenance withSettings(Map<String, Object> s) {
        return new Provenance(command, datasets, lineage, snapshot, s, report, warning);
    }

    public Provenance withReport(Map<String, Object> r) {
        return new Provenance(command, datasets, lineage, snapshot, settings, r, warning);
    }

    public Provenance withWarning(String w) {
        return new Provenance(command, datasets, lineage, snapshot, settings, report, w);
    }

    /**
     * This provenance with what {@code other} adds (a conversion's versioning): its datasets and
     * lineage after these, its snapshot, settings and warning where it has them, its report entries.
     */
    public Provenance with(Provenance other) {
        List<DatasetVersion> d = new ArrayList<>(datasets);
        d.addAll(other.datasets);
        List<DatasetVersion> l = new ArrayList<>(lineage);
        l.addAll(other.lineage);
        Map<String, Object> s = new LinkedHashMap<>(settings);
        s.putAll(other.settings);
        Map<String, Object> r = new LinkedHashMap<>(report);
        r.putAll(other.report);
        return new Provenance(command != null ? command : other.command, d, l,
                other.snapshot != null ? other.snapshot : snapshot, s, r, other.warning != null ? other.warning : warning);
    }
}
