package dev.kiln.magics.record;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.magics.core.Session;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Records what happens in a project with the sidecar: environment snapshots, dataset versions and
 * runs. A record is first kept on disk in {@code <project>/.kiln/spool/} and then sent in the
 * background; while the sidecar is down, starting or failing, records wait there and go out, oldest
 * first, on the next record, when a recorder starts, on a retry timer (backing off to 30 s), or
 * when a sidecar that knows the project starts (see {@link SpooledProjects}). Only a record the
 * sidecar refuses for its content is set aside, with the reason, in {@code spool/rejected/}. Ids
 * make sending twice harmless, so none is lost and none counted twice. Calls never block on the
 * network and never fail because the sidecar is away; a process about to exit calls
 * {@link #deliverBeforeExit}.
 *
 * <pre>{@code
 * Recorder r = Recorder.of(session);
 * r.recordSnapshot(Map.of("id", snapshotId, "notebook", "analysis.ipynb", "java", "17.0.15"));
 * r.recordVersion(Map.of("dataset", "climate", "id", versionId, "parent", parentId, "manifest", m,
 *         "size", 1234, "files", 3, "rows", 100, "message", "pull", "author", "ana",
 *         "time", Instant.now().toString(), "lineage", List.of()));
 * r.recordRun(Map.of("id", runId, "notebook", "analysis.ipynb", "start", start, "datasets", List.of(...)));
 * }</pre>
 * A record is a JSON object: a {@code Map}, a Jackson {@code JsonNode}, a Java record or a String
 * of JSON. What fields each kind has is the sidecar's REST API (see the sidecar's report). Each
 * record is stamped with its {@link ProjectIdentity} ({@code "project"}) unless it names one.
 */
