package dev.kiln.kernel.guard;

/**
 * What {@code Runtime.exit} and {@code Runtime.halt} call first once {@link ExitGuardAgent} has
 * rewritten them: the kernel's JVM ends only through {@link #exitKernel}, so {@code System.exit} in
 * a cell (or in a library a cell calls, on any thread) cannot take every variable with it.
 */
public final class ExitGate {

    private static volatile boolean kernelExiting;

    private ExitGate() {
    }

    /** Refuses to end the JVM unless the kernel is ending it; {@code method} is "exit" or "halt". */
    public static void check(String method, int status) {
        if (kernelExiting) {
            return;
        }
        throw new SecurityException(call(method, status) + " was stopped: it would end the kernel and lose every"
                + " variable. To start afresh, restart the kernel from the notebook (Kernel > Restart Kernel).");
    }

    /** Ends the JVM with {@code status}: the kernel's own exit, the one the gate lets through. */
    public static void exitKernel(int status) {
        kernelExiting = true;
        System.exit(status);
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
