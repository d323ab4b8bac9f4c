package dev.kiln.kernel.eval;

import java.util.List;

/**
 * A cell that failed, as Jupyter shows it: the error's name, its message, and the lines of its
 * traceback (compiler message with the user's line and column, or the user's stack frames).
 */
public final class EvalError extends Exception {

    private final String name;
    private final List<String> traceback;

    public EvalError(String name, String message, List<String> traceback) {
        super(message, null, false, false);
        this.name = name;
        this.traceback = List.copyOf(traceback);
    }

    /** The error of a cell the user interrupted: code and magics alike. */
    public static EvalError interrupted() {
        return new EvalError("Interrupted", "The cell was interrupted",
                List.of("Interrupted: the cell was stopped. Variables and methods defined before it are kept."));
    }

    public String name() {
        return name;
    }

    public List<String> traceback() {
        return traceback;
    }
}
