package dev.kiln.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.kernel.eval.EvalError;
import dev.kiln.kernel.magic.HelpMagic;
import dev.kiln.kernel.magic.Magics;
import dev.kiln.magics.core.MimeBundle;
import dev.kiln.magics.core.Result;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Magic cells run by the kernel in this JVM, with the magics declared as the launcher declares them. */
class KernelMagicsTest {

    static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @Test
    void aCellMagicDeclaredInOneLineRunsOnTheLinesAfterItsOwn() throws Exception {
        KilnKernel kernel = new KilnKernel(new CellOutput(QUIET, QUIET), KernelLauncher.IMPORTS, new Magics()
                .lineMagic("help", HelpMagic.class)
                .cellMagic("upper", (args, body) -> Result.ofText(String.join(" ", args) + ": " + body.toUpperCase())));

        MimeBundle shown = kernel.execute("%%upper a b\nshout\nthis", 1);

        assertEquals("a b: SHOUT\nTHIS", shown.data().get("text/plain"));
        List<String> help = ((String) kernel.execute("%help", 2).data().get("text/plain")).lines().toList();
        assertEquals(List.of("Cell magics (%% on a cell's first line, run on the lines after it): %%upper."),
                help.stream().filter(l -> l.startsWith("Cell magics")).toList(), "%help lists the cell magics");
    }

    @Test
    void anUnknownMagicIsOneErrorHoweverItIsAskedFor() {
        KilnKernel kernel = KernelLauncher.assemble(new CellOutput(QUIET, QUIET));

        EvalError line = assertThrows(EvalError.class, () -> kernel.execute("%nosuch --x", 1));
        EvalError help = assertThrows(EvalError.class, () -> kernel.execute("%help nosuch", 2));
        EvalError cell = assertThrows(EvalError.class, () -> kernel.execute("%%nosuch\n1 + 1", 3));

        assertEquals(List.of("UnknownMagic", "UnknownMagic", "UnknownMagic"), List.of(line.name(), help.name(), cell.name()));
        assertEquals(line.getMessage(), help.getMessage(), "%help MAGIC says what %MAGIC says");
        assertEquals(List.of(line.getMessage()), line.traceback(), "no Java frames for a mistyped name");
    }
}
