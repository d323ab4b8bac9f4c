package dev.kiln.kernel.eval;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import dev.kiln.magics.core.UserError;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.PersistentSnippet;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.Completeness;
import jdk.jshell.UnresolvedReferenceException;
import jdk.jshell.VarSnippet;

/**
 * Evaluates Java source the way a notebook user writes it: a cell holds several snippets
 * (declarations, statements, a final expression), state is kept across cells, and errors point at
 * the user's own line and column. Knows nothing of Jupyter.
 */
public final class JavaEvaluator implements AutoCloseable {

    private final JShell shell;
    private final KilnExecutionControl control;
    private final SourceCodeAnalysis analysis;
    /** Where each snippet came from, so a stack frame "#12:3" reads "cell [4], line 5". */
    private final Map<String, Origin> origins = new ConcurrentHashMap<>();
    private final DependencyJavadoc dependencyJavadoc = new DependencyJavadoc();

    private record Origin(String cell, int firstLine) {
    }

    /** Completion replacements for the text between {@code start} and {@code end}. */
    public record Completions(List<String> matches, int start, int end) {
    }

    /** The answer to Jupyter's is_complete: complete, incomplete (with an indent) or invalid. */
    /** A variable of the session: its name, declared type and value as JShell prints it. */
    public record Variable(String name, String type, String value) {
    }

    public record Completion(String status, String indent) {
    }

    /**
     * @param classpath jars and folders user code compiles and runs against (the kernel's own API)
     * @param startup   snippets run once at start (imports)
     */
    public JavaEvaluator(List<Path> classpath, List<String> startup) {
        KilnExecutionControl.Provider provider = new KilnExecutionControl.Provider();
        this.shell = JShell.builder()
                .executionEngine(provider, Map.of())
                .fileManager(IndexKeepingFileManager::wrap)
                .compilerOptions("-Xlint:none", "-proc:none")
                .build();
        this.control = provider.control();
        this.analysis = shell.sourceCodeAnalysis();
        for (Path p : classpath) {
            shell.addToClasspath(p.toString());
        }
        for (String s : startup) {
            for (SnippetEvent e : shell.eval(s)) {
                if (e.status() == Snippet.Status.REJECTED) {
                    throw new IllegalStateException("Kernel start-up snippet rejected: " + s);
                }
            }
        }
    }

