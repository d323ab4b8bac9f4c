package dev.kiln.kernel;

import dev.kiln.magics.core.Provenance;
import dev.kiln.magics.core.ProvenanceJson;
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

    /**
     * Notes the provenance of a cell's magics (what their outputs' {@code metadata.kiln} hold) and
     * records the run again: the snapshot the cell took last, the datasets of its last magic that
     * names any, and the keys its outputs' metadata has.
     */
    synchronized void cellFinished(int cell, List<Provenance> provenance) {
        Set<String> keys = new LinkedHashSet<>();
        Provenance named = null;
        for (Provenance p : provenance) {
            Map<String, Object> json = ProvenanceJson.write(p);
            keys.addAll(json.keySet());
            if (p.snapshot() != null) {
                snapshot = p.snapshot().id();
            }
            if (json.containsKey("data")) {
                named = p;
            }
        }
        if (keys.isEmpty()) {
            return;
        }
        if (named != null) {
            for (Provenance.DatasetVersion d : named.datasets()) {
                datasets.add(Map.of("dataset", d.dataset(), "version", d.version()));
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("cell", cell);
        out.put("kiln", keys);
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
