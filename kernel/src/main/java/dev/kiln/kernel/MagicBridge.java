package dev.kiln.kernel;

import dev.kiln.kernel.eval.EvalError;
import dev.kiln.kernel.install.KernelSpec;
import dev.kiln.kernel.magic.KernelServices;
import dev.kiln.kernel.magic.MagicCatalog;
import dev.kiln.kernel.magic.Magics;
import dev.kiln.kernel.magic.TimeMagic;
import dev.kiln.kernel.magic.UnknownMagic;
import dev.kiln.magics.cli.Args;
import dev.kiln.magics.cli.CommandRunner;
import dev.kiln.magics.cli.ConversionProcess;
import dev.kiln.magics.core.CommandSpelling;
import dev.kiln.magics.core.MimeBundle;
import dev.kiln.magics.core.Result;
import dev.kiln.magics.core.Session;
import dev.kiln.magics.core.UserError;
import dev.kiln.magics.record.ProvenanceRecords;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;

/**
 * Runs a cell's magics for the kernel: a line magic as the Kiln command it names, in the kernel's
 * session; a cell magic on its cell's body. What goes wrong becomes the error the cell shows: a
 * user's mistake without Java frames, an interrupted magic as an interrupted cell.
 */
final class MagicBridge implements MagicCatalog {

    private final Magics magics;
    private final CommandRunner runner;
    private final BooleanSupplier interrupted;
    private final ConversionProcess conversions;

    /** @param kernel what the kernel's own magics ({@code %maven}, {@code %help}…) are built with */
    MagicBridge(Magics magics, Session session, KernelServices kernel, BooleanSupplier interrupted) {
        this.magics = magics;
        ProvenanceRecords records = new ProvenanceRecords(session);
        // %parquet convert runs in a process of its own, with a fresh CLI conversion's speed from the first
        this.conversions = new ConversionProcess(KernelSpec::conversionWorker);
        this.runner = new CommandRunner(session, magics.commands(), List.of(kernel, this, conversions),
                result -> records.record(result.provenance()));
        this.interrupted = interrupted;
    }

    /** Runs a line magic; {@code line} is the line without its {@code %}. */
    Result runLine(String line) throws EvalError {
        List<String> args = split(line);
        String name = args.isEmpty() ? "" : args.get(0);
        if (!magics.hasLineMagic(name)) {
            throw unknown(magics.unknown(name, false));
        }
        if (args.size() > 2 && name.equals("parquet") && args.get(1).equals("convert")
                && args.stream().noneMatch(a -> a.equals("-h") || a.equals("--help") || a.equals("-V") || a.equals("--version"))) {
            conversions.prepare(); // its JVM starts while the command line is parsed here
        }
        return run("%" + name, () -> runner.run(args));
    }

    /** Runs a cell magic; {@code line} is the cell's first line without its {@code %%}. */
    MimeBundle runCell(String line, String body) throws EvalError {
        List<String> args = split(line);
        String name = args.isEmpty() ? "" : args.get(0);
        Magics.CellMagic magic = magics.cellMagicNamed(name).orElseThrow(() -> unknown(magics.unknown(name, true)));
        return run("%%" + name, () -> magic.run(args.subList(1, args.size()), body));
    }

    /** Runs {@code %time CODE}; {@code line} is the cell's line it is on. */
    MimeBundle timeLine(TimeMagic timer, String code, int line) throws EvalError {
        if (code.isEmpty()) {
            throw new EvalError("MagicError", "%time needs code to time, e.g. %time Thread.sleep(100)",
                    List.of("%time needs code to time, e.g. %time Thread.sleep(100); for a whole cell, start it with %%time."));
        }
        return run("%time", () -> timer.time(code, line));
    }

    @Override
    public List<String> magicNames() {
        return magics.lineMagicNames();
    }

    @Override
    public List<String> cellMagicNames() {
        return magics.cellMagicNames();
    }

    @Override
    public String usage(String name) {
        if (!magics.hasLineMagic(name)) {
            throw magics.unknown(name, false);
        }
        return runner.usage(name);
    }

    /** An error of Kiln's API called from Java, as its magics say it in a cell: '%data push', not 'kiln data push'. */
    EvalError respelled(EvalError e) {
        CommandSpelling spelling = spelling();
        return new EvalError(e.name(), spelling.respell(e.getMessage()), e.traceback().stream().map(spelling::respell).toList());
    }

    /** How commands are written in a cell: the magics as {@code %NAME}. */
    CommandSpelling spelling() {
        return runner.spelling();
    }

    @Override
    public CommandRunner.Summary summary(String name) {
        if (!magics.hasLineMagic(name)) {
            throw magics.unknown(name, false);
        }
        return runner.summary(name);
    }

    private static List<String> split(String line) throws EvalError {
        try {
            return Args.split(line);
        } catch (UserError e) {
            throw new EvalError("MagicError", e.getMessage(), List.of(e.getMessage()));
        }
    }

    private <T> T run(String typed, Callable<T> magic) throws EvalError {
        try {
            T r = magic.call();
            stopIfInterrupted();
            return r;
        } catch (UnknownMagic e) {
            throw unknown(e); // %help of a magic the kernel does not have
        } catch (UserError e) {
            stopIfInterrupted();
            throw new EvalError("MagicError", e.getMessage(), List.of(typed + ": " + e.getMessage()));
        } catch (EvalError e) {
            throw e;
        } catch (Exception e) {
            stopIfInterrupted();
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            throw new EvalError(e.getClass().getName(), String.valueOf(e.getMessage()),
                    List.of(typed + " failed: " + e, trace.toString()));
        }
    }

    private static EvalError unknown(UnknownMagic e) {
        return new EvalError("UnknownMagic", e.getMessage(), List.of(e.getMessage()));
    }

    private void stopIfInterrupted() throws EvalError {
        if (interrupted.getAsBoolean()) {
            throw EvalError.interrupted();
        }
    }
}