    /**
     * An evaluator on this JVM's class path (so cells see the kernel's own API), its compiler
     * loaded by a first evaluation before the user's.
     */
    public static JavaEvaluator onThisClassPath(List<String> startup) throws EvalError {
        List<Path> classpath = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!e.isBlank()) {
                classpath.add(Path.of(e));
            }
        }
        JavaEvaluator evaluator = new JavaEvaluator(classpath, startup);
        evaluator.eval("1", "warm-up", 0);
        return evaluator;
    }

    /** The class loader of the cells' classes, which sees every jar added so far. */
    public ClassLoader classLoader() {
        return control.snippetLoader();
    }

    /**
     * The session's variables in the order they were declared (JShell's own {@code $N} left out).
     *
     * @param brief a value in a few words where it has them (a table's size rather than its rows), else empty
     */
    public List<Variable> variables(Function<Object, Optional<String>> brief) {
        control.briefly(brief);
        try {
            return shell.variables()
                    .filter(v -> shell.status(v).isActive() && !v.name().startsWith("$"))
                    .map(v -> new Variable(v.name(), v.typeName(), shell.varValue(v)))
                    .toList();
        } finally {
            control.briefly(null);
        }
    }

    /** Makes a jar or folder available to later cells. */
    public void addToClasspath(Path path) {
        shell.addToClasspath(path.toAbsolutePath().toString());
    }

    /** Makes the Javadoc in a library's {@code -sources} (or {@code -javadoc}) jar available to {@link #inspect}. */
    public void addDocumentation(Path jar) {
        dependencyJavadoc.add(jar);
    }

    /**
     * Runs {@code code} snippet by snippet and returns the value of the last one.
     *
     * @param cell      how errors name this cell, e.g. "cell [3]"
     * @param firstLine the line of the whole cell where {@code code} starts (0-based), for messages
     */
    public Value eval(String code, String cell, int firstLine) throws EvalError {
        Value last = Value.NONE;
        String rest = code;
        int offset = 0;
        while (true) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
            if (info.completeness() == Completeness.EMPTY) {
                return last;
            }
            String source = info.completeness().isComplete() ? info.source() : rest;
            int consumed = info.completeness().isComplete() ? rest.length() - info.remaining().length() : rest.length();
            int start = offset + leadingWhitespace(rest);
            // like IPython, a trailing semicolon keeps an expression's value out of the output
            boolean quiet = code.substring(offset, offset + consumed).strip().endsWith(";");
            last = evalSnippet(source, code, start, cell, firstLine, quiet);
            offset += consumed;
            rest = rest.substring(consumed);
        }
    }

    private Value evalSnippet(String source, String code, int start, String cell, int firstLine, boolean quiet) throws EvalError {
        control.clearLast();
        String trimmed = source.strip();
        int snippetLine = firstLine + lineOf(code, start);
        List<SnippetEvent> events = shell.eval(trimmed);
        Value value = Value.NONE;
        try {
            for (SnippetEvent e : events) {
                if (e.causeSnippet() != null) {
                    continue; // a dependent snippet updated as a consequence; not the user's
                }
                Snippet s = e.snippet();
                origins.put(s.id(), new Origin(cell, snippetLine));
                if (e.status() == Snippet.Status.REJECTED) {
                    throw compileError(s, code, start, firstLine);
                }
                if (e.exception() != null) {
                    throw runtimeError(e.exception());
                }
                if (isExpression(s) && !quiet) {
                    Object obj = control.lastValue();
                    value = new Value(true, obj, e.value());
                }
            }
        } finally {
            forgetWhatNoLaterCellUses(events);
        }
        return value;
    }

    /**
     * Drops the variable {@code $N} JShell keeps each expression's value in, which every later
     * snippet would compile against and which would keep a large result reachable: Kiln shows the
     * value and never names {@code $N}. Where snippets came from is kept only for declarations
     * still in force, whose code later cells can call.
     */
    private void forgetWhatNoLaterCellUses(List<SnippetEvent> events) {
        for (SnippetEvent e : events) {
            Snippet s = e.snippet();
            if (s.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND && shell.status(s).isActive()) {
                shell.drop(s);
                control.releaseStatic(((VarSnippet) s).name());
            }
            if (!(s instanceof PersistentSnippet) || !shell.status(s).isActive()) {
                origins.remove(s.id());
            }
        }
    }

    private static boolean isExpression(Snippet s) {
        return s.kind() == Snippet.Kind.EXPRESSION
                || s.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND;
    }

    private EvalError compileError(Snippet s, String code, int start, int firstLine) {
        List<Diag> diags = shell.diagnostics(s).filter(Diag::isError).collect(Collectors.toList());
        if (diags.isEmpty()) {
            diags = shell.diagnostics(s).collect(Collectors.toList());
        }
        List<String> tb = new ArrayList<>();
        String first = null;
        String[] lines = code.split("\n", -1);
        for (Diag d : diags) {
            long pos = d.getStartPosition() >= 0 ? d.getStartPosition() : d.getPosition();
            int abs = (int) Math.min(code.length(), start + Math.max(0, pos));
            int line = lineOf(code, abs);
            int col = abs - code.lastIndexOf('\n', abs - 1);
            String message = withoutBlankLocation(d.getMessage(Locale.ROOT));
            if (first == null) {
                first = message.lines().findFirst().orElse(message);
            }
            tb.add(String.format(Locale.ROOT, "Compile error at line %d, column %d: %s",
                    firstLine + line + 1, col, message));
            if (line < lines.length) {
                tb.add("    " + lines[line]);
                tb.add("    " + " ".repeat(Math.max(0, col - 1)) + "^");
            }
        }
        if (first == null) {
            first = "the snippet was rejected: " + s.source().strip();
            tb.add("Compile error: " + first);
        }
        return new EvalError("CompileError", first, tb);
    }

    /**
     * javac's message without its "location: class " line, which names JShell's wrapper class: for a
     * snippet that class has no name, and the line says nothing.
     */
    private static String withoutBlankLocation(String message) {
        return message.lines().filter(l -> !l.strip().equals("location: class"))
                .collect(Collectors.joining("\n"));
    }

    private EvalError runtimeError(Exception jshellException) {
        if (jshellException instanceof UnresolvedReferenceException u) {
            String unresolved = shell.unresolvedDependencies(u.getSnippet()).collect(Collectors.joining(", "));
            String msg = "'" + u.getSnippet().source().strip().lines().findFirst().orElse("")
                    + "' uses what is not defined yet: " + unresolved;
            return new EvalError("UnresolvedReference", msg, List.of("Error: " + msg));
        }
        EvalException e = (EvalException) jshellException;
        if (isUserError(e.getExceptionClassName())) {
            // a message written for the user, who acts on it: the library's frames would only bury it
            String message = e.getMessage() == null ? "" : e.getMessage();
            return new EvalError(e.getExceptionClassName(), message, List.of(message));
        }
        List<String> tb = new ArrayList<>();
        appendTrace(e, tb, "");
        return new EvalError(e.getExceptionClassName(), e.getMessage() == null ? "" : e.getMessage(), tb);
    }

    private void appendTrace(Throwable t, List<String> tb, String prefix) {
        String name = t instanceof EvalException ee ? ee.getExceptionClassName() : t.getClass().getName();
        tb.add(prefix + name + (t.getMessage() == null ? "" : ": " + t.getMessage()));
        StackTraceElement[] frames = t.getStackTrace();
        int lastUser = -1;
        for (int i = frames.length - 1; i >= 0; i--) {
            if (isUserFrame(frames[i])) {
                lastUser = i;
                break;
            }
        }
        // frames below the user's last one belong to the kernel and JShell: leave them out
        int end = lastUser >= 0 ? lastUser : frames.length - 1;
        for (int i = 0; i <= end && i < frames.length; i++) {
            tb.add("    at " + frame(frames[i]));
        }
        if (t.getCause() != null && t.getCause() != t) {
            appendTrace(t.getCause(), tb, "Caused by: ");
        }
    }

    /** Whether {@code className} is Kiln's {@link UserError} or one of its kinds. */
    public static boolean isUserError(String className) {
        try {
            return UserError.class.isAssignableFrom(Class.forName(className, false, JavaEvaluator.class.getClassLoader()));
        } catch (ClassNotFoundException | LinkageError e) {
            return false; // a class of the user's own: not a Kiln error
        }
    }

    /** JShell names the source of a snippet's frames "#ID". */
    private static boolean isUserFrame(StackTraceElement f) {
        return f.getFileName() != null && f.getFileName().startsWith("#");
    }

    private String frame(StackTraceElement f) {
        String file = f.getFileName();
        if (file != null && file.startsWith("#")) {
            Origin o = origins.get(file.substring(1));
            String method = f.getMethodName().equals("do_it$") || f.getMethodName().isEmpty() ? "<cell>" : f.getMethodName();
            String cls = f.getClassName();
            String qualified = cls.isEmpty() ? method : cls + "." + method;
            if (o != null && f.getLineNumber() > 0) {
                return qualified + "(" + o.cell + ", line " + (o.firstLine + f.getLineNumber()) + ")";
            }
            return qualified + "(snippet " + file + ")";
        }
        return f.toString();
    }

    /** Completions at {@code cursor}: Java members and names, from the snippet the cursor is in. */
    public Completions complete(String code, int cursor) {
        int start = snippetStart(code, cursor);
        String snippet = code.substring(start, cursor);
        int[] anchor = new int[1];
        List<SourceCodeAnalysis.Suggestion> suggestions = analysis.completionSuggestions(snippet, snippet.length(), anchor);
        List<String> matches = suggestions.stream()
                .sorted((a, b) -> Boolean.compare(b.matchesType(), a.matchesType()))
                .map(SourceCodeAnalysis.Suggestion::continuation)
                .distinct()
                .collect(Collectors.toList());
        return new Completions(matches, start + anchor[0], cursor);
    }

    /** What Shift-Tab shows: each signature at the cursor with its documentation, as text and as HTML. */
    public record Inspection(String text, String html) {
    }

    /** The text of {@link #inspection}: what {@code expr?} pages. */
    public Optional<String> inspect(String code, int cursor) {
        return inspection(code, cursor).map(Inspection::text);
    }

    /**
     * Signature and javadoc of what is at {@code cursor}: the JDK's from its {@code src.zip} (where
     * installed), an added library's from its sources or javadoc jar ({@link #addDocumentation}).
     */
    public Optional<Inspection> inspection(String code, int cursor) {
        int start = snippetStart(code, cursor);
        String snippet = code.substring(start, cursor);
        // documentation() wants the cursor inside or right after a call's parentheses or a name
        List<SourceCodeAnalysis.Documentation> docs = analysis.documentation(snippet, snippet.length(), true);
        if (docs.isEmpty()) {
            int end = cursor;
            while (end < code.length() && Character.isJavaIdentifierPart(code.charAt(end))) {
                end++;
            }
            String upTo = code.substring(start, end);
            docs = analysis.documentation(upTo + "(", upTo.length() + 1, true);
            if (docs.isEmpty()) {
                docs = analysis.documentation(upTo, upTo.length(), true);
            }
        }
        if (docs.isEmpty()) {
            return Optional.empty();
        }
        StringBuilder text = new StringBuilder();
        StringBuilder html = new StringBuilder();
        for (SourceCodeAnalysis.Documentation d : docs) {
            text.append(d.signature()).append('\n');
            html.append("<p><code>").append(JavadocHtml.escape(d.signature())).append("</code></p>");
            String javadoc = d.javadoc() != null && !d.javadoc().isBlank() ? d.javadoc()
                    : dependencyJavadoc.docComment(d.signature()).orElse("");
            if (!javadoc.isBlank()) {
                text.append(JavadocText.of(javadoc)).append("\n\n");
                html.append(JavadocHtml.of(javadoc));
            }
        }
        return Optional.of(new Inspection(text.toString().strip(), html.toString()));
    }

    /** Whether {@code code} is a complete cell (Jupyter's is_complete_request). */
    public Completion isComplete(String code) {
        String rest = code;
        while (true) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
            switch (info.completeness()) {
                case EMPTY:
                    return new Completion("complete", "");
                case COMPLETE, COMPLETE_WITH_SEMI:
                    if (info.remaining().isBlank()) {
                        return new Completion("complete", "");
                    }
                    rest = info.remaining();
                    break;
                case DEFINITELY_INCOMPLETE, CONSIDERED_INCOMPLETE:
                    return new Completion("incomplete", "    ");
                default:
                    return new Completion("invalid", "");
            }
        }
    }

    /** The names of the variables in force, as JShell holds them. */
    List<String> variableNames() {
        return shell.variables().filter(v -> shell.status(v).isActive()).map(VarSnippet::name).toList();
    }

    /** Stops the snippet that is running, if any; the evaluator keeps its state. */
    public void stop() {
        shell.stop();
    }

    @Override
    public void close() {
        shell.close();
    }

    /** The offset where the snippet holding {@code cursor} begins. */
    private int snippetStart(String code, int cursor) {
        String rest = code.substring(0, cursor);
        int offset = 0;
        while (true) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
            if (!info.completeness().isComplete() || info.remaining().isBlank()) {
                return offset + leadingWhitespace(rest);
            }
            int consumed = rest.length() - info.remaining().length();
            offset += consumed;
            rest = rest.substring(consumed);
        }
    }

    private static int leadingWhitespace(String s) {
        int i = 0;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int lineOf(String code, int offset) {
        int line = 0;
        for (int i = 0; i < offset && i < code.length(); i++) {
            if (code.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }
}
