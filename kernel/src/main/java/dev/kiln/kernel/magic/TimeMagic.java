package dev.kiln.kernel.magic;

import dev.kiln.magics.core.MimeBundle;
import dev.kiln.magics.core.UserError;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;

/**
 * {@code %%time} and {@code %time CODE}: runs a cell (or one line) as usual, its value still
 * shown, and prints the wall time and the CPU time the kernel's process spent on it.
 */
public final class TimeMagic implements Magics.CellMagic {

    /** How the kernel runs a cell's code; {@code firstLine} is where it starts in the cell, for messages. */
    @FunctionalInterface
    public interface Cells {
        MimeBundle run(String code, int firstLine) throws Exception;
    }

    private final Cells cells;
    private final PrintStream out;

    public TimeMagic(Cells cells, PrintStream out) {
        this.cells = cells;
        this.out = out;
    }

    @Override
    public MimeBundle run(List<String> args, String body) throws Exception {
        if (!args.isEmpty()) {
            throw new UserError("%%time takes no arguments (given: " + String.join(" ", args)
                    + "); the lines after it are the code it times. For one line, use %time CODE.");
        }
        return time(body, 1);
    }

    /** Runs {@code code}, which starts at line {@code firstLine} of its cell, and prints how long it took. */
    public MimeBundle time(String code, int firstLine) throws Exception {
        long cpu0 = processCpuNanos();
        long wall0 = System.nanoTime();
        try {
            return cells.run(code, firstLine);
        } finally {
            long wall = System.nanoTime() - wall0;
            long cpu = processCpuNanos() - cpu0;
            out.println("CPU time: " + duration(cpu) + " (the kernel's process), wall time: " + duration(wall));
            out.flush();
        }
    }

    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? Math.max(0, os.getProcessCpuTime()) : 0;
    }

    /** 412 µs, 3.25 ms, 1.50 s, 2 min 05 s: three figures, in the unit people read it in. */
    static String duration(long nanos) {
        if (nanos < 1_000) {
            return nanos + " ns";
        }
        if (nanos < 1_000_000) {
            return threeFigures(nanos / 1e3) + " µs";
        }
        if (nanos < 1_000_000_000) {
            return threeFigures(nanos / 1e6) + " ms";
        }
        if (nanos < 60_000_000_000L) {
            return threeFigures(nanos / 1e9) + " s";
        }
        long s = Math.round(nanos / 1e9);
        return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
    }

    private static String threeFigures(double v) {
        return String.format(Locale.ROOT, v >= 100 ? "%.0f" : v >= 10 ? "%.1f" : "%.2f", v);
    }
}
