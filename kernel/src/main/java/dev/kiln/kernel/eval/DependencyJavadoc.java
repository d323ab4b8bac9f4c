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
 * The Javadoc of added libraries' classes, read from their {@code -sources} jars (or the pages of
 * their {@code -javadoc} jars): JShell reads documentation from the JDK's {@code src.zip} only, and
 * has no public way to be given more sources.
 * A member is found by the signature JShell prints for it ({@code String demo.Greeter.greet(String who)}).
 */
final class DependencyJavadoc {

    private static final JavaCompiler JAVAC = ToolProvider.getSystemJavaCompiler();

    private final List<Path> jars = new CopyOnWriteArrayList<>();

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

    /** Makes the documentation in {@code jar} (a library's {@code -sources} or {@code -javadoc} jar) available. */
    void add(Path jar) {
        if (!jars.contains(jar)) {
            jars.add(jar);
        }
    }

    /**
     * The doc comment (its text, as JShell gives the JDK's) of what {@code signature} names, from
     * a sources jar that has its class, else the description a javadoc jar's page gives it.
     */
    Optional<String> docComment(String signature) {
        if (jars.isEmpty()) {
            return Optional.empty();
        }
        Member member = Member.of(signature);
        List<String> names = member.names();
        for (Path jar : jars) {
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                for (int top = names.size() - 1; top >= 0; top--) {
                    List<String> packageNames = names.subList(0, top);
                    ZipEntry file = entry(zip, packageNames, names.get(top) + ".java");
                    Optional<String> doc = file != null ? docComment(zip, file, names.subList(top, names.size()), member.parameters())
                            : pageDocumentation(zip, packageNames, names.subList(top, names.size()), member.parameters());
                    if (doc.isPresent()) {
                        return doc;
                    }
                }
            } catch (IOException e) {
                // an unreadable jar documents nothing; the signature still shows
            }
        }
        return Optional.empty();
    }

    /** The entry {@code fileName} in the package {@code packageNames}, or in any package when that is empty. */
    private static ZipEntry entry(ZipFile zip, List<String> packageNames, String fileName) {
        if (!packageNames.isEmpty()) {
            return zip.getEntry(String.join("/", packageNames) + "/" + fileName);
        }
        ZipEntry top = zip.getEntry(fileName);
        return top != null ? top : zip.stream().filter(e -> e.getName().endsWith("/" + fileName)).findFirst().orElse(null);
    }

    /**
     * The documentation of a javadoc jar's page: {@code names} are a class, its nested classes
     * (one page, {@code Outer.Inner.html}) and maybe a member; a constructor is named for its class.
     */
    private static Optional<String> pageDocumentation(ZipFile zip, List<String> packageNames, List<String> names,
                                                      Optional<List<String>> parameters) throws IOException {
        List<String> classes = parameters.isEmpty() ? names : List.of();
        Optional<String> doc = classes.isEmpty() ? Optional.empty() : page(zip, packageNames, classes)
                .flatMap(p -> JavadocPages.documentation(p, Optional.empty(), parameters));
        if (doc.isEmpty() && names.size() >= 2) {
            String member = names.get(names.size() - 1);
            doc = page(zip, packageNames, names.subList(0, names.size() - 1))
                    .flatMap(p -> JavadocPages.documentation(p, Optional.of(member), parameters));
        }
        if (doc.isEmpty() && parameters.isPresent()) {
            Optional<String> classPage = page(zip, packageNames, names);
            for (String constructor : List.of("<init>", "%3Cinit%3E", names.get(names.size() - 1))) {
                if (doc.isEmpty() && classPage.isPresent()) {
                    doc = JavadocPages.documentation(classPage.get(), Optional.of(constructor), parameters);
                }
            }
        }
        return doc;
    }

    private static Optional<String> page(ZipFile zip, List<String> packageNames, List<String> classes) throws IOException {
        ZipEntry page = entry(zip, packageNames, String.join(".", classes) + ".html");
        if (page == null) {
            return Optional.empty();
        }
        try (InputStream in = zip.getInputStream(page)) {
            return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
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
