package dev.kiln.kernel.eval;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.concurrent.atomic.AtomicReference;
import jdk.jshell.execution.LocalExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

/**
 * JShell's in-process engine, changed in two ways: it keeps the object a snippet evaluated to (so
 * a Tablesaw table can be rendered as a table, not as its {@code toString}), and on Java 17–19 it
 * runs each snippet on a thread of its own and waits for that thread only. JShell's own local engine
 * waits for every thread in its thread group, so a cell that used a parallel stream would hang until
 * the common pool's idle workers died.
 */
final class KilnExecutionControl extends LocalExecutionControl {

    /** Before Java 20, Thread.stop is how a busy loop is ended; from 20 on, JShell instruments loops itself. */
    private static final boolean OWN_THREADS = Runtime.version().feature() < 20;

    /** The snippet the JDK's engine is about to run on Java 20+, and whose value to keep. */
    private record Keeping(KilnExecutionControl control, Method doit) {
    }

    private static final AtomicReference<Keeping> KEEPING = new AtomicReference<>();
    private static final Method KEEP_VALUE = keepValueMethod();

    private final AtomicReference<Object> lastValue = new AtomicReference<>();
    /** The class of the snippet run last, whose static field holds an expression's value. */
    private volatile Class<?> lastSnippetClass;
    private volatile Thread running;
    private volatile boolean stopping;
    private volatile Function<Object, Optional<String>> brief;

    /** The value of the last snippet evaluated, which JShell only reports as a string. */
    Object lastValue() {
        return lastValue.get();
    }

    /** The loader of the snippets' classes (JShell's own, holding the added class path); null before the first snippet. */
    ClassLoader snippetLoader() {
        Class<?> c = lastSnippetClass;
        return c == null ? null : c.getClassLoader();
    }

    void clearLast() {
        lastValue.set(null);
    }

    /**
     * Sets the reference field {@code name} of the snippet class run last to null: the class stays
     * loaded for good (JShell's loader keeps every class), its value need not.
     */
    void releaseStatic(String name) {
        Class<?> c = lastSnippetClass;
        if (c == null) {
            return;
        }
        try {
            Field f = c.getDeclaredField(name);
            if (Modifier.isStatic(f.getModifiers()) && !f.getType().isPrimitive()) {
                f.setAccessible(true);
                f.set(null, null);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // not that snippet's class after all: the value stays, as it did before
        }
    }

    /** How {@link #varValue} writes a value it has a few words for (a table's size); null: as JShell does. */
    void briefly(Function<Object, Optional<String>> brief) {
        this.brief = brief;
    }

    @Override
    public String varValue(String className, String varName) throws RunException, EngineTerminationException, InternalException {
        Function<Object, Optional<String>> b = brief;
        if (b != null) {
            try {
                Field f = findClass(className).getField(varName);
                f.setAccessible(true); // the snippet's class is not public
                Optional<String> words = b.apply(f.get(null));
                if (words.isPresent()) {
                    return words.get();
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                // JShell's own reading below says what is wrong, as it always has
            }
        }
        return super.varValue(className, varName);
    }

    @Override
    protected String invoke(Method doitMethod) throws Exception {
        lastSnippetClass = doitMethod.getDeclaringClass();
        if (!OWN_THREADS) {
            // Java 20+: the JDK's engine must run the snippet (its stop needs its own thread group)
            // and reports the value only as a string, so it is handed a method that runs the
            // snippet and keeps the value.
            KEEPING.set(new Keeping(this, doitMethod));
            try {
                return super.invoke(KEEP_VALUE);
            } finally {
                KEEPING.set(null);
            }
        }
        Object[] result = new Object[1];
        Throwable[] thrown = new Throwable[1];
        stopping = false;
        Thread t = new Thread(() -> {
            try {
                result[0] = doitMethod.invoke(null);
            } catch (Throwable e) {
                thrown[0] = e;
            }
        }, "kiln-cell");
        t.setContextClassLoader(Thread.currentThread().getContextClassLoader());
        running = t;
        t.start();
        try {
            t.join();
        } finally {
            running = null;
        }
        if (stopping) {
            throw new ExecutionControl.StoppedException();
        }
        if (thrown[0] instanceof Exception e) {
            throw e;
        }
        if (thrown[0] != null) {
            throw new InvocationTargetException(thrown[0]);
        }
        lastValue.set(result[0]);
        return valueString(result[0]);
    }

    /**
     * Runs the snippet {@link #KEEPING} names and keeps its value; what the snippet throws is thrown
     * as it is, so the JDK's engine reports it (or a stop) exactly as it would have.
     */
    private static Object keepValue() throws Throwable {
        Keeping k = KEEPING.get();
        try {
            Object value = k.doit().invoke(null);
            k.control().lastValue.set(value);
            return value;
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static Method keepValueMethod() {
        try {
            Method m = KilnExecutionControl.class.getDeclaredMethod("keepValue");
            m.setAccessible(true);
            return m;
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    @SuppressWarnings({"deprecation", "removal"})
    public void stop() throws EngineTerminationException, InternalException {
        if (!OWN_THREADS) {
            super.stop();
            return;
        }
        Thread t = running;
        if (t != null) {
            stopping = true;
            t.stop();
        }
    }

    /** Registers this engine with JShell under the name {@code kiln}. */
    static final class Provider implements ExecutionControlProvider {
        private final AtomicReference<KilnExecutionControl> created = new AtomicReference<>();

        @Override
        public String name() {
            return "kiln";
        }

        @Override
        public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
            KilnExecutionControl c = new KilnExecutionControl();
            created.set(c);
            return c;
        }

        KilnExecutionControl control() {
            return created.get();
        }
    }
}
