package dev.kiln.kernel.guard;

/**
 * What {@code Runtime.exit} and {@code Runtime.halt} call first once {@link ExitGuardAgent} has
 * rewritten them: the kernel's JVM ends only through {@link ExitGuardAgent#exitKernel}, so
 * {@code System.exit} in a cell (or in a library a cell calls, on any thread) cannot take every
 * variable with it. The agent's jar puts this class on the bootstrap class path, where
 * {@code java.lang.Runtime} can see it; it uses nothing outside java.base, and the kernel's own
 * classes never name it (a copy of it in their CDS archive would shadow the bootstrap one): they
 * open the gate with a system property.
 */
public final class ExitGate {

    /** Set to "true" by the kernel when it ends itself. */
    public static final String KERNEL_EXITING = "kiln.kernel.exiting";

    private ExitGate() {
    }

    /** Refuses to end the JVM unless the kernel is ending it; {@code method} is "exit" or "halt". */
    public static void check(String method, int status) {
        if (Boolean.getBoolean(KERNEL_EXITING)) {
            return;
        }
        throw new SecurityException(call(method, status) + " was stopped: it would end the kernel and lose every"
                + " variable. To start afresh, restart the kernel from the notebook (Kernel > Restart Kernel).");
    }

    /** How the user wrote the call: System.exit reaches Runtime.exit one frame further down. */
    private static String call(String method, int status) {
        boolean viaSystem = method.equals("exit") && StackWalker.getInstance().walk(frames -> frames
                .dropWhile(f -> !f.getClassName().equals("java.lang.Runtime"))
                .skip(1)
                .findFirst()
                .map(f -> f.getClassName().equals("java.lang.System") && f.getMethodName().equals("exit"))
                .orElse(false));
        return (viaSystem ? "System.exit" : "Runtime." + method) + "(" + status + ")";
    }
}
