package dev.kiln.kernel;

import dev.kiln.kernel.display.CellProgress;
import dev.kiln.kernel.display.Renderers;
import dev.kiln.kernel.eval.EvalError;
import dev.kiln.kernel.eval.JavaEvaluator;
import dev.kiln.kernel.eval.Value;
import dev.kiln.kernel.guard.ExitGate;
import dev.kiln.kernel.guard.ExitGuardAgent;
import dev.kiln.kernel.magic.ClasspathMagic;
import dev.kiln.kernel.magic.HelpMagic;
import dev.kiln.kernel.magic.KernelServices;
import dev.kiln.kernel.magic.MavenMagic;
import dev.kiln.kernel.protocol.KernelInfoOk;
import dev.kiln.kernel.protocol.KilnConnection;
import dev.kiln.kernel.protocol.Replies;
import dev.kiln.magics.cli.Args;
import dev.kiln.magics.cli.CommandRunner;
import dev.kiln.magics.cli.Commands;
import dev.kiln.magics.core.KilnVersion;
import dev.kiln.magics.core.MimeBundle;
import dev.kiln.magics.core.Provenance;
import dev.kiln.magics.core.Result;
import dev.kiln.magics.core.Session;
import dev.kiln.magics.core.UserError;
import dev.kiln.magics.env.RuntimeClasspath;
import dev.kiln.magics.record.ProvenanceRecords;
import dev.kiln.magics.record.Recorder;
import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.HelpLink;
import org.dflib.jjava.jupyter.kernel.JupyterIO;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.history.HistoryEntry;
import org.dflib.jjava.jupyter.kernel.history.HistoryManager.ResultFlag;
import org.dflib.jjava.jupyter.kernel.magic.MagicParser;
import org.dflib.jjava.jupyter.kernel.magic.MagicTranspiler;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.publish.PublishClearOutput;
import org.dflib.jjava.jupyter.messages.publish.PublishDisplayData;
import org.dflib.jjava.jupyter.messages.publish.PublishError;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteInput;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteResult;
import org.dflib.jjava.jupyter.messages.publish.PublishStream;
import org.dflib.jjava.jupyter.messages.publish.PublishUpdateDisplayData;
import org.dflib.jjava.jupyter.messages.reply.ErrorReply;
import org.dflib.jjava.jupyter.messages.reply.ExecuteReply;
import org.dflib.jjava.jupyter.messages.request.ExecuteRequest;
import org.dflib.jjava.jupyter.messages.request.HistoryRequest;
import org.dflib.jjava.jupyter.messages.request.InterruptRequest;
import org.dflib.jjava.jupyter.messages.request.KernelInfoRequest;

/**
 * The Kiln kernel: Java cells evaluated by JShell, line magics run as Kiln commands, values shown
 * through the renderer registry. jjava speaks the wire protocol; this class speaks Java values.
 */
public final class KilnKernel extends BaseKernel implements KernelServices {

    private static final List<String> IMPORTS = List.of(
            "import java.io.*;", "import java.math.*;", "import java.net.*;", "import java.nio.file.*;",
            "import java.time.*;", "import java.util.*;", "import java.util.concurrent.*;",
            "import java.util.function.*;", "import java.util.regex.*;", "import java.util.stream.*;",
            "import static dev.kiln.kernel.Notebook.*;",
            // tables and charts, as every exploration needs them
            "import tech.tablesaw.api.*;", "import dev.kiln.magics.viz.Plot;", "import dev.kiln.magics.parquet.Parquet;");

    private static final List<Class<?>> BUILT_IN_MAGICS = List.of(MavenMagic.class, ClasspathMagic.class, HelpMagic.class);

    private static final boolean TIMING = Boolean.getBoolean("kiln.timing");
    private static final java.io.PrintStream LOG_ERR = System.err;
    private final SessionHistory sessionHistory;
    private final CellOutput output;
    private final Renderers renderers = Renderers.on(KilnKernel.class.getClassLoader());
    private final CommandRunner magics;
    private final List<String> magicNames = new ArrayList<>();
    private final CompletableFuture<JavaEvaluator> evaluator = new CompletableFuture<>();
    private final LanguageInfo language;
    private final Session session;
    /** This session's run in the sidecar, opened once start-up is done; cells may finish before. */
    private final CompletableFuture<RunLog> runLog = new CompletableFuture<>();
    private final List<Provenance> cellProvenance = new ArrayList<>();
    private volatile ShellReplyEnvironment current;
    private volatile Thread executing;
    private volatile boolean interrupted;
    private int nextCount = 1;

