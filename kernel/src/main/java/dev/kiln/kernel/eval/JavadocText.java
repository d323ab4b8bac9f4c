package dev.kiln.kernel.eval;

import com.sun.source.doctree.BlockTagTree;
import com.sun.source.doctree.DocCommentTree;
import com.sun.source.doctree.DocTree;
import com.sun.source.doctree.EndElementTree;
import com.sun.source.doctree.EntityTree;
import com.sun.source.doctree.LinkTree;
import com.sun.source.doctree.LiteralTree;
import com.sun.source.doctree.ParamTree;
import com.sun.source.doctree.ReferenceTree;
import com.sun.source.doctree.ReturnTree;
import com.sun.source.doctree.SeeTree;
import com.sun.source.doctree.SinceTree;
import com.sun.source.doctree.StartElementTree;
import com.sun.source.doctree.TextTree;
import com.sun.source.doctree.ThrowsTree;
import com.sun.source.doctree.UnknownBlockTagTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.util.DocTrees;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TreePath;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

/**
 * A doc comment as text to read in a notebook's tooltip: {@code {@code x}} as x, HTML paragraphs and
 * lists as blank lines and dashes, block tags under headings ("Parameters:", "Returns:"), as the
 * javadoc tool's pages lay them out.
 */
final class JavadocText {

    private static final int WIDTH = 100;
    /** Marks a line break inside {@code <pre>}, which wrapping keeps. */
    private static final String PRE_LINE = "\u0000";
    /** HTML elements that begin or end a paragraph. */
    private static final Set<String> BREAKS = Set.of("p", "pre", "ul", "ol", "table", "blockquote", "dl", "br", "tr", "dt");
    private static final Set<String> CELLS = Set.of("dd", "td", "th");
    private static final Map<String, String> HEADINGS = Map.of(
            "param", "Parameters:", "return", "Returns:", "throws", "Throws:", "exception", "Throws:",
            "see", "See Also:", "since", "Since:", "apiNote", "API Note:", "implSpec", "Implementation Requirements:",
            "implNote", "Implementation Note:");

    private JavadocText() {
    }

    /** {@code comment}, a doc comment's text without its {@code /**} and leading stars, as plain text. */
    static String of(String comment) {
        DocCommentTree tree = parse(comment);
        if (tree == null) {
            return comment.strip();
        }
        StringBuilder out = new StringBuilder(wrap(text(tree.getFullBody())));
        Map<String, StringBuilder> sections = new LinkedHashMap<>();
        for (DocTree tag : tree.getBlockTags()) {
            String name = tag instanceof BlockTagTree b ? b.getTagName() : tag.getKind().tagName;
            String entry = blockEntry(tag);
            String heading = heading(name);
            sections.computeIfAbsent(heading, h -> new StringBuilder()).append(indent(wrap(entry))).append('\n');
        }
        sections.forEach((heading, entries) -> out.append("\n\n").append(heading).append('\n').append(entries.toString().stripTrailing()));
        return out.toString().strip();
    }

    /** The heading the javadoc tool puts over a block tag's entries: "Parameters:" over {@code @param}. */
    static String heading(String tagName) {
        return HEADINGS.getOrDefault(tagName, tagName.substring(0, 1).toUpperCase(Locale.ROOT) + tagName.substring(1) + ":");
    }

    private static String blockEntry(DocTree tag) {
        if (tag instanceof ParamTree p) {
            return (p.isTypeParameter() ? "<" + p.getName() + ">" : p.getName()) + " - " + text(p.getDescription());
        } else if (tag instanceof ThrowsTree t) {
            return t.getExceptionName() + " - " + text(t.getDescription());
        } else if (tag instanceof ReturnTree r) {
            return text(r.getDescription());
        } else if (tag instanceof SeeTree s) {
            return text(s.getReference());
        } else if (tag instanceof SinceTree s) {
            return text(s.getBody());
        } else if (tag instanceof UnknownBlockTagTree u) {
            return text(u.getContent());
        }
        return tag.toString().replaceFirst("^@\\S+\\s*", "");
    }

    private static String indent(String text) {
        return text.lines().map(l -> l.isBlank() ? "" : "  " + l).reduce((a, b) -> a + "\n" + b).orElse("");
    }