public final class Recorder implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<Path, Recorder> BY_PROJECT = new ConcurrentHashMap<>();
    private static final long MAX_RETRY_MILLIS = 30_000;
    /** How often a kernel tells the sidecar that its run goes on; the sidecar marks a run lost after four missed. */
    public static final Duration HEARTBEAT = Duration.ofSeconds(15);
    /** What the sidecar takes ({@code POST /api/<kind>}). */
    private static final Set<String> KINDS = Set.of("snapshots", "versions", "runs");

    private final Path projectDir;
    private final Spool spool;
    private final SidecarClient client;
    private final PrintStream warnings;
    private final SpooledProjects registry;
    private final ScheduledExecutorService sender;
    private final AtomicBoolean drainQueued = new AtomicBoolean();
    private long retryMillis = 500;
    private boolean retryScheduled;
    private boolean registered;
    private final Set<Path> unreadable = ConcurrentHashMap.newKeySet();
    /** How the last send that failed went, until a drain gets through: ABSENT tells a CLI command not to wait. */
    private volatile SidecarClient.Outcome lastFailure;

    public Recorder(Path projectDir, SidecarClient client, PrintStream warnings) {
        this(projectDir, client, warnings, null);
    }

    /**
     * @param registry where to name the project when a record has to wait, so that a sidecar
     *                 started later delivers it; {@code null}: nowhere
     */
    public Recorder(Path projectDir, SidecarClient client, PrintStream warnings, SpooledProjects registry) {
        this.projectDir = projectDir.toAbsolutePath().normalize();
        this.spool = new Spool(this.projectDir.resolve(".kiln").resolve("spool"));
        this.client = client;
        this.warnings = warnings;
        this.registry = registry;
        this.sender = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kiln-recorder");
            t.setDaemon(true);
            return t;
        });
        spool.sweep();
        requestDrain(); // records left from an earlier session go out now
    }

    /**
     * The recorder of a session's project (one per project directory in this process). When a
     * record has to wait, the project is named beside the sidecar's info file, so a sidecar started
     * later delivers it; not when {@code KILN_SIDECAR_URL} names a sidecar elsewhere, whose records
     * a local one must not take.
     */
    public static Recorder of(Session session) {
        return BY_PROJECT.computeIfAbsent(session.projectDir(), dir -> {
            String url = session.env().get("KILN_SIDECAR_URL");
            SpooledProjects registry = url == null || url.isBlank()
                    ? SpooledProjects.beside(SidecarEndpoint.infoFile(session.env())) : null;
            return new Recorder(dir, SidecarClient.forEnvironment(session.env()), session.err(), registry);
        });
    }

    /** An environment snapshot: {@code id} and anything else ({@code notebook}, {@code time}, …). */
    public void recordSnapshot(Object snapshot) {
        record("snapshots", snapshot);
    }

    /** A dataset version: {@code dataset}, {@code id}, {@code time}, {@code size}, {@code files}, lineage, … */
    public void recordVersion(Object version) {
        record("versions", version);
    }

    /** A run: {@code id}, {@code notebook}, {@code start}; later again with {@code end} and outputs. */
    public void recordRun(Object run) {
        record("runs", run);
    }

    /** Keeps the record on disk, then sends it in the background. */
    public void record(String kind, Object record) {
        if (!KINDS.contains(kind)) {
            throw new IllegalArgumentException("No kind of record is called " + kind + ": the sidecar takes " + KINDS);
        }
        JsonNode node = toJson(record);
        if (!node.isObject() || !node.path("id").isTextual()) {
            throw new IllegalArgumentException("A " + kind + " record must be a JSON object with a string \"id\"");
        }
        stampProject((ObjectNode) node);
        try {
            spool.add(kind, JSON.writeValueAsBytes(node));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("A " + kind + " record could not be written as JSON", e);
        }
        requestDrain();
    }

    /**
     * Tells the sidecar that run {@code runId}'s kernel is alive, on the caller's thread (never the
     * execute path's): a heartbeat is not kept when the sidecar is away, the next one says the same.
     * When the sidecar does not know the run yet, its first record is still waiting: send it.
     */
    public SidecarClient.Outcome heartbeat(String runId) {
        SidecarClient.Outcome outcome = client.send("runs/" + runId + "/heartbeat", new byte[0]).outcome();
        if (outcome != SidecarClient.Outcome.DELIVERED && pending() > 0) {
            requestDrain();
        }
        return outcome;
    }

    /** Records waiting on disk for the sidecar. */
    public int pending() {
        return spool.pending().size();
    }

    /** Records waiting that this recorder can read. */
    private long deliverable() {
        return spool.pending().stream().filter(f -> !unreadable.contains(f)).count();
    }

    /** Records waiting in a project's spool, without starting a recorder for it. */
    public static int pendingIn(Path projectDir) {
        return new Spool(projectDir.resolve(".kiln").resolve("spool")).pending().size();
    }

    /**
     * Tries to deliver everything now and waits up to {@code timeout}, for a sidecar that is away
     * to come back too.
     *
     * @return true when nothing is left waiting (but files this process cannot read)
     */
    public boolean flush(Duration timeout) {
        return deliver(timeout, false);
    }

    /**
     * For a process about to exit (a CLI command): delivers what is waiting, waiting up to
     * {@code timeout} while a sidecar is there but busy (starting, restarting); returns at once when
     * none is announced or none listens. What is not delivered stays spooled for the next delivery.
     *
     * @return true when nothing is left waiting
     */
    public boolean deliverBeforeExit(Duration timeout) {
        boolean all = deliver(timeout, true);
        if (!all && lastFailure == SidecarClient.Outcome.UNAVAILABLE) {
            warnings.println("kiln: the sidecar did not take " + pending() + " record(s) within " + timeout.toSeconds()
                    + " s; they wait in " + spool.dir() + " and go out with the next record made here, or when the sidecar collects them");
        }
        return all;
    }

    private boolean deliver(Duration timeout, boolean unlessAbsent) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                sender.submit(this::drain).get(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                return pending() == 0;
            }
            if (deliverable() == 0) {
                return true;
            }
            if (System.nanoTime() > deadline || (unlessAbsent && lastFailure == SidecarClient.Outcome.ABSENT)) {
                return false;
            }
            try {
                Thread.sleep(100); // the sidecar is away or busy: poll until it takes the records or time is up
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /** Stops sending; what is still waiting stays on disk for the next recorder. */
    @Override
    public void close() {
        sender.shutdownNow();
        BY_PROJECT.remove(projectDir, this);
    }

    private void requestDrain() {
        if (drainQueued.compareAndSet(false, true)) {
            try {
                sender.execute(() -> {
                    drainQueued.set(false);
                    drain();
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                drainQueued.set(false); // closed: the record stays on disk
            }
        }
    }

    /** Sends waiting records oldest first; stops at the first the sidecar cannot take now. Sender thread only. */
    private void drain() {
        for (Path file : spool.pending()) {
            byte[] body;
            try {
                body = Files.readAllBytes(file);
            } catch (NoSuchFileException e) {
                continue; // another process delivered it
            } catch (IOException e) {
                // one file we cannot read (left by `sudo kiln …`, say) must not hold up every record after it
                if (unreadable.add(file)) {
                    warnings.println("kiln: cannot read the waiting record " + file + " (" + e.getMessage()
                            + "); it stays there, the records after it are sent");
                }
                continue;
            }
            if (!KINDS.contains(Spool.kind(file))) {
                // the sidecar would answer 404, asked again forever, holding up every record behind it
                spool.reject(file, "not a kind of record the sidecar takes (" + KINDS + ")");
                warnings.println("kiln: " + file.getFileName() + " is not a kind of record the sidecar takes; kept in "
                        + spool.dir().resolve("rejected"));
                continue;
            }
            body = withProject(body); // spooled by an older Kiln, which did not name the project
            SidecarClient.Delivery d = client.send(Spool.kind(file), body);
            switch (d.outcome()) {
                case DELIVERED -> spool.done(file);
                case REJECTED -> {
                    spool.reject(file, d.detail());
                    warnings.println("kiln: the sidecar refused a recorded " + Spool.kind(file)
                            + " (" + d.detail() + "); kept in " + spool.dir().resolve("rejected"));
                }
                case UNAVAILABLE, ABSENT -> {
                    lastFailure = d.outcome();
                    if (registry != null && !registered) {
                        registry.add(projectDir);
                        registered = true;
                    }
                    scheduleRetry();
                    return;
                }
            }
        }
        lastFailure = null;
        retryMillis = 500;
    }

    private void scheduleRetry() {
        if (retryScheduled) {
            return;
        }
        retryScheduled = true;
        long delay = retryMillis;
        retryMillis = Math.min(MAX_RETRY_MILLIS, retryMillis * 2);
        sender.schedule(() -> {
            retryScheduled = false;
            drain();
        }, delay, TimeUnit.MILLISECONDS);
    }

    private void stampProject(ObjectNode record) {
        if (!record.hasNonNull("project")) {
            record.put("project", ProjectIdentity.of(projectDir));
        }
    }

    /** The record with its project named; as it was when it names one or is not a JSON object (the sidecar says why). */
    private byte[] withProject(byte[] body) {
        try {
            JsonNode n = JSON.readTree(body);
            if (n instanceof ObjectNode o && !o.hasNonNull("project")) {
                stampProject(o);
                return JSON.writeValueAsBytes(o);
            }
        } catch (IOException e) {
            // not JSON: sent as it is, for the sidecar to refuse with its reason
        }
        return body;
    }

    private static JsonNode toJson(Object record) {
        try {
            if (record instanceof String s) {
                return JSON.readTree(s);
            }
            return JSON.valueToTree(record);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("A record must be JSON: " + e.getOriginalMessage(), e);
        }
    }
}
