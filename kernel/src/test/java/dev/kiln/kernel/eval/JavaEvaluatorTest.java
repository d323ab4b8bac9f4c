package dev.kiln.kernel.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120) // each test; it waits on a process or a socket
public class JavaEvaluatorTest {

    static JavaEvaluator ev;

    @BeforeAll
    static void start() {
        List<Path> cp = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(s -> !s.isBlank()).map(Path::of).toList();
        ev = new JavaEvaluator(cp, List.of("import java.util.*;", "import java.util.stream.*;"));
    }

    @AfterAll
    static void stop() {
        ev.close();
    }

    @Test
    void compileErrorShowsTheUsersLineColumnAndCompilerMessage() {
        EvalError e = assertThrows(EvalError.class, () -> ev.eval("int ok = 1;\nint bad = \"text\";", "cell [7]", 0));
        assertEquals("CompileError", e.name());
        assertTrue(e.getMessage().contains("incompatible types"), e.getMessage());
        assertEquals("Compile error at line 2, column 11: incompatible types: java.lang.String cannot be converted to int",
                e.traceback().get(0));
        assertEquals("    int bad = \"text\";", e.traceback().get(1));
        assertEquals("              ^", e.traceback().get(2));
    }

    @Test
    void compileErrorLinesCountFromTheTopOfTheCell() {
        // two magic lines above the code: the code's first line is the cell's third
        EvalError e = assertThrows(EvalError.class, () -> ev.eval("undefinedName + 1", "cell [1]", 2));
        assertTrue(e.traceback().get(0).startsWith("Compile error at line 3, column 1: cannot find symbol"), e.traceback().get(0));
    }

    @Test
    void runtimeExceptionShowsTheUsersFramesNotTheKernels() {
        String cell = "int half(int x) {\n    if (x < 0) throw new IllegalArgumentException(\"negative: \" + x);\n    return x / 2;\n}\nhalf(-4)";
        EvalError e = assertThrows(EvalError.class, () -> ev.eval(cell, "cell [3]", 0));
        assertEquals("java.lang.IllegalArgumentException", e.name());
        assertEquals("negative: -4", e.getMessage());
        assertEquals("java.lang.IllegalArgumentException: negative: -4", e.traceback().get(0));
        assertEquals("    at half(cell [3], line 2)", e.traceback().get(1));
        assertEquals("    at <cell>(cell [3], line 5)", e.traceback().get(2));
        assertEquals(3, e.traceback().size(), String.join("\n", e.traceback()));
        for (String line : e.traceback()) {
            assertFalse(line.contains("jdk.") || line.contains("dev.kiln") || line.contains("reflect"), line);
        }
    }

    @Test
    void anExceptionWithoutMessageHasAnEmptyOneNotTheWordNull() {
        EvalError e = assertThrows(EvalError.class, () -> ev.eval("throw new IllegalStateException();", "cell [5]", 0));
        assertEquals("java.lang.IllegalStateException", e.name());
        assertEquals("", e.getMessage());
        assertEquals("java.lang.IllegalStateException", e.traceback().get(0));
    }

    @Test
    void causesAreShownWithTheirFrames() {
        String cell = "try {\n  Integer.parseInt(\"x\");\n} catch (NumberFormatException e) {\n  throw new RuntimeException(\"wrapped\", e);\n}";
        EvalError e = assertThrows(EvalError.class, () -> ev.eval(cell, "cell [4]", 0));
        assertEquals("java.lang.RuntimeException", e.name());
        assertTrue(e.traceback().contains("Caused by: java.lang.NumberFormatException: For input string: \"x\""),
                String.join("\n", e.traceback()));
        assertTrue(e.traceback().stream().anyMatch(l -> l.contains("java.lang.Integer.parseInt")), "library frames under the user's stay");
    }

    @Test
    void stateIsKeptAcrossCells() throws Exception {
        ev.eval("int answer = 41;", "cell [1]", 0);
        ev.eval("answer++;", "cell [2]", 0);
        Value v = ev.eval("answer", "cell [3]", 0);
        assertTrue(v.present());
        assertEquals(42, v.object());
        assertEquals("42", v.text());
    }

    @Test
    void redefiningAVariableReplacesItsTypeAndValue() throws Exception {
        ev.eval("int shape = 1;", "cell [1]", 0);
        ev.eval("String shape = \"square\";", "cell [2]", 0);
        Value v = ev.eval("shape", "cell [3]", 0);
        assertEquals("square", v.object());
        assertEquals("\"square\"", v.text());
    }

