package dev.kiln.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.kernel.eval.EvalError;
import dev.kiln.kernel.magic.HelpMagic;
import dev.kiln.kernel.magic.Magics;
import dev.kiln.magics.core.MimeBundle;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Magic cells run by the kernel in this JVM, with the magics declared as the launcher declares them. */
@Timeout(120)
class KernelMagicsTest {

    static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @Test
    void aCellMagicDeclaredInOneLineRunsOnTheLinesAfterItsOwn() throws Exception {
        KilnKernel kernel = new KilnKernel(new CellOutput(QUIET, QUIET), KernelLauncher.IMPORTS, new Magics()
                .lineMagic("help", HelpMagic.class)
                .cellMagic("upper", (args, body) -> MimeBundle.of(Map.of("text/plain", String.join(" ", args) + ": " + body.toUpperCase()))),
                System.getenv());

        MimeBundle shown = kernel.execute("%%upper a b\nshout\nthis", 1);

        assertEquals("a b: SHOUT\nTHIS", shown.data().get("text/plain"));
        List<String> help = ((String) kernel.execute("%help", 2).data().get("text/plain")).lines().toList();
        assertEquals(List.of("Cell magics (%% on a cell's first line, run on the lines after it): %%upper."),
                help.stream().filter(l -> l.startsWith("Cell magics")).toList(), "%help lists the cell magics");
    }

    @Test
    void anUnknownMagicIsOneErrorHoweverItIsAskedFor() {
        KilnKernel kernel = KernelLauncher.assemble(new CellOutput(QUIET, QUIET), System.getenv());

        EvalError line = assertThrows(EvalError.class, () -> kernel.execute("%nosuch --x", 1));
        EvalError help = assertThrows(EvalError.class, () -> kernel.execute("%help nosuch", 2));
        EvalError cell = assertThrows(EvalError.class, () -> kernel.execute("%%nosuch\n1 + 1", 3));

        assertEquals(List.of("UnknownMagic", "UnknownMagic", "UnknownMagic"), List.of(line.name(), help.name(), cell.name()));
        assertEquals(line.getMessage(), help.getMessage(), "%help MAGIC says what %MAGIC says");
        assertEquals(List.of(line.getMessage()), line.traceback(), "no Java frames for a mistyped name");
    }

    @Test
    void timeRunsTheCellAsUsualShowsItsValueAndPrintsWallAndCpuTime() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        CellOutput output = new CellOutput(out, QUIET);
        KilnKernel kernel = KernelLauncher.assemble(output, System.getenv());
        kernel.start(Optional.empty());

        MimeBundle cell = kernel.execute("%%time\nint x = 2;\nThread.sleep(300);\nx * 21", 1);
        MimeBundle line = kernel.execute("%time x * 21 + 1", 2);
        output.flush();

