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
                        + "execution counts and timings aside). Each cell runs within a bound from the time it took when recorded; "
                        + "a cell its author interrupted runs about as long again and is interrupted. Writes NAME.reproduced.ipynb "
                        + "and NAME.reproduce.html beside it however the run ends (a cell timed out, the kernel died, Ctrl-C); "
                        + "exits 1 when anything differs or did not run."})
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

    @Option(names = "--data-remote", paramLabel = "NAME",
            description = "Remote to pull the recorded dataset versions from (default: the project's default remote in kiln.yaml).")
    String remote;

    @Option(names = "--no-data", description = "Pull no datasets: the cells use the data the workspace holds (e.g. without credentials "
            + "for the remote).")
    boolean noData;

    @Option(names = "--volatile-tag", paramLabel = "TAG", defaultValue = "volatile",
            description = "Cell tag marking outputs not to compare (default: ${DEFAULT-VALUE}).")
    String volatileTag;

    @Option(names = "--kernel", paramLabel = "NAME", defaultValue = "kiln", description = "Kernelspec to run it with (default: ${DEFAULT-VALUE}).")
    String kernel;

    @Option(names = "--cell-timeout", paramLabel = "SECONDS", defaultValue = "600",
            description = "Longest a cell with no recorded run time may run (default: ${DEFAULT-VALUE}).")
    double cellTimeout;

    @Option(names = "--timeout-multiple", paramLabel = "N", defaultValue = "10",
            description = "A cell with a recorded run time may run N times as long (default: ${DEFAULT-VALUE}) …")
    double timeoutMultiple;

    @Option(names = "--timeout-floor", paramLabel = "SECONDS", defaultValue = "60",
            description = "… and at least this long (default: ${DEFAULT-VALUE}).")
    double timeoutFloor;

    @Option(names = "--skip-interrupted", description = "Do not run the cells their author interrupted (by default they run about "
            + "as long as recorded, then are interrupted).")
    boolean skipInterrupted;

    public ReproduceCommand(Session session) {
        this.session = session;
    }

    @Override
    public Result call() {
        if (cellTimeout <= 0 || timeoutMultiple <= 0 || timeoutFloor < 0) {
            throw new UserError("kiln reproduce: --cell-timeout and --timeout-multiple must be more than 0 and --timeout-floor "
                    + "not negative (got " + cellTimeout + ", " + timeoutMultiple + ", " + timeoutFloor + ").");
        }
        Path nb = session.projectDir().resolve(notebook);
        Reproduction r = new Reproducer(session).reproduce(nb, new Reproducer.Options(remote, volatileTag, kernel,
                new Reproducer.CellBounds(timeoutMultiple, timeoutFloor, cellTimeout), skipInterrupted, noData));
        if (!r.matches()) {
            throw new Differs(r);
        }
        return ShareResults.reproduced(r);
    }
}