    @Test
    void redefiningAMethodChangesWhatItsCallersCall() throws Exception {
        ev.eval("int base() { return 1; }\nint next() { return base() + 1; }", "cell [1]", 0);
        assertEquals(2, ev.eval("next()", "cell [2]", 0).object());
        ev.eval("int base() { return 10; }", "cell [3]", 0);
        assertEquals(11, ev.eval("next()", "cell [4]", 0).object());
    }

    @Test
    void aCellWithSeveralSnippetsShowsTheLastExpression() throws Exception {
        Value v = ev.eval("var list = new ArrayList<Integer>();\nlist.add(3); list.add(4);\nlist", "cell [1]", 0);
        assertInstanceOf(ArrayList.class, v.object());
        assertEquals("[3, 4]", v.text());
    }

    @Test
    void declarationsAndStatementsShowNothing() throws Exception {
        assertFalse(ev.eval("int nothingShown = 5;", "cell [1]", 0).present());
        assertFalse(ev.eval("nothingShown += 1;", "cell [1]", 0).present());
        assertFalse(ev.eval("class Point { int x; }", "cell [1]", 0).present());
        assertTrue(ev.eval("nothingShown", "cell [1]", 0).present(), "without the semicolon the value shows");
    }

    @Test
    void aParallelStreamDoesNotWaitForTheCommonPoolToDie() {
        // JShell's own local engine joins every thread it started, pool workers included (60 s idle)
        Value v = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> ev.eval("IntStream.range(0, 10_000).parallel().map(i -> i % 7).sum()", "cell [1]", 0));
        assertEquals(29994, v.object());
    }

    @Test
    void stopEndsABusyLoopAndTheStateSurvives() throws Exception {
        ev.eval("int survivor = 7;", "cell [1]", 0);
        CompletableFuture<Object> running = CompletableFuture.supplyAsync(() -> {
            try {
                return ev.eval("long spins = 0;\nwhile (true) { spins++; }", "cell [2]", 0);
            } catch (EvalError e) {
                return e;
            }
        });
        // stop until the loop has really begun: a stop before it starts would be lost
        while (!running.isDone()) {
            ev.stop();
            try {
                running.get(50, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException notYet) {
                // keep stopping
            }
        }
        running.get(2, TimeUnit.SECONDS);
        assertEquals(7, ev.eval("survivor", "cell [3]", 0).object());
    }

    /** What cells hand to {@link #tracked}, weakly: the test sees when nothing else holds it. */
    public static final List<java.lang.ref.WeakReference<Object>> TRACKED = new ArrayList<>();

    public static Object tracked(Object o) {
        TRACKED.add(new java.lang.ref.WeakReference<>(o));
        return o;
    }

    @Test
    void anExpressionsValueIsReleasedOnceShown() throws Exception {
        // JShell kept every bare expression's value in a variable $N for good: ten large results, ten times the heap
        Value v = ev.eval("dev.kiln.kernel.eval.JavaEvaluatorTest.tracked(new byte[1 << 20])", "cell [1]", 0);
        assertEquals(1 << 20, ((byte[]) v.object()).length);
        v = null;
        ev.eval("int afterwards = 1;", "cell [2]", 0);
        java.lang.ref.WeakReference<Object> value = TRACKED.get(TRACKED.size() - 1);
        for (int i = 0; i < 20 && value.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertTrue(value.get() == null, "the cell's value was released");
    }

    @Test
    void expressionsLeaveNoVariableBehindWhileDeclarationsStay() throws Exception {
        ev.eval("int kept = 3;\nkept * 2", "cell [1]", 0);
        List<String> names = ev.variableNames();
        assertEquals(List.of(), names.stream().filter(n -> n.startsWith("$")).toList(), names.toString());
        assertTrue(names.contains("kept"), names.toString());
        assertEquals(6, ev.eval("kept * 2", "cell [2]", 0).object());
    }

    @Test
    void isCompleteTellsCompleteFromIncomplete() {
        assertEquals("complete", ev.isComplete("int a = 1;").status());
        assertEquals("complete", ev.isComplete("int a = 1;\na + 1").status());
        assertEquals("incomplete", ev.isComplete("for (int i = 0; i < 3; i++) {").status());
        assertEquals("incomplete", ev.isComplete("String s = \"a\" +").status());
    }

    @Test
    void completionOffersMembersFromTheSnippetAtTheCursor() {
        String code = "int a = 1;\nMath.ma";
        JavaEvaluator.Completions c = ev.complete(code, code.length());
        assertTrue(c.matches().contains("max("), c.matches().toString());
        assertEquals(code.length() - 2, c.start());
        assertEquals(code.length(), c.end());
    }

    @Test
    void inspectionShowsTheSignature() {
        String code = "Math.max";
        String doc = ev.inspect(code, code.length()).orElseThrow();
        assertTrue(doc.contains("int Math.max(int a, int b)"), doc);
    }
}
