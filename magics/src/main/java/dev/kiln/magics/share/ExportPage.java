package dev.kiln.magics.share;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * How an HTML export's page is made so that it carries nothing from the author's machine: Debian's
 * nbconvert links require.js and MathJax as {@code file:///usr/share/javascript/…}, a broken script
 * on any other machine (and on this one when the page is served over http). Kiln's outputs need no
 * script, so require.js is left out; MathJax is left out unless the notebook has math, and then
 * comes from {@link #MATHJAX_URL} (the CDN nbconvert itself defaults to): online the math is
 * typeset, offline it stays readable TeX.
 */
final class ExportPage {

    static final String MATHJAX_URL = "https://cdnjs.cloudflare.com/ajax/libs/mathjax/2.7.7/latest.js?config=TeX-AMS_CHTML-full,Safe";

    private static final String TEMPLATE = """
            {%- extends 'lab/index.html.j2' -%}
            {%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
            """;
    private static final String NO_MATHJAX = """
            {%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
            """;

    /** What MathJax typesets (its tex2jax settings in nbconvert's page): $…$, $$…$$, \(…\), \[…\], \begin{…}. */
    private static final Pattern MATH = Pattern.compile(
            "\\$\\$.+?\\$\\$|\\\\\\(.+?\\\\\\)|\\\\\\[.+?\\\\]|\\\\begin\\{\\w+\\*?}|(?<![\\\\$])\\$(?=\\S)[^$\\n]*(?<=\\S)\\$(?!\\d)",
            Pattern.DOTALL);

    private ExportPage() {
    }

    /** nbconvert's arguments for {@code nb}'s page; writes the page template into {@code dir}. */
    static List<String> nbconvertArgs(JsonNode nb, Path dir) throws IOException {
        boolean math = hasMath(nb);
        Path template = Files.writeString(dir.resolve("kiln-page.html.j2"), TEMPLATE + (math ? "" : NO_MATHJAX));
        return math
                ? List.of("--template-file=" + template, "--HTMLExporter.mathjax_url=" + MATHJAX_URL)
                : List.of("--template-file=" + template);
    }

    /** Whether a Markdown cell or a Markdown / LaTeX output holds math that MathJax would typeset. */
    static boolean hasMath(JsonNode nb) {
        for (JsonNode cell : nb.path("cells")) {
            if ("markdown".equals(cell.path("cell_type").asText()) && MATH.matcher(NotebookFile.text(cell.path("source"))).find()) {
                return true;
            }
            for (JsonNode output : cell.path("outputs")) {
                JsonNode data = output.path("data");
                if (data.has("text/latex") || MATH.matcher(NotebookFile.text(data.path("text/markdown"))).find()) {
                    return true;
                }
            }
        }
        return false;
    }
}