    private static String text(List<? extends DocTree> trees) {
        StringBuilder out = new StringBuilder();
        boolean pre = false;
        for (DocTree t : trees) {
            if (t instanceof TextTree x) {
                out.append(pre ? x.getBody().replace("\n", PRE_LINE) : x.getBody());
            } else if (t instanceof EntityTree e) {
                out.append(entity(e.getName().toString()));
            } else if (t instanceof LiteralTree l) {
                out.append(pre ? l.getBody().getBody().replace("\n", PRE_LINE) : l.getBody().getBody());
            } else if (t instanceof LinkTree l) {
                out.append(l.getLabel().isEmpty() ? reference(l.getReference()) : text(l.getLabel()));
            } else if (t instanceof ReferenceTree r) {
                out.append(reference(r));
            } else if (t instanceof StartElementTree e) {
                String name = e.getName().toString().toLowerCase(Locale.ROOT);
                pre |= name.equals("pre");
                out.append(name.equals("li") ? "\n\n- " : BREAKS.contains(name) ? "\n\n" : CELLS.contains(name) ? " " : "");
            } else if (t instanceof EndElementTree e) {
                String name = e.getName().toString().toLowerCase(Locale.ROOT);
                pre &= !name.equals("pre");
                out.append(BREAKS.contains(name) ? "\n\n" : "");
            } else {
                // {@inheritDoc}, {@index}, {@summary}… as the words they hold
                String s = t.toString();
                out.append(s.startsWith("{@") ? s.replaceFirst("^\\{@\\S+\\s*", "").replaceFirst("}$", "") : s);
            }
        }
        return out.toString();
    }

    /** Paragraphs (split at blank lines) as lines of at most {@value #WIDTH} characters; a {@code <pre>} block as it is. */
    private static String wrap(String text) {
        StringBuilder out = new StringBuilder();
        for (String paragraph : text.split("\n\\s*\n")) {
            if (paragraph.isBlank()) {
                continue;
            }
            if (!out.isEmpty()) {
                out.append("\n\n");
            }
            if (paragraph.contains(PRE_LINE)) {
                out.append(paragraph.replace(PRE_LINE, "\n").stripTrailing().replaceFirst("^\n+", ""));
                continue;
            }
            boolean item = paragraph.strip().startsWith("- ");
            int column = 0;
            for (String word : paragraph.strip().split("\\s+")) {
                if (column > 0 && column + 1 + word.length() > WIDTH) {
                    out.append('\n').append(item ? "  " : "");
                    column = item ? 2 : 0;
                } else if (column > 0) {
                    out.append(' ');
                    column++;
                }
                out.append(word);
                column += word.length();
            }
        }
        return out.toString();
    }

    /** {@code Character#isWhitespace(int)} as {@code Character.isWhitespace(int)}, {@code #greet} as {@code greet}. */
    static String reference(ReferenceTree r) {
        return r.getSignature().replaceFirst("^#", "").replace('#', '.');
    }

    static String entity(String name) {
        return switch (name) {
            case "lt" -> "<";
            case "gt" -> ">";
            case "amp" -> "&";
            case "quot" -> "\"";
            case "apos" -> "'";
            case "nbsp" -> " ";
            default -> name.startsWith("#x") ? Character.toString(Integer.parseInt(name.substring(2), 16))
                    : name.startsWith("#") ? Character.toString(Integer.parseInt(name.substring(1))) : "&" + name + ";";
        };
    }

    /** The comment parsed as javac parses one above a class; null if javac finds none. */
    static DocCommentTree parse(String comment) {
        // a javadoc page's HTML may hold "*/", which would end the comment early
        String source = "/**\n" + comment.replace("*/", "*&#47;").lines().map(l -> " *" + l).reduce((a, b) -> a + "\n" + b).orElse("") + "\n */\nclass Documented {}\n";
        JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///Documented.java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        JavacTask task = (JavacTask) ToolProvider.getSystemJavaCompiler().getTask(null, null, d -> { }, List.of("-proc:none"), null, List.of(file));
        try {
            for (CompilationUnitTree unit : task.parse()) {
                if (!unit.getTypeDecls().isEmpty()) {
                    return DocTrees.instance(task).getDocCommentTree(TreePath.getPath(unit, unit.getTypeDecls().get(0)));
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // a comment javac cannot read shows as it is written
        }
        return null;
    }
}
