package dev.kiln.kernel;

import dev.kiln.kernel.display.CellDisplay;
import dev.kiln.kernel.display.CellProgress;
import dev.kiln.kernel.display.LibraryDisplays;
import dev.kiln.kernel.display.Renderers;
import dev.kiln.kernel.eval.EvalError;
import dev.kiln.kernel.eval.JavaEvaluator;
import dev.kiln.kernel.eval.Value;
import dev.kiln.kernel.guard.ExitGuardAgent;
import dev.kiln.kernel.magic.KernelServices;
import dev.kiln.kernel.magic.Magics;
import dev.kiln.kernel.magic.TimeMagic;
import dev.kiln.magics.core.KilnVersion;
import dev.kiln.magics.core.MimeBundle;
import dev.kiln.magics.core.Result;
import dev.kiln.magics.core.Session;
import dev.kiln.magics.env.RuntimeClasspath;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.HelpLink;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;

/**
 * The Kiln kernel: Java's language hooks, each handed on: code to JShell, magics to the
 * {@link MagicBridge}, values to the {@link Renderers}, what magics recorded to the {@link RunLog}.
 * {@link ProtocolKernel} answers Jupyter; {@link KernelLauncher} starts and assembles the kernel.
 */
public final class KilnKernel extends ProtocolKernel implements KernelServices {

    private static final LanguageInfo JAVA = new LanguageInfo.Builder("java").version(Runtime.version().toString())
            .mimetype("text/x-java-source").fileExtension(".jshell").pygments("java").codemirror("text/x-java").build();

    private final CellOutput output;
    private final List<String> imports;
    private final Magics magics;
    private final MagicBridge magicBridge;
    private final Renderers renderers = Renderers.on(KilnKernel.class.getClassLoader());
    private final CellDisplay display;
    private final LibraryDisplays libraryDisplays;
    /** {@code %%time} and {@code %time}, which run the cell's code as the kernel does. */
    private final TimeMagic timer;
    final Session session;
    private final JShellStart jshell = new JShellStart();
    /** This session's run in the sidecar, opened once start-up is done; cells may finish before. */
    private final PendingRunLog runLog = new PendingRunLog();
    /** The results of the running cell's magics, for the run log. */
    private List<Result> magicResults = new ArrayList<>();
    /** The execution count of the cell running now, for its messages. */
    private int runningCount;
    private volatile boolean executing;
    private volatile boolean interrupted;

    /**
     * @param imports what every cell starts with
     * @param magics  the magics cells may use
     * @param env     the environment commands see
     */
    KilnKernel(CellOutput output, List<String> imports, Magics magics, Map<String, String> env) {
        super("kiln", KilnVersion.get(), JAVA,
                List.of(new HelpLink("Java API", "https://docs.oracle.com/en/java/javase/17/docs/api/")), output);
        this.output = output;
        this.imports = List.copyOf(imports);
        this.magics = magics;
        this.display = new CellDisplay(output, renderers);
        this.session = new Session(Path.of("").toAbsolutePath(), output.out(), output.err(),
                new CellProgress(display, () -> interrupted), env, "kernel");
        this.magicBridge = new MagicBridge(magics, session, this, () -> interrupted);
        this.timer = new TimeMagic(this::runCellCode, output.out());
        this.libraryDisplays = new LibraryDisplays(this, renderers);
        Notebook.attach(display, this);
    }

    /**
     * Builds JShell in the background once kernel_info is answered (see {@link #startAfterFirstReply}),
     * when a cell needs it or the kernel idles ({@link JShellStart}); then opens this session's run in
     * the sidecar (or its spool, when no sidecar runs).
     *
     * @param recordAs the kernel session's id for the run log; empty records nothing (the CDS training)
     */
    void start(Optional<String> recordAs) {
        startAfterFirstReply(() -> {
            jshell.buildInTurn(() -> executing, () -> {
                ExitGuardAgent.install(); // before JShell, so before any cell can call System.exit
                return JavaEvaluator.onThisClassPath(imports);
            });
            try {
                renderers.discover();
                recordAs.ifPresent(id -> runLog.open(RunLog.open(session, id, KERNEL_LOG)));
            } catch (RuntimeException e) {
                // as before JShell: no library's renderers, no run log; a cell's output never shows a start-up trace
            }
        });
    }

    private JavaEvaluator evaluator() {
        return jshell.get();
    }

    @Override
    public String getBanner() {
        return "Kiln " + KilnVersion.get() + " — Java " + Runtime.version() + " (JShell). %help lists the magics.";
    }

    // ---- execute ----
    @Override
    protected void cellStarted(ShellReplyEnvironment env) {
        display.cellStarted(env);
        executing = true;
        interrupted = false;
        magicResults = new ArrayList<>();
    }

    @Override
    protected Optional<String> page(String code) {
        String expr = CellParser.pageRequest(code);
        return expr == null ? Optional.empty()
                : Optional.of(evaluator().inspect(expr, expr.length()).orElse("No documentation found for " + expr));
    }

    /** Runs a cell's parts in order; returns what the cell shows as its result, or null. */
    @Override
    protected MimeBundle execute(String code, int count) throws EvalError {
        runningCount = count;
        return runCellCode(code, 0);
    }

