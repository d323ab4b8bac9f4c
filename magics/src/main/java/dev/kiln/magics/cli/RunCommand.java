package dev.kiln.magics.cli;

import dev.kiln.magics.core.Result;
import dev.kiln.magics.core.Session;
import dev.kiln.magics.core.UserError;
import dev.kiln.magics.share.NotebookParameters;
import dev.kiln.magics.share.NotebookRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kiln run}: execute a notebook with parameters and write the executed copy. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run a notebook with parameters on the Kiln kernel and write the executed copy.",
                "The code cell tagged 'parameters' declares the defaults (int n = 10;). Each -p NAME=VALUE becomes a Java "
                        + "declaration of the default's type (int n = 20;) in a new cell right after it, tagged "
                        + "'injected-parameters', as papermill does; a value that is not of that type stops the run before any "
                        + "cell runs. The executed copy records the parameters in its metadata.kiln, so 'kiln reproduce' runs it "
                        + "again with the same values. Exits 1 when a cell fails, naming it."},
        footer = {"", "Example:", "  kiln run analysis.ipynb -p n=20 -p city=Oslo -p day=2024-01-31 -o oslo.ipynb"})
public final class RunCommand implements Callable<Result> {

    /** A run in which a cell failed: the CLI prints the message and exits 1. */
    public static final class CellFailed extends UserError {
        private final transient NotebookRun.Ran ran;

        CellFailed(NotebookRun.Ran ran) {
            super(message(ran));
            this.ran = ran;
        }

        public NotebookRun.Ran ran() {
            return ran;
        }

        private static String message(NotebookRun.Ran r) {
            NotebookRun.Cell first = r.failed().get(0);
            return first.label() + " (cell " + (first.index() + 1) + ") of " + r.notebook() + " failed: " + first.error()
                    + (r.failed().size() > 1 ? " (and " + (r.failed().size() - 1) + " more cells after it)" : "")
                    + ".\nThe executed notebook, with the error, is " + r.output() + ".";
        }
    }

    private final Session session;

    @Parameters(paramLabel = "NOTEBOOK", description = "The .ipynb to run.")
    Path notebook;

    @Option(names = {"-p", "--parameter"}, paramLabel = "NAME=VALUE",
            description = "A parameter's value; repeat for each parameter. Its type is the default's in the parameters cell.")
    List<String> parameters = new ArrayList<>();

    @Option(names = {"-o", "--output"}, paramLabel = "OUT.ipynb",
            description = "Where to write the executed notebook (default: NOTEBOOK's name with .out.ipynb).")
    Path output;

    @Option(names = "--kernel", paramLabel = "NAME", defaultValue = "kiln", description = "Kernelspec to run it with (default: ${DEFAULT-VALUE}).")
    String kernel;

    @Option(names = "--cell-timeout", paramLabel = "SECONDS", defaultValue = "600",
            description = "Longest a cell may run (default: ${DEFAULT-VALUE}).")
    int cellTimeout;

    public RunCommand(Session session) {
        this.session = session;
    }

    @Override
    public Result call() {
        Path nb = session.projectDir().resolve(notebook);
        Path out = output == null ? NotebookRun.defaultOutput(nb) : session.projectDir().resolve(output);
        List<NotebookParameters.Given> given = parameters.stream().map(NotebookParameters.Given::parse).toList();
        NotebookRun.Ran ran = new NotebookRun(session).run(nb, given, out, new NotebookRun.Options(kernel, cellTimeout));
        if (!ran.failed().isEmpty()) {
            throw new CellFailed(ran);
        }
        return Result.of(ran.text(), null, ran.provenance());
    }
}
