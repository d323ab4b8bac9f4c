package dev.kiln.kernel;

import dev.kiln.magics.core.JupyterNotebook;
import dev.kiln.magics.core.Provenance;
import dev.kiln.magics.core.ProvenanceJson;
import dev.kiln.magics.core.Result;
import dev.kiln.magics.core.Session;
import dev.kiln.magics.record.Recorder;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * This kernel session as a run in the sidecar: the notebook, when it started, and, as cells
 * produce provenance, the environment snapshot and dataset versions they used. The run is recorded
 * at start and again, as running, after each cell with provenance and after a cell that follows a
 * rename of the notebook; a clean shutdown records it ended. Meanwhile a heartbeat, on a thread of
 * its own, tells the sidecar the kernel is alive: a kernel that dies or is killed stops it, and the
 * sidecar marks its run lost. Recording never fails a cell: what goes wrong is written to the kernel's log.
 */
final class RunLog {

    private static final String NO_NOTEBOOK = "(no notebook)";
    private static final String CONVERSION = "parquet convert";

    private final Recorder recorder;
    private final PrintStream kernelLog;
    private final String id = "run-" + UUID.randomUUID();
    private final Map<String, String> env;
    /** The notebook as last recorded; Jupyter may rename it while the kernel runs. */
    private String notebook;
    private final String session;
    private final Instant start = Instant.now();
    private final Set<Map<String, Object>> datasets = new LinkedHashSet<>();
    private final List<Map<String, Object>> outputs = new ArrayList<>();
    private String snapshot;
    private ScheduledExecutorService heartbeat;

    private RunLog(Recorder recorder, Map<String, String> env, String session, PrintStream kernelLog) {
        this.recorder = recorder;
        this.kernelLog = kernelLog;
        this.env = env;
        this.notebook = notebookNow();
        this.session = session;
    }

    /** Opens the kernel session {@code sessionId}'s run: recorded now, with no end yet. */
    static RunLog open(Session session, String sessionId, PrintStream kernelLog) {
        RunLog log = new RunLog(Recorder.of(session), session.env(), sessionId, kernelLog);
        log.recorder.recordRun(log.record(null));
        log.startHeartbeat(heartbeatEvery(session.env()));
        return log;
    }

    /** {@link Recorder#HEARTBEAT}; {@code KILN_HEARTBEAT_SECONDS} sets another (tests that kill a kernel wait less). */
    static Duration heartbeatEvery(Map<String, String> env) {
        String s = env.get("KILN_HEARTBEAT_SECONDS");
        try {
            long seconds = s == null ? 0 : Long.parseLong(s.strip());
            return seconds > 0 ? Duration.ofSeconds(seconds) : Recorder.HEARTBEAT;
        } catch (NumberFormatException e) {
            return Recorder.HEARTBEAT;
        }
    }

    private void startHeartbeat(Duration every) {
        heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kiln-run-heartbeat");
            t.setDaemon(true);
            return t;
        });
        heartbeat.scheduleWithFixedDelay(() -> {
            try {
                recorder.heartbeat(id);
            } catch (RuntimeException e) {
                kernelLog.println("kiln: could not send the run's heartbeat: " + e.getMessage());
            }
        }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Notes the provenance of what cell {@code cell}'s magics produced (each result's
     * {@code metadata.kiln}): the snapshot and the dataset versions they used, and which kinds of
     * provenance the cell has; then records the run again. A cell without any changes nothing.
     * Never throws: the next cell's record is chained on this one.
     *
     * @return this log
     */
    RunLog cellFinished(int cell, boolean stored, List<Result> results) {
        if (!stored) {
            return this; // a front end's own query (Kiln's Lab panel asks for status silently): not a cell of the run
        }
        try {
            List<Provenance> provenance = results.stream().map(Result::provenance).filter(p -> !p.isEmpty()).toList();
            boolean renamed = notebookRenamed();
            if (!provenance.isEmpty()) {
                noteAndRecord(cell, provenance);
            } else if (renamed) {
                recorder.recordRun(record(null));
            }
        } catch (RuntimeException e) {
            kernelLog.println("kiln: could not record cell " + cell + "'s provenance for the sidecar: " + e.getMessage());
        }
        return this;
    }

    private synchronized void noteAndRecord(int cell, List<Provenance> provenance) {
        Set<String> kinds = new LinkedHashSet<>();
        for (Provenance p : provenance) {
            kinds.addAll(ProvenanceJson.write(p).keySet());
            if (p.snapshot() != null) {
                snapshot = p.snapshot().id();
            }
            List<Provenance.DatasetVersion> used = new ArrayList<>(p.datasets());
            if (CONVERSION.equals(p.command())) {
                used.addAll(p.lineage()); // the version it read is one the run used, as the version it wrote is
            }
            for (Provenance.DatasetVersion d : used) {
                datasets.add(Map.of("dataset", d.dataset(), "version", d.version()));
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("cell", cell);
        out.put("kiln", kinds);
        outputs.add(out);
        recorder.recordRun(record(null));
    }

    private String notebookNow() {
        return JupyterNotebook.of(env).map(JupyterNotebook::path).orElse(NO_NOTEBOOK);
    }

    /** Whether the notebook has another path than the run last recorded (read anew: one small file). */
    private synchronized boolean notebookRenamed() {
        String now = notebookNow();
        if (now.equals(notebook)) {
            return false;
        }
        notebook = now;
        return true;
    }

    /**
     * The kernel shuts down cleanly (a shutdown or restart request): the run ended now. Then sends
     * what is waiting (this run's records and the session's provenance) before the kernel ends.
     */
    void endAndDeliver() {
        if (heartbeat != null) {
            heartbeat.shutdownNow();
        }
        try {
            recorder.recordRun(record(Instant.now()));
        } catch (RuntimeException e) {
            kernelLog.println("kiln: could not record the end of this run for the sidecar: " + e.getMessage());
        }
        if (!recorder.flush(Duration.ofSeconds(2))) {
            kernelLog.println("kiln: the sidecar did not take every record before shutdown; they stay in .kiln/spool"
                    + " and are sent by the next session");
        }
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
        r.put("status", end == null ? "running" : "ended");
        if (snapshot != null) {
            r.put("snapshot", snapshot);
        }
        r.put("datasets", new ArrayList<>(datasets));
        r.put("outputs", new ArrayList<>(outputs));
        return r;
    }
}
