package dev.kiln.kernel.eval;

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.DocTrees;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TreePath;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

/**
 * The Javadoc of added libraries' classes, read from their {@code -sources} jars: JShell reads
 * documentation from the JDK's {@code src.zip} only, and has no public way to be given more sources.
 * A member is found by the signature JShell prints for it ({@code String demo.Greeter.greet(String who)}).
 */
final class DependencyJavadoc {

    private static final JavaCompiler JAVAC = ToolProvider.getSystemJavaCompiler();

    private final List<Path> sourceJars = new CopyOnWriteArrayList<>();

    /** A member as JShell's signature names it: its class's name segments, member name, parameter types. */
    record Member(List<String> names, Optional<List<String>> parameters) {

        /**
         * Parses JShell's signature of a class ({@code demo.Box<T>}), method ({@code <T> T demo.Box.get(int i)}),
         * constructor ({@code demo.Box(int size)}), field ({@code demo.Box.SIZE:int}) or enum constant.
         */
        static Member of(String signature) {
            String plain = withoutTypeArguments(signature).strip();
            int paren = plain.indexOf('(');
            String head = paren < 0 ? plain : plain.substring(0, paren).strip();
            int colon = head.indexOf(':');
            if (colon >= 0) {
                head = head.substring(0, colon); // a field: name:type
            }
            String qualified = head.substring(head.lastIndexOf(' ') + 1);
            Optional<List<String>> parameters = Optional.empty();
            if (paren >= 0) {
                String inside = plain.substring(paren + 1, plain.lastIndexOf(')')).strip();
                List<String> types = new ArrayList<>();
                for (String p : inside.isEmpty() ? new String[0] : inside.split(",")) {
                    String param = p.strip();
                    int space = param.lastIndexOf(' ');
                    types.add(erasedSimpleName(space < 0 ? param : param.substring(0, space)));
                }
                parameters = Optional.of(types);
            }
            return new Member(Arrays.asList(qualified.split("\\.")), parameters);
        }
    }

    /** Makes the documentation in {@code sourcesJar} (a library's {@code -sources} jar) available. */
    void add(Path sourcesJar) {
        if (!sourceJars.contains(sourcesJar)) {
            sourceJars.add(sourcesJar);
        }
    }

    /** The doc comment (its text, as JShell gives the JDK's) of what {@code signature} names, if a sources jar has it. */
    Optional<String> docComment(String signature) {
        if (sourceJars.isEmpty()) {
            return Optional.empty();
        }
        Member member = Member.of(signature);
        for (Path jar : sourceJars) {
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                for (int top = member.names().size() - 1; top >= 0; top--) {
                    ZipEntry file = sourceFile(zip, member.names().subList(0, top + 1));
                    if (file != null) {
                        Optional<String> doc = docComment(zip, file, member.names().subList(top, member.names().size()), member.parameters());
                        if (doc.isPresent()) {
                            return doc;
                        }
                    }
                }
            } catch (IOException e) {
                // an unreadable sources jar documents nothing; the signature still shows
            }
        }
        return Optional.empty();
    }

    /** The file of the top-level class {@code names} (package segments, then the class), or of that class in any package. */
    private static ZipEntry sourceFile(ZipFile zip, List<String> names) {
        String path = String.join("/", names) + ".java";
        ZipEntry exact = zip.getEntry(path);
        if (exact != null || names.size() > 1) {
            return exact;
        }
        return zip.stream().filter(e -> e.getName().endsWith("/" + path)).findFirst().orElse(null);
    }

    /** The doc comment in {@code file} of class {@code names.get(0)}, its nested classes, then the member. */
    private static Optional<String> docComment(ZipFile zip, ZipEntry file, List<String> names, Optional<List<String>> parameters)
            throws IOException {
        String source;
        try (InputStream in = zip.getInputStream(file)) {
            source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        JavaFileObject object = new SimpleJavaFileObject(URI.create("string:///" + file.getName()), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        JavacTask task = (JavacTask) JAVAC.getTask(null, null, d -> { }, List.of("-proc:none"), null, List.of(object));
        for (CompilationUnitTree unit : task.parse()) {
            Tree found = find(unit.getTypeDecls(), names, parameters);
            if (found != null) {
                return Optional.ofNullable(DocTrees.instance(task).getDocComment(TreePath.getPath(unit, found)));
            }
        }
        return Optional.empty();
    }

    private static Tree find(List<? extends Tree> members, List<String> names, Optional<List<String>> parameters) {
        String name = names.get(0);
        boolean last = names.size() == 1;
        for (Tree t : members) {
            if (t instanceof ClassTree c && c.getSimpleName().contentEquals(name)) {
                if (last && parameters.isEmpty()) {
                    return c;
                }
                // a constructor's signature ends in its class's name; a record's names its components
                Tree inner = last ? find(c.getMembers(), List.of("<init>"), parameters) : find(c.getMembers(), names.subList(1, names.size()), parameters);
                if (inner != null || last) {
                    return inner != null ? inner : c;
                }
            } else if (last && t instanceof MethodTree m && m.getName().contentEquals(name)
                    && parameters.isPresent() && parameters.get().equals(parameterTypes(m))) {
                return m;
            } else if (last && parameters.isEmpty() && t instanceof VariableTree v && v.getName().contentEquals(name)) {
                return v;
            }
        }
        return null;
    }

    private static List<String> parameterTypes(MethodTree m) {
        return m.getParameters().stream().map(p -> erasedSimpleName(p.getType().toString())).toList();
    }

    /** {@code java.util.List<String>} as {@code List}, {@code int...} as {@code int[]}: how both sides compare. */
    static String erasedSimpleName(String type) {
        String t = withoutTypeArguments(type).replace("...", "[]").replace(" ", "");
        int dot = t.lastIndexOf('.');
        return dot < 0 ? t : t.substring(dot + 1);
    }

    private static String withoutTypeArguments(String s) {
        StringBuilder out = new StringBuilder();
        int depth = 0;
        for (char ch : s.toCharArray()) {
            if (ch == '<') {
                depth++;
            } else if (ch == '>') {
                depth--;
            } else if (depth == 0) {
                out.append(ch);
            }
        }
        return out.toString();
    }
}
