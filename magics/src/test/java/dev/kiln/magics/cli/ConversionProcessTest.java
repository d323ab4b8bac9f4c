package dev.kiln.magics.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.magics.core.Progress;
import dev.kiln.magics.core.Result;
import dev.kiln.magics.core.Session;
import dev.kiln.magics.core.UserError;
import dev.kiln.magics.parquet.ConversionReport;
import dev.kiln.magics.cli.ParquetCommand.Convert;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A kernel's conversions in a {@link ConversionWorker} process: the same file and report as in the
 * kernel's own JVM, its progress and errors carried back, an interrupted conversion stopped with
 * nothing left behind, and a worker that dies or ends replaced. Real processes on this class path.
 */
@Timeout(180)
class ConversionProcessTest {

    @TempDir
    Path dir;

    private final ConversionProcess worker = new ConversionProcess(ConversionJvm.command(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(), System.getProperty("java.class.path"), List.of()));

    @AfterEach
    void endWorker() {
        worker.close();
    }

    @Test
    void theWorkerWritesTheSameFileAndReportAsThisJvm() throws Exception {
        Path csv = dir.resolve("events.csv");
        CdsTraining.writeTrainingCsv(csv, 3_000); // every type inference gives, codes with leading zeros among them
        List<String> args = List.of("events.csv", "--to", "there/events.parquet", "--threads", "2", "--rename", "station=site",
                "--type", "big=string", "--null", "NA", "--null", "");
        ConversionReport there = worker.convert(dir, sent(args), options(args), List.of(), Progress.NONE);
        ConversionReport here = Convert.parse(session(Progress.NONE), with(args, "--to", "here/events.parquet")).convertHere(session(Progress.NONE));

        assertTrue(ProcessHandle.current().children().anyMatch(p -> p.info().commandLine().orElse("").contains(ConversionJvm.ROLE)),
                "converted in a process of its own");
        assertEquals(dir.resolve("there/events.parquet"), there.output());
        assertEquals(here.files().get(0).sha256(), there.files().get(0).sha256(), "the same bytes");
        assertEquals(here.schema(), there.schema());
        assertEquals(new ArrayList<>(here.schema().keySet()), new ArrayList<>(there.schema().keySet()), "the columns in order");
        assertFalse(there.typeChoices().isEmpty(), "the CSV's codes with leading zeros are kept as text, and the report says so");
        assertEquals(here.typeChoices(), there.typeChoices());
        assertEquals(here.widened(), there.widened());
        assertEquals(here.options(), there.options(), "the report carries the options the kernel parsed");
        ConversionReport.FileReport h = here.files().get(0);
        ConversionReport.FileReport t = there.files().get(0);
        assertEquals(List.of(h.rows(), h.badRows(), h.bytesIn(), h.bytesOut(), (long) h.rowGroups(), h.replacedBytes()),
                List.of(t.rows(), t.badRows(), t.bytesIn(), t.bytesOut(), (long) t.rowGroups(), t.replacedBytes()));
        assertEquals(3_000, t.rows());
        assertEquals(h.encoding(), t.encoding());
        assertTrue(there.seconds() > 0 && there.transferSeconds() > 0 && there.transferSeconds() <= there.seconds(), there.toString());
    }

    @Test
    void theCellDrawsTheWorkersProgress() throws Exception {
        Path csv = dir.resolve("big.csv");
        CdsTraining.writeTrainingCsv(csv, 200_000);
        Recorded progress = new Recorded(units -> { });
        List<String> args = List.of("big.csv", "--row-group-size", "1MiB");
        worker.convert(dir, sent(args), options(args), List.of(), progress);

        assertEquals(List.of("start parquet convert " + Files.size(csv) + " BYTES", "close"), progress.events.stream()
                .filter(e -> !e.startsWith("advance")).toList());
        long advanced = progress.events.stream().filter(e -> e.startsWith("advance ")).mapToLong(e -> Long.parseLong(e.substring(8))).sum();
        assertEquals(Files.size(csv), advanced, "every byte read was reported");
        assertTrue(progress.events.stream().filter(e -> e.startsWith("advance ")).count() > 3, "in steps: " + progress.events);
    }

    @Test
    void aUserErrorReadsAsInThisJvm() throws Exception {
        Files.writeString(dir.resolve("bad.csv"), "a,b\n1,2\n3,\"unterminated\n");
        List<String> args = List.of("bad.csv");
        UserError there = assertThrows(UserError.class,
                () -> worker.convert(dir, sent(args), options(args), List.of(), Progress.NONE));
        UserError here = assertThrows(UserError.class, () -> Convert.parse(session(Progress.NONE), args).convertHere(session(Progress.NONE)));
        assertEquals(here.getMessage(), there.getMessage());
        assertTrue(there.getMessage().contains("bad.csv"), there.getMessage());
        assertEquals(List.of("bad.csv"), files(dir), "nothing written");
    }

