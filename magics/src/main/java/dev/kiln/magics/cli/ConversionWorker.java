package dev.kiln.magics.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.magics.core.Progress;
import dev.kiln.magics.core.Session;
import dev.kiln.magics.core.UserError;
import dev.kiln.magics.parquet.ColumnType;
import dev.kiln.magics.parquet.ConversionOptions;
import dev.kiln.magics.parquet.ConversionReport;
import dev.kiln.magics.parquet.ConversionWarmUp;
import dev.kiln.magics.parquet.TypeChoice;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A process that converts CSV to Parquet for a kernel ({@link ConversionProcess} starts it): one
 * JSON request per line on its standard input, the conversion's progress and then its report or
 * error as JSON lines on its standard output. It runs with the options of a fresh
 * {@code kiln parquet convert} (C1 alone, the CLI's class archive), which the kernel's own JVM, with
 * C2 for the user's code, cannot take: there a first conversion ran interpreted and in profiled code
 * while C2 compiled. It stays for the kernel's next conversion, and ends when the kernel does (its
 * standard input closes) or after {@link #IDLE_SECONDS} without work (a JVM's memory, given back).
 *
 * <p>Lines it reads: {@code {"id": 1, "dir": PROJECT, "args": [...]}} (the arguments of
 * {@code parquet convert}) and {@code {"cancel": 1}}. Lines it writes, each with the request's
 * {@code id}: {@code start}/{@code advance}/{@code note}/{@code close} of a progress bar, then one
 * {@code report} or {@code error}.
 */
public final class ConversionWorker {

    /** How long a worker waits for the next conversion; {@code -Dkiln.convert.idleSeconds} sets it. */
    static final long IDLE_SECONDS = Long.getLong("kiln.convert.idleSeconds", 600);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNode END = JSON.createObjectNode();

    private final PrintStream protocol;
    private final BlockingQueue<JsonNode> requests = new LinkedBlockingQueue<>();
    /** The id of the request the kernel asked to stop, or 0. */
    private final AtomicLong cancelled = new AtomicLong();

    private ConversionWorker(PrintStream protocol) {
        this.protocol = protocol;
    }

    public static void main(String[] args) throws InterruptedException {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        System.setProperty("picocli.disable.closures", "true"); // as CommandRunner: no search of every jar
        ConversionWarmUp.start();
        PrintStream protocol = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        System.setOut(System.err); // whatever a library prints must not break the protocol
        ConversionWorker worker = new ConversionWorker(protocol);
        Thread reader = new Thread(worker::read, "kiln-conversion-requests");
        reader.setDaemon(true);
        reader.start();
        System.exit(worker.serve());
    }

    /** Runs requests one at a time; returns the exit status once the kernel is gone or idle too long. */
    private int serve() throws InterruptedException {
        while (true) {
            JsonNode request = requests.poll(IDLE_SECONDS, TimeUnit.SECONDS);
            if (request == null || request == END) {
                return 0;
            }
            long id = request.path("id").asLong();
            try {
                ConversionReport report = convert(request, new ForwardedProgress(id));
                send(message(id).set("report", encode(report)));
            } catch (UserError e) {
                send(message(id).set("error", JSON.createObjectNode().put("message", e.getMessage())));
            } catch (Exception | Error e) {
                StringWriter trace = new StringWriter();
                e.printStackTrace(new PrintWriter(trace));
                send(message(id).set("error", JSON.createObjectNode().put("internal", e.toString()).put("trace", trace.toString())));
                if (e instanceof Error) {
                    return 1; // what the JVM holds after an Error is not to be trusted with the next conversion
                }
            }
            System.gc(); // gives the conversion's heap back while the worker waits for the next
        }
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                JsonNode m = JSON.readTree(line);
                if (m.has("cancel")) {
                    cancelled.set(m.get("cancel").asLong());
                } else {
                    requests.add(m);
                }
            }
        } catch (IOException e) {
            // the kernel is gone
        }
        requests.add(END);
    }

    private static ConversionReport convert(JsonNode request, Progress progress) throws Exception {
        List<String> args = new ArrayList<>();
        request.path("args").forEach(a -> args.add(a.asText()));
        Session session = new Session(Path.of(request.path("dir").asText()), System.err, System.err, progress,
                System.getenv(), "kernel");
        return ParquetCommand.Convert.parse(session, args).convertHere(session);
    }

    private ObjectNode message(long id) {
        return JSON.createObjectNode().put("id", id);
    }

    private void send(JsonNode m) {
        synchronized (protocol) {
            protocol.println(m.toString());
            protocol.flush();
        }
    }

    /** Progress sent to the kernel, which draws it in the cell; a bar stops the work once the kernel cancels it. */
    private final class ForwardedProgress implements Progress {
        private final long request;
        private final AtomicInteger bars = new AtomicInteger();

        ForwardedProgress(long request) {
            this.request = request;
        }

        @Override
        public Bar start(String label, long total, Unit unit) {
            int bar = bars.incrementAndGet();
            send(message(request).put("start", bar).put("label", label).put("total", total).put("unit", unit.name()));
            long started = System.nanoTime();
            return new Bar() {
                private volatile long closedAt = -1;

                @Override
                public void advance(long units) {
                    if (cancelled.get() == request) {
                        throw new UserError("Interrupted: " + label + "."); // the kernel shows its own words for it
                    }
                    send(message(request).put("advance", bar).put("units", units));
                }

                @Override
                public long elapsedNanos() {
                    long end = closedAt;
                    return (end < 0 ? System.nanoTime() : end) - started;
                }

                @Override
                public void note(String note) {
                    send(message(request).put("note", bar).put("text", note));
                }

                @Override
                public void close() {
                    if (closedAt < 0) {
                        closedAt = System.nanoTime();
                        send(message(request).put("close", bar));
                    }
                }
            };
        }
    }

    /** A report as the worker sends it; its options are the kernel's own (it parsed the same arguments). */
    static ObjectNode encode(ConversionReport r) {
        ObjectNode n = JSON.createObjectNode();
        n.put("input", r.input().toString()).put("output", r.output().toString());
        ArrayNode files = n.putArray("files");
        for (ConversionReport.FileReport f : r.files()) {
            files.addObject().put("input", f.input().toString()).put("output", f.output().toString())
                    .put("rows", f.rows()).put("badRows", f.badRows()).put("bytesIn", f.bytesIn()).put("bytesOut", f.bytesOut())
                    .put("rowGroups", f.rowGroups()).put("sha256", f.sha256()).put("encoding", f.encoding())
                    .put("replacedBytes", f.replacedBytes());
        }
        ArrayNode schema = n.putArray("schema"); // pairs: the columns' order is the file's
        r.schema().forEach((column, type) -> schema.addArray().add(column).add(type));
        r.widened().forEach(n.putArray("widened")::add);
        ArrayNode choices = n.putArray("typeChoices");
        for (TypeChoice c : r.typeChoices()) {
            ArrayNode reasons = choices.addObject().put("column", c.column()).put("type", c.type().toString()).putArray("reasons");
            c.reasons().forEach(reason -> reasons.add(reason.name()));
        }
        if (r.badRowsFile() != null) {
            n.put("badRowsFile", r.badRowsFile().toString());
        }
        return n.put("seconds", r.seconds()).put("transferSeconds", r.transferSeconds());
    }

    static ConversionReport decode(JsonNode n, ConversionOptions options) {
        List<ConversionReport.FileReport> files = new ArrayList<>();
        for (JsonNode f : n.path("files")) {
            files.add(new ConversionReport.FileReport(Path.of(f.path("input").asText()), Path.of(f.path("output").asText()),
                    f.path("rows").asLong(), f.path("badRows").asLong(), f.path("bytesIn").asLong(), f.path("bytesOut").asLong(),
                    f.path("rowGroups").asInt(), f.path("sha256").asText(), f.path("encoding").asText(),
                    f.path("replacedBytes").asLong()));
        }
        Map<String, String> schema = new LinkedHashMap<>();
        n.path("schema").forEach(pair -> schema.put(pair.get(0).asText(), pair.get(1).asText()));
        List<String> widened = new ArrayList<>();
        n.path("widened").forEach(w -> widened.add(w.asText()));
        List<TypeChoice> choices = new ArrayList<>();
        for (JsonNode c : n.path("typeChoices")) {
            List<TypeChoice.Reason> reasons = new ArrayList<>();
            c.path("reasons").forEach(r -> reasons.add(TypeChoice.Reason.valueOf(r.asText())));
            choices.add(new TypeChoice(c.path("column").asText(), ColumnType.parse(c.path("type").asText()), reasons));
        }
        Path bad = n.hasNonNull("badRowsFile") ? Path.of(n.get("badRowsFile").asText()) : null;
        return new ConversionReport(Path.of(n.path("input").asText()), Path.of(n.path("output").asText()), files, schema,
                options, widened, choices, bad, n.path("seconds").asDouble(), n.path("transferSeconds").asDouble());
    }
}
