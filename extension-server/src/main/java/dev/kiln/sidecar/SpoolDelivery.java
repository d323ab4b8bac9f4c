package dev.kiln.sidecar;

import dev.kiln.magics.record.Recorder;
import dev.kiln.magics.record.SidecarClient;
import dev.kiln.magics.record.SidecarEndpoint;
import dev.kiln.magics.record.SpooledProjects;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The sidecar collecting records that wait in projects' spools, and sending them to itself over its
 * own API: those of the projects given with {@code --project} and of those named beside its info
 * file when their records could not be sent ({@link SpooledProjects}). At start and then every
 * {@code every}, so what a CLI command spooled while no sidecar was up, or a kernel left when it
 * died, arrives without waiting for the project's next command.
 */
final class SpoolDelivery implements AutoCloseable {

    /** How long one project's delivery may take before the next project's turn. */
    private static final Duration PER_PROJECT = Duration.ofSeconds(30);

    private final SidecarClient self;
    private final List<Path> projects;
    private final SpooledProjects registry;
    private final PrintStream out;
    /** One per project, kept between rounds: a file it cannot read is reported once, not every round. */
    private final Map<Path, Recorder> recorders = new HashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "kiln-spool-delivery");
        t.setDaemon(true);
        return t;
    });

    SpoolDelivery(SidecarEndpoint self, List<Path> projects, SpooledProjects registry, PrintStream out) {
        this.self = new SidecarClient(() -> Optional.of(self));
        this.projects = List.copyOf(projects);
        this.registry = registry;
        this.out = out;
    }

    void start(Duration every) {
        timer.scheduleWithFixedDelay(this::deliverAll, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One round: every known project with records waiting. */
    void deliverAll() {
        TreeSet<Path> all = new TreeSet<>(projects);
        all.addAll(registry.projects());
        for (Path project : all) {
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
            try {
                int waiting = Recorder.pendingIn(project);
                if (waiting == 0) {
                    continue;
                }
                Recorder recorder;
                synchronized (recorders) {
                    recorder = recorders.computeIfAbsent(project, p -> new Recorder(p, self, out));
                }
                recorder.flush(PER_PROJECT);
                int taken = waiting - recorder.pending();
                if (taken > 0) {
                    out.println("kiln sidecar: took " + taken + " record(s) waiting in " + project);
                }
            } catch (UncheckedIOException e) {
                out.println("kiln sidecar: could not read the records waiting in " + project + ": " + e.getCause().getMessage());
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (recorders) {
            recorders.values().forEach(Recorder::close);
        }
    }
}