    @Test
    void anInterruptedConversionLeavesNothingAndTheWorkerServesTheNext() throws Exception {
        CdsTraining.writeTrainingCsv(dir.resolve("big.csv"), 200_000);
        Recorded progress = new Recorded(units -> {
            throw new UserError("Interrupted: parquet convert stopped.");
        });
        List<String> args = List.of("big.csv", "--row-group-size", "1MiB", "--threads", "1");
        UserError e = assertThrows(UserError.class,
                () -> worker.convert(dir, sent(args), options(args), List.of(dir), progress));
        assertEquals("Interrupted: parquet convert stopped.", e.getMessage(), "the cell's own words");
        assertEquals(List.of("big.csv"), files(dir), "no output, no temporary file");
        long pid = workerPid();

        Files.writeString(dir.resolve("small.csv"), "a,b\n1,x\n");
        ConversionReport next = worker.convert(dir, List.of("--", "small.csv"), options(List.of("small.csv")), List.of(dir), Progress.NONE);
        assertEquals(1, next.rows());
        assertEquals(pid, workerPid(), "the same worker");
    }

    @Test
    void aWorkerKilledMidwayIsReportedItsFilesRemovedAndReplaced() throws Exception {
        CdsTraining.writeTrainingCsv(dir.resolve("big.csv"), 200_000);
        Recorded progress = new Recorded(units -> ProcessHandle.of(workerPid()).ifPresent(p -> {
            p.destroyForcibly();
            p.onExit().join();
        }));
        List<String> args = List.of("big.csv", "--row-group-size", "1MiB", "--threads", "1");
        UserError e = assertThrows(UserError.class,
                () -> worker.convert(dir, sent(args), options(args), List.of(dir), progress));
        assertTrue(e.getMessage().startsWith("The conversion's process ended before it finished (process "), e.getMessage());
        assertTrue(e.getMessage().contains("exit status 137"), "killed: " + e.getMessage());
        assertTrue(e.getMessage().contains("If it ran out of memory, give it more"), "a kill is what the out-of-memory killer does: " + e.getMessage());
        assertEquals(List.of("big.csv"), files(dir), "its half-written file removed");
        assertEquals(List.of("close"), progress.events.stream().filter(x -> !x.startsWith("advance") && !x.startsWith("start")).toList(),
                "the cell's bar closed");

        Files.writeString(dir.resolve("small.csv"), "a,b\n1,x\n");
        ConversionReport next = worker.convert(dir, List.of("--", "small.csv"), options(List.of("small.csv")), List.of(dir), Progress.NONE);
        assertEquals(1, next.rows(), "a new worker converts");
    }

    @Test
    void aWorkerThatEndedWhileIdleIsStartedAgainUnseen() throws Exception {
        Files.writeString(dir.resolve("small.csv"), "a,b\n1,x\n2,y\n");
        List<String> args = List.of("--", "small.csv");
        worker.convert(dir, args, options(List.of("small.csv")), List.of(dir), Progress.NONE);
        long first = workerPid();
        ProcessHandle.of(first).ifPresent(p -> {
            p.destroy();
            p.onExit().join(); // as after its idle minutes
        });
        ConversionReport again = worker.convert(dir, args, options(List.of("small.csv")), List.of(dir), Progress.NONE);
        assertEquals(2, again.rows());
        assertNotEquals(first, workerPid());
    }

