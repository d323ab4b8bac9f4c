package dev.kiln.kernel.magic;

import dev.kiln.magics.core.MimeBundle;
import dev.kiln.magics.core.UserError;
import dev.kiln.magics.sql.SqlResult;
import dev.kiln.magics.sql.SqlSession;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import javax.lang.model.SourceVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tech.tablesaw.api.Table;

/**
 * {@code %%sql [-o NAME]}: the cell's SQL, run by DuckDB over local CSV and Parquet files and over
 * dataset versions by name; its result shown as a table, and with {@code -o} kept as a Tablesaw
 * {@code Table} variable for the cells after.
 */
public final class SqlMagic implements Magics.CellMagic {

    @Command(name = "%%sql", mixinStandardHelpOptions = true, usageHelpWidth = 100,
            description = {"Runs the cell's SQL in DuckDB (embedded) and shows the result as a table.",
                    "Reads local files ('data/stations.csv', 'out/*.parquet', relative to the project) and dataset "
                            + "versions by name: 'pems@v3/stations.parquet' or 'pems@latest/daily/*.parquet' are fetched into "
                            + "Kiln's cache when missing (never into the workspace), and recorded in the output's metadata.",
                    "Views and tables made with CREATE stay for the notebook's later %%sql cells."})
    static final class Arguments {
        @Option(names = {"-o", "--output"}, paramLabel = "NAME", description = "Keep the whole result as a Tablesaw Table variable NAME.")
        String output;
        @Option(names = {"-n", "--rows"}, paramLabel = "N", defaultValue = "20", description = "Rows to show (default: ${DEFAULT-VALUE}); all are counted.")
        int rows;
        @Option(names = {"-r", "--remote"}, paramLabel = "NAME", description = "Remote to fetch dataset versions from (default: the project's default remote).")
        String remote;
    }

    /** The table a cell hands to the variable its {@code -o} names; taken back by the code the magic runs. */
    private static final AtomicReference<Table> HANDED = new AtomicReference<>();

    private final KernelServices kernel;
    private final SqlSession sql;
    private final BooleanSupplier interrupted;

    public SqlMagic(KernelServices kernel, SqlSession sql, BooleanSupplier interrupted) {
        this.kernel = kernel;
        this.sql = sql;
        this.interrupted = interrupted;
    }

    @Override
    public MimeBundle run(List<String> args, String body) throws Exception {
        Arguments a = new Arguments();
        CommandLine cl = new CommandLine(a);
        try {
            cl.parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw new UserError(e.getMessage() + ". Usage: %%sql [-o NAME] [-n ROWS] [-r REMOTE], then the SQL on the lines after it; %%sql --help says more.");
        }
        if (cl.isUsageHelpRequested() || cl.isVersionHelpRequested()) {
            return MimeBundle.of(java.util.Map.of("text/plain", cl.getUsageMessage(CommandLine.Help.Ansi.OFF)));
        }
        if (a.output != null && (!SourceVersion.isIdentifier(a.output) || SourceVersion.isKeyword(a.output))) {
            throw new UserError("%%sql -o " + a.output + ": not a Java variable name. Use letters, digits and '_', e.g. -o stations.");
        }
        if (a.rows < 0) {
            throw new UserError("%%sql --rows must be 0 or more, not " + a.rows + ".");
        }
        SqlResult r = sql.run(body, new SqlSession.Options(a.rows, a.output, a.remote), interrupted);
        if (a.output != null) {
            if (r.table() == null) {
                throw new UserError("%%sql -o " + a.output + ": the last statement returned no rows to keep (" + r.size() + ").");
            }
            HANDED.set(r.table());
            kernel.runCode("tech.tablesaw.api.Table " + a.output + " = " + SqlMagic.class.getName() + ".takeHanded();");
        }
        return MimeBundle.of(r);
    }

    /** The table the running {@code %%sql -o} cell handed over (called by the code it runs). */
    public static Table takeHanded() {
        return HANDED.getAndSet(null);
    }
}