        assertEquals("42", cell.data().get("text/plain"));
        assertEquals("43", line.data().get("text/plain"));
        List<String> timings = printed.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("CPU time: ")).toList();
        assertEquals(2, timings.size(), printed.toString(StandardCharsets.UTF_8));
        assertTrue(seconds(timings.get(0).replaceFirst(".*wall time: ", "")) >= 0.3, "the cell slept 300 ms: " + timings.get(0));
        assertTrue(timings.get(0).matches("CPU time: [0-9.]+ (ns|µs|ms|s) \\(the kernel's process\\), wall time: .*"), timings.get(0));
    }

    private static double seconds(String duration) {
        String[] f = duration.split(" ");
        double v = Double.parseDouble(f[0]);
        return switch (f[1]) {
            case "ns" -> v / 1e9;
            case "µs" -> v / 1e6;
            case "ms" -> v / 1e3;
            case "s" -> v;
            default -> v * 60 + Double.parseDouble(f[2]); // "2 min 05 s"
        };
    }

    @Test
    void anErrorInATimedCellNamesTheCellsOwnLine() {
        KilnKernel kernel = KernelLauncher.assemble(new CellOutput(QUIET, QUIET), System.getenv());
        kernel.start(Optional.empty());

        EvalError e = assertThrows(EvalError.class, () -> kernel.execute("%%time\nint y = 1;\nint z = nosuch;", 4));

        assertTrue(e.traceback().get(0).startsWith("Compile error at line 3, column 9"), e.traceback().toString());
    }

    @Test
    void bashStreamsItsOutputAndANonZeroExitIsAnError() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        CellOutput output = new CellOutput(new PrintStream(printed, true, StandardCharsets.UTF_8), QUIET);
        KilnKernel kernel = KernelLauncher.assemble(output, System.getenv());

        assertEquals(null, kernel.execute("%%bash\necho \"$((6 * 7))\"", 1));
        EvalError failed = assertThrows(EvalError.class, () -> kernel.execute("%%sh\necho before\nexit 3\necho after", 2));
        output.flush();

        assertEquals("42\nbefore\n", printed.toString(StandardCharsets.UTF_8));
        assertEquals("MagicError", failed.name());
        assertTrue(failed.getMessage().contains("status 3"), failed.getMessage());
    }

    @Test
    void htmlAndMarkdownCellsShowAsWhatTheyAre() throws Exception {
        KilnKernel kernel = KernelLauncher.assemble(new CellOutput(QUIET, QUIET), System.getenv());

        MimeBundle html = kernel.execute("%%html\n<b>bold</b>", 1);
        MimeBundle markdown = kernel.execute("%%markdown\n# Title", 2);

        assertEquals("<b>bold</b>", html.data().get("text/html"));
        assertEquals("# Title", markdown.data().get("text/markdown"));
    }

    @Test
    void anUnknownCellMagicListsTheKnownOnes() {
        KilnKernel kernel = KernelLauncher.assemble(new CellOutput(QUIET, QUIET), System.getenv());

        EvalError e = assertThrows(EvalError.class, () -> kernel.execute("%%tiem\n1", 1));

        assertTrue(e.getMessage().contains("%%time") && e.getMessage().contains("%%bash") && e.getMessage().contains("%%markdown"),
                e.getMessage());
    }

    @Test
    void aCellMagicsBodyIsCompleteWhateverJavaWouldSay() {
        KilnKernel kernel = KernelLauncher.assemble(new CellOutput(QUIET, QUIET), System.getenv());
        kernel.start(Optional.empty());

        assertEquals("complete", kernel.isComplete("%%bash\nfor i in 1 2; do"));
        assertEquals("", kernel.isComplete("for (int i = 0; i < 2; i++) {").strip(), "Java is still asked for Java");
    }

    @Test
    void varsListsTheNotebooksVariablesWithTypeAndAShortValue() throws Exception {
        KilnKernel kernel = KernelLauncher.assemble(new CellOutput(QUIET, QUIET), System.getenv());
        kernel.start(Optional.empty());
        kernel.execute("int n = 42;\nString big = \"y\".repeat(500);\nvar cities = List.of(\"<Seattle>\");\n1 + 1", 1);

        MimeBundle vars = kernel.execute("%vars", 2);

        List<String> lines = ((String) vars.data().get("text/plain")).lines().toList();
        assertEquals(List.of("Name", "Type", "Value"), List.of(lines.get(0).split("\\s+")));
        assertEquals(List.of("n", "int", "42"), List.of(lines.get(1).split("\\s+")));
        assertTrue(lines.get(2).matches("big\\s+String\\s+\"y{79}… \\(422 more characters\\)"), lines.get(2));
        assertTrue(lines.get(3).matches("cities\\s+List<String>\\s+\\[<Seattle>\\]"), lines.get(3));
        assertEquals(4, lines.size(), "JShell's $1 is not a variable of the user's");
        assertTrue(((String) vars.data().get("text/html")).contains("<td>[&lt;Seattle&gt;]</td>"), (String) vars.data().get("text/html"));
    }

    @Test
    void loadRunsASourceFileAndAnotherNotebooksCodeCellsInThisKernel(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Files.writeString(dir.resolve("helpers.jsh"), "int twice(int x) { return x * 2; }\n");
        java.nio.file.Files.writeString(dir.resolve("other.ipynb"), """
                {"cells": [
                  {"cell_type": "markdown", "source": ["# not code"]},
                  {"cell_type": "code", "source": ["int base = 20;\\n", "base + 1"]},
                  {"cell_type": "code", "source": "String who = \\"Ada\\";"}
                ], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
                """);
        java.nio.file.Files.writeString(dir.resolve("self.ipynb"), "{\"cells\": [{\"cell_type\": \"code\", \"source\": \"%load "
                + dir.resolve("self.ipynb").toString().replace("\\", "\\\\") + "\"}], \"nbformat\": 4}");
        KilnKernel kernel = KernelLauncher.assemble(new CellOutput(QUIET, QUIET), System.getenv());
        kernel.start(Optional.empty());

        MimeBundle helpers = kernel.execute("%load " + dir.resolve("helpers.jsh"), 1);
        MimeBundle other = kernel.execute("%load " + dir.resolve("other.ipynb"), 2);
        MimeBundle after = kernel.execute("twice(base) + who.length()", 3);
        EvalError missing = assertThrows(EvalError.class, () -> kernel.execute("%load " + dir.resolve("nosuch.jsh"), 4));
        EvalError self = assertThrows(EvalError.class, () -> kernel.execute("%load " + dir.resolve("self.ipynb"), 5));

        assertEquals("Ran 1 cell of " + dir.resolve("helpers.jsh") + ".", helpers.data().get("text/plain"));
        assertEquals("Ran 2 cells of " + dir.resolve("other.ipynb") + ".", other.data().get("text/plain"));
        assertEquals("43", after.data().get("text/plain"));
        assertTrue(missing.getMessage().startsWith("No such file: " + dir.resolve("nosuch.jsh")), missing.getMessage());
        assertTrue(self.getMessage().contains("loads deep"), self.getMessage());
    }
}
