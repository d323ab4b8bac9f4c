package dev.kiln.kernel;

import dev.kiln.kernel.display.CellDisplay;

/**
 * What notebook code can call, imported into every cell: {@code display(obj)} shows a value as
 * its renderer draws it (a table, a chart, an image) without ending the cell.
 */
public final class Notebook {

    private static volatile CellDisplay cell;
    private static volatile org.dflib.jjava.jupyter.kernel.BaseKernel kernel;

    /** The kernel this JVM runs, and where its cells' displays go (the one built last, in tests). */
    static void attach(CellDisplay display, org.dflib.jjava.jupyter.kernel.BaseKernel running) {
        cell = display;
        kernel = running;
    }

    /** Shows {@code value} in the cell's output now. */
    public static void display(Object value) {
        displayUpdatable(value);
    }

    /** Shows {@code value} and returns the display's id, for {@link #updateDisplay}. */
    public static String displayUpdatable(Object value) {
        CellDisplay d = cell;
        if (d == null) {
            System.out.println(value);
            return null;
        }
        return d.display(value, null);
    }

    /** Replaces what the display {@code displayId} shows with {@code value}. */
    public static void updateDisplay(String displayId, Object value) {
        CellDisplay d = cell;
        if (d == null) {
            System.out.println(value);
            return;
        }
        d.display(value, displayId);
    }

    /** Clears the cell's output so far (e.g. to redraw a chart in a loop). */
    public static void clearOutput() {
        CellDisplay d = cell;
        if (d != null) {
            d.clearOutput(false);
        }
    }

    /**
     * The running kernel, as JJava's {@code getKernelInstance()} gives it: what a library's Jupyter
     * extension (e.g. {@code DFLibJupyter.init(getKernelInstance())}) registers its renderers on.
     */
    public static org.dflib.jjava.jupyter.kernel.BaseKernel getKernelInstance() {
        return kernel;
    }

    private Notebook() {
    }
}