    @Test
    void anIdleWorkerEndsItselfAndTheNextConversionStartsAnother() throws Exception {
        List<String> command = new ArrayList<>(ConversionJvm.command(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), System.getProperty("java.class.path"), List.of()));
        command.add(1, "-Dkiln.convert.idleSeconds=1");
        try (ConversionProcess idles = new ConversionProcess(command)) {
            Files.writeString(dir.resolve("small.csv"), "a,b\n1,x\n");
            idles.convert(dir, List.of("--", "small.csv"), options(List.of("small.csv")), List.of(dir), Progress.NONE);
            ProcessHandle first = ProcessHandle.of(workerPid()).orElseThrow();
            assertTrue(first.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS) != null && !first.isAlive(), "ended after its idle second");
            ConversionReport next = idles.convert(dir, List.of("--to=next.parquet", "--", "small.csv"), options(List.of("small.csv")),
                    List.of(dir), Progress.NONE);
            assertEquals(1, next.rows());
        }
    }

    @Test
    void linesOnTheWorkersOutputThatAreNotTheProtocolsAreSkipped() throws Exception {
        CdsTraining.writeTrainingCsv(dir.resolve("big.csv"), 100_000);
        List<String> command = new ArrayList<>(ConversionJvm.command(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), System.getProperty("java.class.path"), List.of()));
        command.add(command.indexOf("-cp"), "-Xlog:gc*=info:stdout"); // a JVM's log lines among the protocol's, as a stale archive's warnings are
        try (ConversionProcess logs = new ConversionProcess(command)) {
            Recorded progress = new Recorded(units -> { });
            List<String> args = List.of("big.csv", "--row-group-size", "1MiB");
            ConversionReport r = logs.convert(dir, sent(args), options(args), List.of(dir), progress);
            assertEquals(100_000, r.rows());
            assertEquals(Files.size(dir.resolve("big.csv")), progress.events.stream().filter(e -> e.startsWith("advance "))
                    .mapToLong(e -> Long.parseLong(e.substring(8))).sum());
        }
    }

    @Test
    void aWorkerThatCannotRunSaysWhyInTheCell() throws Exception {
        Files.writeString(dir.resolve("small.csv"), "a,b\n1,x\n");
        ConversionProcess refused = new ConversionProcess(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+NoSuchOptionAtAll", "-version"));
        UserError e = assertThrows(UserError.class, () -> refused.convert(dir, List.of("--", "small.csv"), options(List.of("small.csv")),
                List.of(dir), Progress.NONE));
        assertTrue(e.getMessage().startsWith("The conversion's process ended before it began (process "), e.getMessage());
        assertTrue(e.getMessage().contains("exit status 1") && e.getMessage().contains("NoSuchOptionAtAll"), "what it said: " + e.getMessage());
        assertFalse(e.getMessage().contains("memory"), "no advice that does not apply: " + e.getMessage());
        assertEquals(List.of("small.csv"), files(dir));
    }

    @Test
    void argumentsAsParsedReadBackToTheSameOptions() {
        for (List<String> args : List.of(
                List.of("in.csv"),
                List.of("--no-header", "in.csv", "--delimiter", "tab", "--quote", "'"),
                List.of("in.csv", "--columns", "a,b,c", "--rename", "a=x", "--rename", "b=y=z", "--type", "c=decimal(10,2)"),
                List.of("--null", "", "--null", "NA", "--bad-rows", "bad/rows.csv", "--on-type-mismatch", "fail", "--", "-odd name.csv"),
                List.of("in.csv", "--to=out dir/x.parquet", "--codec", "snappy", "--row-group-size", "1MiB", "--page-size", "64k",
                        "--data-page", "v1", "--threads", "3", "--sample-rows", "50", "--encoding", "latin1", "--max-line", "1MiB"))) {
            Convert original = Convert.parse(session(Progress.NONE), args);
            List<String> sent = sent(args);
            Convert read = Convert.parse(session(Progress.NONE), sent);
            assertEquals(options(args), options(sent), String.join(" ", args) + " → " + sent);
            assertEquals(original.input, read.input, sent.toString());
            assertEquals(original.to, read.to, sent.toString());
        }
    }

    @Test
    void aKernelWhoseWorkerCannotStartConvertsItself() throws Exception {
        Files.writeString(dir.resolve("small.csv"), "a,b\n1,x\n");
        ConversionProcess nowhere = new ConversionProcess(List.of(dir.resolve("no-such-java").toString(), "-version"));
        CommandRunner kernel = new CommandRunner(session(Progress.NONE), List.of(ParquetCommand.class), List.of(nowhere), r -> { });
        Result r = kernel.run(List.of("parquet", "convert", "small.csv"));
        assertTrue(r.text().startsWith("Converted small.csv"), r.text());
        assertTrue(Files.isRegularFile(dir.resolve("small.parquet")));
    }

    private Session session(Progress progress) {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        return new Session(dir, quiet, quiet, progress, Map.of(), "kernel");
    }

    /** What the kernel sends the worker for {@code parquet convert ARGS}. */
    private List<String> sent(List<String> args) {
        List<String> argv = new ArrayList<>(List.of("convert"));
        argv.addAll(args);
        return Convert.arguments(new CommandLine(new ParquetCommand(session(Progress.NONE))).parseArgs(argv.toArray(String[]::new)).subcommand());
    }

    private dev.kiln.magics.parquet.ConversionOptions options(List<String> args) {
        return Convert.parse(session(Progress.NONE), args).options();
    }

    private static List<String> with(List<String> args, String option, String value) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            out.add(args.get(i));
            if (args.get(i).equals(option)) {
                out.add(value);
                i++;
            }
        }
        return out;
    }

    private long workerPid() {
        return ProcessHandle.current().children().filter(p -> p.isAlive() && p.info().commandLine().orElse("")
                .contains(ConversionJvm.ROLE)).mapToLong(ProcessHandle::pid).max().orElse(-1);
    }

    private static List<String> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Progress that records what a cell's bar would draw; {@code onAdvance} acts as the cell would (an interrupt). */
    private static final class Recorded implements Progress {
        final List<String> events = new CopyOnWriteArrayList<>();
        private final LongConsumer onAdvance;

        Recorded(LongConsumer onAdvance) {
            this.onAdvance = onAdvance;
        }

        @Override
        public Bar start(String label, long total, Unit unit) {
            events.add("start " + label + " " + total + " " + unit);
            return new Bar() {
                @Override
                public void advance(long units) {
                    onAdvance.accept(units);
                    events.add("advance " + units);
                }

                @Override
                public void close() {
                    events.add("close");
                }
            };
        }
    }

}
