package dev.kiln.kernel.magic;

import dev.kiln.magics.core.MimeBundle;
import dev.kiln.magics.core.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * {@code %%bash} and {@code %%sh}: the cell's lines as a script, in the notebook's folder, its
 * output streamed into the cell as it comes. A non-zero exit ends the cell with an error; an
 * interrupt stops the script and everything it started.
 */
public final class ShellMagic implements Magics.CellMagic {

    private final String shell;
    private final PrintStream out;
    private final PrintStream err;
    private final BooleanSupplier interrupted;

    /** @param shell {@code bash} or {@code sh}, found on the PATH */
    public ShellMagic(String shell, PrintStream out, PrintStream err, BooleanSupplier interrupted) {
        this.shell = shell;
        this.out = out;
        this.err = err;
        this.interrupted = interrupted;
    }

    @Override
    public MimeBundle run(List<String> args, String body) throws Exception {
        if (!args.isEmpty()) {
            throw new UserError("%%" + shell + " takes no arguments (given: " + String.join(" ", args)
                    + "); the lines after it are the script.");
        }
        Process p;
        try {
            p = new ProcessBuilder(shell, "-c", body).directory(Path.of("").toAbsolutePath().toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            throw new UserError("Cannot start " + shell + " (" + e.getMessage() + "). Install it, or use %%sh.", e);
        }
        Thread copyOut = copy(p.getInputStream(), out, "kiln-" + shell + "-out");
        Thread copyErr = copy(p.getErrorStream(), err, "kiln-" + shell + "-err");
        while (!p.waitFor(20, TimeUnit.MILLISECONDS)) {
            if (interrupted.getAsBoolean()) {
                stop(p);
                throw new UserError("%%" + shell + " was interrupted.");
            }
        }
        copyOut.join();
        copyErr.join();
        if (p.exitValue() != 0) {
            throw new UserError("The script exited with status " + p.exitValue() + ".");
        }
        return null;
    }

    /** Ends the script and what it started: politely first, then for good. */
    private static void stop(Process p) throws InterruptedException {
        List<ProcessHandle> all = p.descendants().toList();
        all.forEach(ProcessHandle::destroy);
        p.destroy();
        if (!p.waitFor(2, TimeUnit.SECONDS)) {
            all.forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static Thread copy(InputStream from, OutputStream to, String name) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            try (from) {
                for (int n; (n = from.read(buf)) > 0; ) {
                    to.write(buf, 0, n);
                    to.flush();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
