package dev.kiln.kernel.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * javac gives {@code --multi-release} to the file manager at the start of every compilation; the
 * JDK's file manager drops its class path index each time it is given an option, so only the first
 * may reach it. Every other option, and a changed value, still must. javac looks for compiler
 * plugins at the start of every compilation, on the class path unless a processor path is set:
 * the file manager gives it one that holds nothing.
 */
class IndexKeepingFileManagerTest {

    /** How many times the test's compiler plugin was instantiated (javac does it to ask its name). */
    private static final String PLUGINS_MADE = "kiln.test.plugins.made";

    @TempDir
    Path tmp;

    @Test
    void aRepeatedMultiReleaseValueDoesNotReachTheJdkFileManagerButAClassPathDoes() throws Exception {
        StandardJavaFileManager jdk = ToolProvider.getSystemJavaCompiler().getStandardFileManager(null, null, null);
        List<String> reached = new ArrayList<>();
        StandardJavaFileManager watched = (StandardJavaFileManager) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {StandardJavaFileManager.class}, (proxy, method, args) -> {
                    if (method.getName().equals("handleOption") && args[0] instanceof String option) {
                        reached.add(option);
                    }
                    return method.invoke(jdk, args);
                });
        StandardJavaFileManager fm = IndexKeepingFileManager.wrap(watched);

        for (int i = 0; i < 3; i++) {
            Iterator<String> rest = List.of("17", "-proc:none").iterator();
            assertTrue(fm.handleOption("--multi-release", rest));
            assertEquals("-proc:none", rest.next(), "the option's value is taken, and only it");
        }
        assertTrue(fm.handleOption("--multi-release", List.of("21").iterator()));
        assertEquals(List.of("--multi-release", "--multi-release"), reached, "the first value and the changed one");

        // a folder added to the class path is seen: that option passes through
        Path classes = Files.createDirectories(tmp.resolve("classes/p"));
        Files.writeString(classes.resolve("Added.class"), "");
        assertFalse(fm.list(StandardLocation.CLASS_PATH, "p", Set.of(JavaFileObject.Kind.CLASS), false).iterator().hasNext());
        assertTrue(fm.handleOption("-classpath", List.of(tmp.resolve("classes").toString()).iterator()));
        Iterable<JavaFileObject> listed = fm.list(StandardLocation.CLASS_PATH, "p", EnumSet.of(JavaFileObject.Kind.CLASS), false);
        assertTrue(listed.iterator().hasNext(), "the added folder's class is listed");
        assertEquals(List.of("--multi-release", "--multi-release", "-classpath"), reached);
    }

    @Test
    void cellsCompileWithoutLookingForCompilerPluginsOnTheClassPath() throws Exception {
        // a folder that declares a javac plugin, as a jar on a notebook's class path might
        Path plugins = Files.createDirectories(tmp.resolve("plugins"));
        Path source = Files.createDirectories(tmp.resolve("src/p")).resolve("CountingPlugin.java");
        Files.writeString(source, """
                package p;
                public class CountingPlugin implements com.sun.source.util.Plugin {
                    public CountingPlugin() {
                        System.setProperty("%s", String.valueOf(Integer.getInteger("%s", 0) + 1));
                    }
                    public String getName() { return "counting"; }
                    public void init(com.sun.source.util.JavacTask task, String... args) { }
                }
                """.formatted(PLUGINS_MADE, PLUGINS_MADE));
        assertEquals(0, ToolProvider.getSystemJavaCompiler().run(null, null, null, "-proc:none",
                "-d", plugins.toString(), source.toString()));
        Files.createDirectories(plugins.resolve("META-INF/services"));
        Files.writeString(plugins.resolve("META-INF/services/com.sun.source.util.Plugin"), "p.CountingPlugin\n");

        List<Path> cp = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            cp.add(Path.of(e));
        }
        cp.add(plugins);
        try (JavaEvaluator ev = new JavaEvaluator(cp, List.of())) {
            assertEquals(2, ev.eval("1 + 1", "cell [1]", 0).object());
            assertEquals(4, ev.eval("int twice(int x) { return 2 * x; }\ntwice(2)", "cell [2]", 0).object());
        }
        assertEquals(0, Integer.getInteger(PLUGINS_MADE, 0), "javac instantiated the class path's plugin while compiling cells");
    }
}
