package dev.kiln.magics.cli;

import dev.kiln.magics.core.Result;
import dev.kiln.magics.core.Session;
import dev.kiln.magics.core.UserError;
import dev.kiln.magics.share.Reproducer;
import dev.kiln.magics.share.Reproduction;
import dev.kiln.magics.share.ShareResults;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kiln reproduce}: re-run a shared notebook and say whether it gives the same results. */
@Command(name = "reproduce", mixinStandardHelpOptions = true,
        description = {"Reproduce a notebook here and say whether it gives the same results.",
                "Pulls the exact dataset versions it recorded, re-executes it with the Kiln kernel, and compares the environment "
                        + "with its recorded snapshot and every cell's outputs with the recorded ones (volatile cells and outputs, "
                        + "execution counts and timings aside). Writes NAME.reproduced.ipynb and NAME.reproduce.html beside it; "
                        + "exits 1 when anything differs."})
public final class ReproduceCommand implements Callable<Result> {

    /** The report of a reproduction that differs: the CLI prints it and exits 1. */
    public static final class Differs extends UserError {
        private final transient Reproduction reproduction;

        Differs(Reproduction r) {
            super(r.text());
            this.reproduction = r;
        }

        public Reproduction reproduction() {
            return reproduction;
        }
    }

    private final Session session;

    @Parameters(paramLabel = "NOTEBOOK", description = "The .ipynb to reproduce (e.g. one 'kiln export --to ipynb' wrote).")
    Path notebook;

    @Option(names = "--data-remote", paramLabel = "NAME", description = "Remote to pull datasets from (default: the project's default).")
    String remote;

    @Option(names = "--volatile-tag", paramLabel = "TAG", defaultValue = "volatile",
            description = "Cell tag marking outputs not to compare (default: ${DEFAULT-VALUE}).")
    String volatileTag;

    @Option(names = "--kernel", paramLabel = "NAME", defaultValue = "kiln", description = "Kernelspec to run it with (default: ${DEFAULT-VALUE}).")
    String kernel;

    @Option(names = "--cell-timeout", paramLabel = "SECONDS", defaultValue = "600",
            description = "Longest a cell may run (default: ${DEFAULT-VALUE}).")
    int cellTimeout;

    public ReproduceCommand(Session session) {
        this.session = session;
    }

    @Override
    public Result call() {
        Path nb = session.projectDir().resolve(notebook);
        Reproduction r = new Reproducer(session).reproduce(nb, new Reproducer.Options(remote, volatileTag, kernel, cellTimeout));
        if (!r.matches()) {
            throw new Differs(r);
        }
        return ShareResults.reproduced(r);
    }
}