    KilnKernel(CellOutput output, SessionHistory history) {
        super("kiln", KilnVersion.get(), languageInfo(), helpLinks(), history, new JupyterIO(StandardCharsets.UTF_8),
                new CommManager(), new Renderer(), new MagicParser("^\\s*%", "^\\s*%%", new MagicTranspiler()),
                new MagicsRegistry(), false, new StringStyler.Builder().build());
        this.sessionHistory = history;
        this.output = output;
        this.language = languageInfo();
        List<Class<?>> magicCommands = new ArrayList<>(BUILT_IN_MAGICS);
        magicCommands.addAll(Commands.notebook());
        magicCommands.forEach(c -> magicNames.add(Commands.name(c)));
        this.session = new Session(Path.of("").toAbsolutePath(), output.out(), output.err(),
                new CellProgress(this::show, () -> interrupted), System.getenv(), "kernel");
        ProvenanceRecords records = new ProvenanceRecords(session);
        this.magics = new CommandRunner(session, magicCommands, List.of(this), result -> records.record(result.provenance()));
        Notebook.attach(this);
    }

    private static LanguageInfo languageInfo() {
        return new LanguageInfo.Builder("java")
                .version(Runtime.version().toString())
                .mimetype("text/x-java-source")
                .fileExtension(".jshell")
                .pygments("java")
                .codemirror("text/x-java")
                .build();
    }

    private static List<HelpLink> helpLinks() {
        return List.of(new HelpLink("Java API", "https://docs.oracle.com/en/java/javase/17/docs/api/"));
    }

    /**
     * Builds JShell in the background, so the kernel answers kernel_info while it starts; then
     * opens this session's run in the sidecar (or its spool, when no sidecar runs).
     */
    void startEvaluator(String sessionId) {
        startEvaluator(sessionId, true);
    }

