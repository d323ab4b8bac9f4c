package dev.kiln.kernel.eval;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Iterator;
import java.util.Objects;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;

/**
 * The JDK's file manager under JShell, except that {@code --multi-release} given again with the
 * value it already has is taken as done. javac gives it to the file manager at the start of every
 * compilation, and the JDK's file manager then drops its index of the class path's packages, which
 * it rebuilds from every jar's directories: a quarter of the CPU time of evaluating {@code 1 + 1}
 * with Kiln's 120 jars. Any other option (JShell's {@code -classpath} when a jar is added) passes
 * through and drops the index as before.
 * <p>
 * And its annotation processor path is one that holds nothing: javac looks for compiler plugins there
 * at the start of every compilation, by default on the class path, where it read every jar's
 * service files (3–4 % of a cell's CPU). JShell runs no processors ({@code -proc:none}) nor plugins.
 */
final class IndexKeepingFileManager {

    private static final String MULTI_RELEASE = "--multi-release";
    /** Where javac looks for plugins and processors: the JDK's own modules, no jar. */
    private static final ClassLoader NO_PLUGINS = new ClassLoader(ClassLoader.getPlatformClassLoader()) { };

    /** {@code standard}, seen through the rule above; every other call goes to it as it is. */
    static StandardJavaFileManager wrap(StandardJavaFileManager standard) {
        String[] multiRelease = {null};
        return (StandardJavaFileManager) Proxy.newProxyInstance(IndexKeepingFileManager.class.getClassLoader(),
                new Class<?>[] {StandardJavaFileManager.class}, (proxy, method, args) -> {
                    if (isHandleOption(method) && MULTI_RELEASE.equals(args[0])) {
                        @SuppressWarnings("unchecked")
                        Iterator<String> rest = (Iterator<String>) args[1];
                        String value = rest.next();
                        if (Objects.equals(value, multiRelease[0])) {
                            return true;
                        }
                        multiRelease[0] = value;
                        return standard.handleOption(MULTI_RELEASE, java.util.List.of(value).iterator());
                    }
                    if (isAbout(method, args, StandardLocation.ANNOTATION_PROCESSOR_PATH)) {
                        return method.getName().equals("hasLocation") ? Boolean.TRUE : NO_PLUGINS;
                    }
                    if (method.getDeclaringClass() == Object.class) {
                        return switch (method.getName()) {
                            case "equals" -> proxy == args[0];
                            case "hashCode" -> System.identityHashCode(proxy);
                            default -> "IndexKeepingFileManager(" + standard + ")";
                        };
                    }
                    try {
                        return method.invoke(standard, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** {@code hasLocation} or {@code getClassLoader} asked of {@code location}. */
    private static boolean isAbout(Method m, Object[] args, StandardLocation location) {
        return (m.getName().equals("hasLocation") || m.getName().equals("getClassLoader"))
                && m.getParameterCount() == 1 && args[0] == location;
    }

    private static boolean isHandleOption(Method m) {
        return m.getName().equals("handleOption") && m.getParameterCount() == 2 && m.getParameterTypes()[0] == String.class;
    }

    private IndexKeepingFileManager() {
    }
}
