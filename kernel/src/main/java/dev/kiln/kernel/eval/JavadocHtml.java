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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A doc comment as HTML for a notebook's tooltip: its body's own HTML kept (the elements a doc
 * comment uses; others dropped, attributes too), {@code {@code x}} and {@code {@link}} as {@code <code>},
 * block tags as a definition list under the javadoc tool's headings ("Parameters:", "Returns:").
 */
final class JavadocHtml {

    /** The elements of a doc comment's HTML that are kept; any other, and every attribute, is dropped. */
    private static final Set<String> KEPT = Set.of("p", "pre", "code", "tt", "b", "i", "em", "strong", "ul", "ol", "li",
            "dl", "dt", "dd", "table", "thead", "tbody", "tr", "th", "td", "blockquote", "br", "sub", "sup", "var", "kbd");

    private JavadocHtml() {
    }

    /** {@code comment}, a doc comment's text without its {@code /**} and leading stars, as an HTML fragment. */
    static String of(String comment) {
        DocCommentTree tree = JavadocText.parse(comment);
        if (tree == null) {
            return "<pre>" + escape(comment.strip()) + "</pre>";
        }
        StringBuilder out = new StringBuilder("<div>").append(html(tree.getFullBody())).append("</div>");
        Map<String, StringBuilder> sections = new LinkedHashMap<>();
        for (DocTree tag : tree.getBlockTags()) {
            String name = tag instanceof BlockTagTree b ? b.getTagName() : tag.getKind().tagName;
            sections.computeIfAbsent(JavadocText.heading(name), h -> new StringBuilder())
                    .append("<dd>").append(blockEntry(tag)).append("</dd>");
        }
        if (!sections.isEmpty()) {
            out.append("<dl>");
            sections.forEach((heading, entries) -> out.append("<dt>").append(escape(heading)).append("</dt>").append(entries));
            out.append("</dl>");
        }
        return out.toString();
    }

    /** {@code text} with the characters HTML gives a meaning to escaped. */
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String blockEntry(DocTree tag) {
        if (tag instanceof ParamTree p) {
            String name = p.isTypeParameter() ? "<" + p.getName() + ">" : p.getName().toString();
            return "<code>" + escape(name) + "</code> - " + html(p.getDescription());
        } else if (tag instanceof ThrowsTree t) {
            return "<code>" + escape(t.getExceptionName().getSignature()) + "</code> - " + html(t.getDescription());
        } else if (tag instanceof ReturnTree r) {
            return html(r.getDescription());
        } else if (tag instanceof SeeTree s) {
            return html(s.getReference());
        } else if (tag instanceof SinceTree s) {
            return html(s.getBody());
        } else if (tag instanceof UnknownBlockTagTree u) {
            return html(u.getContent());
        }
        return escape(tag.toString().replaceFirst("^@\\S+\\s*", ""));
    }

    private static String html(List<? extends DocTree> trees) {
        StringBuilder out = new StringBuilder();
        for (DocTree t : trees) {
            if (t instanceof TextTree x) {
                out.append(escape(x.getBody()));
            } else if (t instanceof EntityTree e) {
                out.append(escape(JavadocText.entity(e.getName().toString())));
            } else if (t instanceof LiteralTree l) {
                String body = escape(l.getBody().getBody());
                out.append(l.getKind() == DocTree.Kind.CODE ? "<code>" + body + "</code>" : body);
            } else if (t instanceof LinkTree l) {
                String label = l.getLabel().isEmpty() ? escape(JavadocText.reference(l.getReference())) : html(l.getLabel());
                out.append(l.getKind() == DocTree.Kind.LINK ? "<code>" + label + "</code>" : label); // {@linkplain} is plain
            } else if (t instanceof ReferenceTree r) {
                out.append("<code>").append(escape(JavadocText.reference(r))).append("</code>");
            } else if (t instanceof StartElementTree e) {
                String name = e.getName().toString().toLowerCase(Locale.ROOT);
                out.append(KEPT.contains(name) ? "<" + name + (e.isSelfClosing() ? "/>" : ">") : "");
            } else if (t instanceof EndElementTree e) {
                String name = e.getName().toString().toLowerCase(Locale.ROOT);
                out.append(KEPT.contains(name) ? "</" + name + ">" : "");
            } else {
                // {@inheritDoc}, {@index}, {@summary}… as the words they hold
                String s = t.toString();
                out.append(escape(s.startsWith("{@") ? s.replaceFirst("^\\{@\\S+\\s*", "").replaceFirst("}$", "") : s));
            }
        }
        return out.toString().strip();
    }
}