    private MimeBundle runCode(CellParser.Part part, int count) throws EvalError {
        Value v;
        try {
            v = evaluator().eval(part.text(), "cell [" + count + "]", part.firstLine());
        } catch (EvalError e) {
            if (!JavaEvaluator.isUserError(e.name())) {
                throw e;
            }
            throw magicBridge.respelled(e); // Kiln's API called from Java speaks as its magics do in a cell
        }
        if (interrupted) {
            throw EvalError.interrupted();
        }
        return v.present() ? renderers.render(v.object(), v.text()) : null;
    }

    private MimeBundle runMagic(CellParser.Part part) throws EvalError {
        if (part.kind() == CellParser.Kind.CELL_MAGIC) {
            return magicBridge.runCell(part.text(), part.body());
        }
        if (part.text().equals("time") || part.text().startsWith("time ")) {
            return magicBridge.timeLine(timer, part.text().substring(4).strip(), part.firstLine());
        }
        Result r = magicBridge.runLine(part.text());
        magicResults.add(r);
        return MimeBundle.of(r);
    }

    /** Runs code of the running cell that starts at its line {@code firstLine}: what {@code %%time} times. */
    MimeBundle runCellCode(String code, int firstLine) throws EvalError {
        MimeBundle last = null;
        boolean lastFromCode = false;
        for (CellParser.Part p : CellParser.parse(code)) {
            CellParser.Part part = new CellParser.Part(p.kind(), p.text(), p.body(), p.firstLine() + firstLine);
            if (last != null && !lastFromCode) {
                display.show(null, last, false); // a magic's result stays visible when more follows
            }
            lastFromCode = part.kind() == CellParser.Kind.CODE;
            last = lastFromCode ? runCode(part, runningCount) : runMagic(part);
        }
        return last;
    }

    TimeMagic timer() {
        return timer;
    }

    /** Whether the user asked the running cell to stop. */
    boolean interruptRequested() {
        return interrupted;
    }

    @Override
    protected void cellEnded(int count, boolean stored) {
        display.cellEnded();
        executing = false;
        List<Result> results = magicResults; // the magics that ran, even when a later part failed
        runLog.cellFinished(count, stored, results);
    }

    @Override
    public Object evalRaw(String code) {
        try {
            return evaluator().eval(code, "cell", 0).object();
        } catch (EvalError e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    // ---- introspection ----
    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
        String java = CellParser.blankMagicLines(code);
        return evaluator().inspection(java, Math.min(at, java.length()))
                .map(i -> CellDisplay.displayData(MimeBundle.of(Map.of("text/plain", i.text(), "text/html", i.html())))).orElse(null);
    }

    @Override
    public ReplacementOptions complete(String code, int at) {
        int lineStart = code.lastIndexOf('\n', at - 1) + 1;
        String line = code.substring(lineStart, at).stripLeading();
        if (line.startsWith("%") && !line.contains(" ")) {
            boolean cellMagic = lineStart == 0 && line.startsWith("%%");
            String prefix = line.substring(cellMagic ? 2 : 1);
            return new ReplacementOptions(magics.namesStartingWith(prefix, cellMagic), at - prefix.length(), at);
        }
        String java = CellParser.blankMagicLines(code);
        JavaEvaluator.Completions c = evaluator().complete(java, Math.min(at, java.length()));
        return new ReplacementOptions(c.matches(), c.start(), c.end());
    }

    @Override
    public String isComplete(String code) {
        if (code.stripLeading().startsWith("%%")) {
            return "complete"; // the body belongs to the cell magic (a script, HTML…), not to Java
        }
        JavaEvaluator.Completion c = evaluator().isComplete(CellParser.blankMagicLines(code));
        return c.status().equals("incomplete") ? c.indent() : c.status();
    }

    // ---- interrupt and shutdown ----
    @Override
    public void interrupt() {
        if (!executing) {
            return;
        }
        interrupted = true;
        output.releaseWaitingWriters(); // a cell waiting to print must reach its next stop check
        jshell.ifBuilt().ifPresent(JavaEvaluator::stop);
        // No Thread.interrupt(): the shell thread owns ZeroMQ sockets that an interrupt would break.
        // A running magic stops at its next progress report (see CellProgress).
    }

    @Override
    public void onShutdown(boolean isRestarting) {
        jshell.ifBuilt().ifPresent(JavaEvaluator::close);
        // what the last cells recorded goes to the sidecar now, not at the project's next session
        RunLog log = runLog.now();
        if (log != null) {
            log.endAndDeliver();
        }
    }

    // ---- KernelServices, for the kernel's own magics ----
    @Override
    public void addToClasspath(Path path, String coordinates) {
        evaluator().addToClasspath(path);
        RuntimeClasspath.add(path, coordinates); // %env snapshot lists it with its coordinates
    }

    @Override
    public void addDocumentation(Path jar) {
        evaluator().addDocumentation(jar);
    }

    @Override
    public void librariesAdded() {
        libraryDisplays.install(evaluator().classLoader(), output.out(), output.err());
    }

    @Override
    public List<Path> addedClasspath() {
        return RuntimeClasspath.entries().stream().map(RuntimeClasspath.Entry::jar).toList();
    }

    @Override
    public void runCode(String code) throws EvalError {
        MimeBundle shown = runCellCode(code, 0);
        if (shown != null) {
            display.show(null, shown, false);
        }
    }

    @Override
    public List<JavaEvaluator.Variable> variables() {
        return evaluator().variables(renderers::brief);
    }
}
