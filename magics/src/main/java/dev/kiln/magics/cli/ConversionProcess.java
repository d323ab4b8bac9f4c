package dev.kiln.magics.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.magics.core.Progress;
import dev.kiln.magics.core.TempFiles;
import dev.kiln.magics.core.UserError;
import dev.kiln.magics.parquet.ConversionOptions;
import dev.kiln.magics.parquet.ConversionReport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A kernel's conversions, run in a {@link ConversionWorker} process that it starts at its first
 * {@code %parquet convert} and keeps for the next: the cell draws the worker's progress, gets its
 * report, and records it as a conversion in the kernel itself. An interrupted cell asks the worker
 * to stop, which leaves the workspace as it was and stays for the next conversion.
 */
public final class ConversionProcess implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The last bytes a worker wrote to its standard error, shown when it ends unexpectedly. */
    private static final int STDERR_TAIL = 4096;

    private final Supplier<List<String>> command;
    private Process process;
    private BufferedReader from;
    private Writer to;
    private StringBuilder stderr;
    private Thread drain;
    private long lastId;
    /** {@link #lastId} when the running worker started: it has answered no request yet while they are equal. */
    private long startedAt = -1;

    /** @param command the command line that starts a worker ({@link ConversionJvm}) */
    public ConversionProcess(List<String> command) {
        this(() -> command);
    }

    /** @param command makes the command line that starts a worker, when the first is started (not at a kernel's start) */
    public ConversionProcess(Supplier<List<String>> command) {
        this.command = command;
    }

    /**
     * Starts the worker now, if none runs, so that its JVM starts while the caller parses the
     * command line; a worker that cannot start is left to {@link #convert} to report.
     */
    public synchronized void prepare() {
        if (process == null || !process.isAlive()) {
            try {
                start();
            } catch (Unavailable e) {
                process = null;
            }
        }
    }

    /**
     * Converts as {@code parquet convert ARGS} would in {@code projectDir}, in the worker, drawing
     * its progress on {@code progress}; {@code options} are what the caller parsed from the same
     * arguments (the report carries them); {@code stagingDirs}, where the conversion writes its
     * temporary files (beside its output and bad-rows file), are cleared of the worker's if it dies.
     *
     * @throws UserError as the conversion reports it, or when the worker ended without answering
     */
    public synchronized ConversionReport convert(Path projectDir, List<String> args, ConversionOptions options,
                                                 List<Path> stagingDirs, Progress progress) throws IOException {
        boolean fresh = process == null || !process.isAlive() || lastId == startedAt;
        if (process == null || !process.isAlive()) {
            start();
        }
        ObjectNode request = JSON.createObjectNode().put("id", ++lastId).put("dir", projectDir.toString());
        args.forEach(request.putArray("args")::add);
        try {
            return answer(request, options, progress);
        } catch (WorkerGone e) {
            if (fresh || e.heard) {
                removeTemporaryFiles(e.pid, stagingDirs);
                throw e.toUserError();
            }
            start(); // it had ended while idle, as it does after some minutes without work
            try {
                return answer(request, options, progress);
            } catch (WorkerGone again) {
                removeTemporaryFiles(again.pid, stagingDirs);
                throw again.toUserError();
            }
        }
    }

    private ConversionReport answer(ObjectNode request, ConversionOptions options, Progress progress) throws IOException {
        long id = request.get("id").asLong();
        Map<Integer, Progress.Bar> bars = new HashMap<>();
        UserError interrupted = null;
        boolean heard = false;
        try {
            send(request);
            for (String line; (line = from.readLine()) != null; ) {
                JsonNode m = message(line);
                if (m == null || m.path("id").asLong() != id) {
                    continue; // not the protocol's (a JVM's own log line), or a late line of an earlier request
                }
                heard = true;
                if (m.has("start")) {
                    bars.put(m.get("start").asInt(), progress.start(m.path("label").asText(), m.path("total").asLong(),
                            Progress.Unit.valueOf(m.path("unit").asText())));
                } else if (m.has("advance") && interrupted == null) {
                    try {
                        bars.get(m.get("advance").asInt()).advance(m.path("units").asLong());
                    } catch (UserError e) {
                        interrupted = e; // the cell was interrupted: the worker stops and cleans up, and says so
                        send(JSON.createObjectNode().put("cancel", id));
                    }
                } else if (m.has("note")) {
                    bars.get(m.get("note").asInt()).note(m.path("text").asText());
                } else if (m.has("close")) {
                    Progress.Bar bar = bars.remove(m.get("close").asInt());
                    if (bar != null) {
                        bar.close();
                    }
                } else if (m.has("report") || m.has("error")) {
                    if (interrupted != null) {
                        throw interrupted;
                    }
                    if (m.has("report")) {
                        return ConversionWorker.decode(m.get("report"), options);
                    }
                    JsonNode error = m.get("error");
                    if (error.has("message")) {
                        throw new UserError(error.get("message").asText());
                    }
                    throw new IllegalStateException("the conversion failed in its process: " + error.path("internal").asText()
                            + "\n" + error.path("trace").asText());
                }
            }
        } catch (IOException e) {
            // the pipe broke: the worker is gone, as below
        } finally {
            bars.values().forEach(Progress.Bar::close);
        }
        long pid = process.pid();
        throw new WorkerGone(heard, pid, ended());
    }

    /** A line of the protocol, or null for any other line on the worker's standard output. */
    private static JsonNode message(String line) {
        if (!line.startsWith("{\"id\":")) {
            return null;
        }
        try {
            return JSON.readTree(line);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** What a killed worker left half-written: its temporary files, named with its pid ({@link TempFiles#beside}). */
    private static void removeTemporaryFiles(long pid, List<Path> dirs) {
        String prefix = TempFiles.MARK + pid + "-";
        for (Path dir : dirs) {
            try (Stream<Path> listed = Files.isDirectory(dir) ? Files.list(dir) : Stream.empty()) {
                for (Path p : (Iterable<Path>) listed::iterator) {
                    if (p.getFileName().toString().startsWith(prefix)) {
                        TempFiles.deleteRecursively(p);
                    }
                }
            } catch (IOException | UncheckedIOException e) {
                // the next conversion into this folder removes them (TempFiles.abandonedIn)
            }
        }
    }

    /** Starts a worker, its standard error kept in a small tail. */
    private void start() throws Unavailable {
        close();
        startedAt = lastId;
        List<String> argv = command.get();
        try {
            process = new ProcessBuilder(argv).start();
        } catch (IOException e) {
            throw new Unavailable(argv.get(0) + ": " + e.getMessage(), e);
        }
        from = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        to = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        StringBuilder tail = new StringBuilder();
        stderr = tail;
        InputStream err = process.getErrorStream();
        drain = new Thread(() -> {
            byte[] buf = new byte[8192];
            try {
                for (int n; (n = err.read(buf)) > 0; ) {
                    synchronized (tail) {
                        tail.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                        if (tail.length() > STDERR_TAIL) {
                            tail.delete(0, tail.length() - STDERR_TAIL);
                        }
                    }
                }
            } catch (IOException e) {
                // the worker ended
            }
        }, "kiln-conversion-stderr");
        drain.setDaemon(true);
        drain.start();
    }

    private void send(JsonNode m) throws IOException {
        to.write(m.toString());
        to.write('\n');
        to.flush();
    }

    /** How the worker ended: its exit status and the last it wrote to its standard error. */
    private String ended() {
        String how;
        try {
            how = process.waitFor(5, TimeUnit.SECONDS) ? "exit status " + process.exitValue() : "still running; stopped";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            how = "interrupted while waiting for it";
        }
        process.destroyForcibly();
        try {
            drain.join(2000); // what it wrote last, up to its end
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String said;
        synchronized (stderr) {
            said = stderr.toString().strip();
        }
        return "process " + process.pid() + ", " + how + (said.isEmpty() ? "" : "; it said: " + said);
    }

    /** Ends the worker, if one runs: its standard input closes, and it exits. */
    @Override
    public synchronized void close() {
        if (process != null) {
            try {
                to.close();
            } catch (IOException e) {
                // already gone
            }
            try {
                if (!process.waitFor(2, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    /** No worker could be started (no such java): the caller converts itself. */
    public static final class Unavailable extends IOException {
        Unavailable(String message, IOException cause) {
            super(message, cause);
        }
    }

    /** The worker ended before it answered; {@code heard}: after it had begun this request. */
    private static final class WorkerGone extends IOException {
        final boolean heard;
        final long pid;

        WorkerGone(boolean heard, long pid, String how) {
            super(how);
            this.heard = heard;
            this.pid = pid;
        }

        UserError toUserError() {
            if (!heard) {
                return new UserError("The conversion's process ended before it began (" + getMessage() + "). Nothing was written.");
            }
            // killed (137: SIGKILL, the kernel's out-of-memory killer among its senders) or out of heap
            boolean memory = getMessage().contains("exit status 137") || getMessage().contains("OutOfMemoryError");
            return new UserError("The conversion's process ended before it finished (" + getMessage() + "). The output was not"
                    + " written." + (memory ? " If it ran out of memory, give it more (--jvm-option=-Xmx8g when installing the"
                    + " kernel), or convert fewer columns (--columns)." : ""));
        }
    }
}
