package dev.kiln.kernel;

import dev.kiln.magics.record.Recorder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * This kernel session as a run in the sidecar: the notebook, when it started, and, as cells
 * produce provenance, the environment snapshot and dataset versions they used. The run is recorded
 * at start and again after each cell with provenance, each time with the latest end.
 */
final class RunLog {

    private final Recorder recorder;
    private final String id = "run-" + UUID.randomUUID();
    private final String notebook;
    private final String session;
    private final Instant start = Instant.now();
    private final Set<Map<String, Object>> datasets = new LinkedHashSet<>();
    private final List<Map<String, Object>> outputs = new ArrayList<>();
    private String snapshot;

    RunLog(Recorder recorder, Map<String, String> env, String session) {
        this.recorder = recorder;
        String nb = env.get("JPY_SESSION_NAME");
        this.notebook = nb == null || nb.isBlank() ? "(no notebook)" : nb;
        this.session = session;
    }

    void started() {
        recorder.recordRun(record(null));
    }

    /** Notes the provenance of a cell's output ({@code metadata.kiln}) and records the run again. */
    @SuppressWarnings("unchecked")
    synchronized void cellFinished(int cell, Map<String, Object> provenance) {
        if (provenance.isEmpty()) {
            return;
        }
        if (provenance.get("snapshot") instanceof Map<?, ?> s && s.get("id") instanceof String sid) {
            snapshot = sid;
        }
        if (provenance.get("data") instanceof Map<?, ?> data && data.get("datasets") instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> m && m.get("dataset") != null && m.get("version") != null) {
                    datasets.add(Map.of("dataset", String.valueOf(m.get("dataset")), "version", String.valueOf(m.get("version"))));
                }
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("cell", cell);
        out.put("kiln", provenance.keySet());
        outputs.add(out);
        recorder.recordRun(record(Instant.now()));
    }

    /** Sends what is waiting (this run's records and the session's provenance); false when some is left. */
    boolean deliver(java.time.Duration timeout) {
        return recorder.flush(timeout);
    }

    private synchronized Map<String, Object> record(Instant end) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", id);
        r.put("notebook", notebook);
        r.put("session", session);
        r.put("start", start.toString());
        if (end != null) {
            r.put("end", end.toString());
        }
        if (snapshot != null) {
            r.put("snapshot", snapshot);
        }
        r.put("datasets", new ArrayList<>(datasets));
        r.put("outputs", new ArrayList<>(outputs));
        return r;
    }
}