    private void startEvaluator(String sessionId, boolean record) {
        Thread t = new Thread(() -> {
            try {
                List<Path> cp = new ArrayList<>();
                for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
                    if (!e.isBlank()) {
                        cp.add(Path.of(e));
                    }
                }
                JavaEvaluator ev = new JavaEvaluator(cp, IMPORTS);
                ev.eval("1", "warm-up", 0); // the first evaluation loads the compiler: do it before the user's
                evaluator.complete(ev);
                renderers.discover();
                if (record) {
                    RunLog log = new RunLog(Recorder.of(session), session.env(), sessionId);
                    log.started();
                    runLog.complete(log);
                }
            } catch (Throwable e) {
                evaluator.completeExceptionally(e);
            }
        }, "kiln-jshell-start");
        t.setDaemon(true);
        t.start();
    }

    private JavaEvaluator evaluator() {
        try {
            return evaluator.join();
        } catch (CompletionException e) {
            throw new IllegalStateException("JShell failed to start: " + e.getCause(), e.getCause());
        }
    }

    @Override
    public String getBanner() {
        return "Kiln " + KilnVersion.get() + " — Java " + Runtime.version() + " (JShell). %help lists the magics.";
    }

    // ---- execute ----

    @Override
    protected synchronized void handleExecuteRequest(ShellReplyEnvironment env, Message<ExecuteRequest> message) {
        commManager.setMessageContext(message);
        long t0 = System.nanoTime();
        ExecuteRequest request = message.getContent();
        String code = request.getCode();
        boolean silent = request.isSilent();
        boolean store = request.shouldStoreHistory() && !silent;
        int count = store ? nextCount++ : nextCount;
        env.setBusyDeferIdle();
        env.publish(new PublishExecuteInput(code, count));
        current = env;
        executing = Thread.currentThread();
        interrupted = false;
        output.attach((stream, text) -> env.publish(new PublishStream(
                stream == CellOutput.Stream.STDOUT ? PublishStream.StreamType.OUT : PublishStream.StreamType.ERR, text)));
        String resultText = null;
        synchronized (cellProvenance) {
            cellProvenance.clear();
        }
        try {
            String page = pageRequest(code);
            if (page != null) {
                // "Math.max?" pages the documentation, as IPython's "obj?" does
                String doc = evaluator().inspect(page, page.length()).orElse("No documentation found for " + page);
                env.defer().reply(new Replies.ExecuteOkWithPayload(count, List.of(Replies.ExecuteOkWithPayload.page(doc))));
                return;
            }
            MimeBundle result = runCell(code, count);
            output.flush();
            if (result != null && !silent) {
                env.publish(new PublishExecuteResult(count, toDisplayData(result)));
                resultText = String.valueOf(result.data().getOrDefault("text/plain", ""));
            }
            env.defer().reply(new ExecuteReply(count, Map.of()));
        } catch (EvalError e) {
            output.flush();
            env.publish(new PublishError(e.name(), e.getMessage(), e.traceback()));
            ErrorReply reply = new ErrorReply(e.name(), e.getMessage(), e.traceback());
            reply.setExecutionCount(count);
            env.defer().replyError(ExecuteReply.MESSAGE_TYPE.error(), reply);
        } finally {
            output.attach(null);
            current = null;
            executing = null;
            Thread.interrupted(); // an interrupt meant for this cell must not reach the next one
            if (store) {
                sessionHistory.add(count, code, resultText);
            }
            recordProvenance(count);
            if (TIMING) {
                LOG_ERR.println("kiln: cell " + count + " took " + (System.nanoTime() - t0) / 1_000_000.0 + " ms in the kernel");
            }
        }
    }

    /** The expression of a one-line cell {@code expr?}, or null. */
    private static String pageRequest(String code) {
        String c = code.strip();
        if (c.endsWith("?") && !c.endsWith("??") && !c.contains("\n") && !c.startsWith("%")) {
            String expr = c.substring(0, c.length() - 1).strip();
            return expr.matches("[\\w.$]+") ? expr : null;
        }
        return null;
    }

    /** Clears the cell's output ({@code clearOutput()} in a cell). */
    void clearOutput(boolean wait) {
        output.flush();
        ShellReplyEnvironment env = current;
        if (env != null) {
            env.publish(wait ? PublishClearOutput.BEFORE_NEXT_OUTPUT : PublishClearOutput.NOW);
        }
    }

    /** Runs a cell's parts in order; returns what the cell shows as its result, or null. */
    private MimeBundle runCell(String code, int count) throws EvalError {
        MimeBundle last = null;
        boolean lastFromCode = false;
        for (CellParser.Part part : CellParser.parse(code)) {
            if (last != null && !lastFromCode) {
                show(null, last, false); // a magic's result stays visible when more follows
            }
            last = null;
            switch (part.kind()) {
                case CODE -> {
                    Value v = evaluator().eval(part.text(), "cell [" + count + "]", part.firstLine());
                    checkInterrupted();
                    last = v.present() ? renderers.render(v.object(), v.text()) : null;
                    lastFromCode = true;
                }
                case LINE_MAGIC -> {
                    last = runMagic(part.text());
                    lastFromCode = false;
                }
                case CELL_MAGIC -> throw new EvalError("UnknownMagic", "There are no cell magics (%%" + part.text() + ")",
                        List.of("There are no cell magics (%%" + part.text() + "). Line magics start with one %; %help lists them."));
            }
        }
        return last;
    }

    private void checkInterrupted() throws EvalError {
        if (interrupted) {
            throw new EvalError("Interrupted", "The cell was interrupted",
                    List.of("Interrupted: the cell was stopped. Variables and methods defined before it are kept."));
        }
    }

    private MimeBundle runMagic(String line) throws EvalError {
        List<String> args;
        try {
            args = Args.split(line);
        } catch (UserError e) {
            throw new EvalError("MagicError", e.getMessage(), List.of(e.getMessage()));
        }
        if (args.isEmpty() || !magicNames.contains(args.get(0))) {
            String name = args.isEmpty() ? "" : args.get(0);
            String msg = "Unknown magic %" + name + ". Magics: %" + String.join(", %", magicNames) + " (%help shows their usage).";
            throw new EvalError("UnknownMagic", msg, List.of(msg));
        }
        try {
            Result r = magics.run(args);
            checkInterrupted();
            if (!r.provenance().isEmpty()) {
                synchronized (cellProvenance) {
                    cellProvenance.add(r.provenance());
                }
            }
            return MimeBundle.of(r);
        } catch (UserError e) {
            checkInterrupted();
            throw new EvalError("MagicError", e.getMessage(), List.of("%" + args.get(0) + ": " + e.getMessage()));
        } catch (EvalError e) {
            throw e;
        } catch (Exception e) {
            checkInterrupted();
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            throw new EvalError(e.getClass().getName(), String.valueOf(e.getMessage()),
                    List.of("%" + args.get(0) + " failed: " + e, trace.toString()));
        }
    }

    private void recordProvenance(int count) {
        List<Provenance> seen;
        synchronized (cellProvenance) {
            seen = List.copyOf(cellProvenance);
        }
        if (seen.isEmpty()) {
            return;
        }
        runLog.thenAccept(log -> {
            try {
                log.cellFinished(count, seen);
            } catch (RuntimeException e) {
                LOG_ERR.println("kiln: could not record cell " + count + "'s provenance for the sidecar: " + e.getMessage());
            }
        });
    }

    // ---- display ----

    /** Shows a value from cell code ({@code display(x)}); returns its display id. */
    String display(Object value, String updateId) {
        MimeBundle b = renderers.render(value, String.valueOf(value));
        String id = updateId != null ? updateId : UUID.randomUUID().toString();
        show(id, b, updateId != null);
        return id;
    }

    private void show(String displayId, MimeBundle bundle, boolean update) {
        output.flush();
        ShellReplyEnvironment env = current;
        if (env == null) {
            return; // between cells there is no cell to show it in
        }
        DisplayData dd = toDisplayData(bundle);
        if (displayId != null) {
            dd.setDisplayId(displayId);
        }
        if (update) {
            env.publish(new PublishUpdateDisplayData(dd));
        } else {
            env.publish(new PublishDisplayData(dd));
        }
    }

    private static DisplayData toDisplayData(MimeBundle b) {
        DisplayData dd = new DisplayData();
        b.data().forEach(dd::putData);
        b.metadata().forEach(dd::putMetaData);
        return dd;
    }

    // ---- introspection ----

    @Override
    public Object evalRaw(String code) {
        try {
            return evaluator().eval(code, "cell", 0).object();
        } catch (EvalError e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
        String java = blankMagicLines(code);
        return evaluator().inspect(java, Math.min(at, java.length())).map(DisplayData::new).orElse(null);
    }

    @Override
    public ReplacementOptions complete(String code, int at) {
        int lineStart = code.lastIndexOf('\n', at - 1) + 1;
        String line = code.substring(lineStart, at);
        if (line.stripLeading().startsWith("%") && !line.contains(" ")) {
            String prefix = line.stripLeading().substring(1);
            List<String> names = magicNames.stream().filter(n -> n.startsWith(prefix)).toList();
            return new ReplacementOptions(names, at - prefix.length(), at);
        }
        String java = blankMagicLines(code);
        JavaEvaluator.Completions c = evaluator().complete(java, Math.min(at, java.length()));
        return new ReplacementOptions(c.matches(), c.start(), c.end());
    }

    @Override
    public String isComplete(String code) {
        JavaEvaluator.Completion c = evaluator().isComplete(blankMagicLines(code));
        return c.status().equals("incomplete") ? c.indent() : c.status();
    }

    /** The cell with its magic lines turned to spaces, so Java offsets stay where they were. */
    static String blankMagicLines(String code) {
        String[] lines = code.split("\n", -1);
        StringBuilder sb = new StringBuilder(code.length());
        for (int i = 0; i < lines.length; i++) {
            if (i > 0) {
                sb.append('\n');
            }
            sb.append(lines[i].stripLeading().startsWith("%") ? " ".repeat(lines[i].length()) : lines[i]);
        }
        return sb.toString();
    }

    @Override
    protected void handleKernelInfoRequest(ShellReplyEnvironment env, Message<KernelInfoRequest> message) {
        env.setBusyDeferIdle();
        env.reply(new KernelInfoOk(getName(), getVersion(), language, getBanner(), getHelpLinks()));
    }

    @Override
    protected void handleHistoryRequest(ShellReplyEnvironment env, Message<HistoryRequest> message) {
        HistoryRequest request = message.getContent();
        env.setBusyDeferIdle();
        Set<ResultFlag> flags = EnumSet.noneOf(ResultFlag.class);
        if (request.includeOutput()) {
            flags.add(ResultFlag.INCLUDE_OUTPUT);
        }
        List<HistoryEntry> entries = switch (request.getAccessType()) {
            case TAIL -> sessionHistory.lookupTail(((HistoryRequest.Tail) request).getMaxReturnLength(), flags);
            case RANGE -> {
                HistoryRequest.Range r = (HistoryRequest.Range) request;
                yield sessionHistory.lookupRange(r.getSessionIndex(), r.getStart(), r.getStop(), flags);
            }
            case SEARCH -> {
                HistoryRequest.Search s = (HistoryRequest.Search) request;
                yield sessionHistory.search(s.getPattern(), s.getMaxReturnLength(), s.filterUnique(), flags);
            }
        };
        env.reply(new Replies.HistoryOk(entries));
    }

    @Override
    protected void handleInterruptRequest(ShellReplyEnvironment env, Message<InterruptRequest> message) {
        env.setBusyDeferIdle();
        env.defer().reply(new Replies.InterruptOk());
        interrupt();
    }

    @Override
    public void interrupt() {
        Thread t = executing;
        if (t == null) {
            return;
        }
        interrupted = true;
        output.releaseWaitingWriters(); // a cell waiting to print must reach its next stop check
        if (evaluator.isDone() && !evaluator.isCompletedExceptionally()) {
            evaluator.join().stop();
        }
        // No Thread.interrupt(): the shell thread owns ZeroMQ sockets that an interrupt would break.
        // A running magic stops at its next progress report (see CellProgress).
    }

    @Override
    public void onShutdown(boolean isRestarting) {
        if (evaluator.isDone() && !evaluator.isCompletedExceptionally()) {
            evaluator.join().close();
        }
        // what the last cells recorded goes to the sidecar now, not at the project's next session
        RunLog log = runLog.getNow(null);
        if (log != null && !log.deliver(java.time.Duration.ofSeconds(2))) {
            LOG_ERR.println("kiln: the sidecar did not take every record before shutdown; they stay in .kiln/spool"
                    + " and are sent by the next session");
        }
    }

    // ---- KernelServices, for the kernel's own magics ----

    @Override
    public void addToClasspath(Path path, String coordinates) {
        evaluator().addToClasspath(path);
        RuntimeClasspath.add(path, coordinates); // %env snapshot lists it with its coordinates
    }

    @Override
    public List<Path> addedClasspath() {
        return RuntimeClasspath.entries().stream().map(RuntimeClasspath.Entry::jar).toList();
    }

    @Override
    public List<String> magicNames() {
        return List.copyOf(magicNames);
    }

    @Override
    public String usage(String magic) {
        if (!magicNames.contains(magic)) {
            throw new UserError("Unknown magic %" + magic + ". Magics: %" + String.join(", %", magicNames) + ".");
        }
        return magics.usage(magic);
    }

    // ---- start ----

    /**
     * A short workload for building a class-data-sharing archive ({@code kiln kernel install} runs
     * it with {@code -XX:ArchiveClassesAtExit}): the classes a kernel loads to start, answer and run
     * cells, so that later kernels map them instead of loading them.
     */
    private static void train() throws Exception {
        System.setProperty("java.awt.headless", "true");
        CellOutput output = new CellOutput(System.out, System.err);
        KilnKernel kernel = new KilnKernel(output, new SessionHistory());
        int[] ports = new int[5];
        for (int i = 0; i < ports.length; i++) {
            try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                ports[i] = s.getLocalPort();
            }
        }
        KilnConnection connection = new KilnConnection(new KernelConnectionProperties("127.0.0.1", ports[0], ports[1],
                ports[2], ports[3], ports[4], "tcp", "hmac-sha256", UUID.randomUUID().toString()));
        kernel.becomeHandlerForConnection(connection);
        connection.connect();
        kernel.startEvaluator("train", false);
        JavaEvaluator ev = kernel.evaluator();
        ev.eval("var xs = java.util.stream.IntStream.range(0, 100).boxed().toList();\nxs.size()", "train", 0);
        ev.complete("Math.ma", 7);
        ev.isComplete("for (;;) {");
        kernel.renderers.render(java.util.List.of(1, 2), "[1, 2]");
        kernel.magics.run(List.of("help"));
        connection.close();
        ExitGate.exitKernel(0);
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("--train")) {
            train();
            return;
        }
        if (args.length != 1) {
            System.err.println("Usage: java dev.kiln.kernel.KilnKernel CONNECTION_FILE (Jupyter passes it; see 'kiln kernel install')");
            ExitGate.exitKernel(2);
        }
        if (!ExitGuardAgent.installed()) {
            System.err.println("kiln: the kernel runs without its agent (a kernelspec from an older Kiln?): System.exit"
                    + " in a cell will end it. Reinstall the kernelspec: kiln kernel install");
        }
        System.setProperty("java.awt.headless", "true");
        System.setProperty("kiln.kernel.version", KilnVersion.get());
        // the kernel's own log goes to the stderr Jupyter gave it, never into a cell
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", System.getProperty("kiln.log.level", "warn"));
        System.setProperty("org.slf4j.simpleLogger.cacheOutputStream", "true");
        KernelConnectionProperties props = KernelConnectionProperties.parse(Files.readString(Path.of(args[0])));
        CellOutput output = new CellOutput(System.out, System.err);
        KilnKernel kernel = new KilnKernel(output, new SessionHistory());
        KilnConnection connection = new KilnConnection(props);
        kernel.becomeHandlerForConnection(connection);
        connection.connect();
        kernel.startEvaluator(Path.of(args[0]).getFileName().toString().replaceFirst("^kernel-", "").replaceFirst("\\.json$", ""));
        System.setOut(output.out());
        System.setErr(output.err());
        connection.waitUntilClose();
        ExitGate.exitKernel(0);
    }
}
