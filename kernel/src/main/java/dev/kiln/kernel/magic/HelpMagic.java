package dev.kiln.kernel.magic;

import dev.kiln.magics.cli.CommandRunner;
import dev.kiln.magics.core.Html;
import dev.kiln.magics.core.Provenance;
import dev.kiln.magics.core.Result;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code %help [MAGIC]}: every magic and its subcommands with one sentence each, laid out for a cell
 * (a table in HTML; in text one line per command, which the cell wraps to its width); or one magic's
 * usage, the text {@code %MAGIC --help} prints.
 */
@Command(name = "help", mixinStandardHelpOptions = true,
        description = "List every magic with what it does, or show one magic's usage.")
public final class HelpMagic implements Callable<Result> {

    static final String INTRO = "Magics are lines starting with %. %help MAGIC (or %MAGIC --help) shows a magic's options.";
    static final String JAVA = "In Java code: display(obj) shows any value; Tablesaw tables and XChart charts render inline.";

    @Parameters(arity = "0..1", paramLabel = "MAGIC", description = "A magic's name, e.g. maven or data.")
    String magic;

    private final MagicCatalog catalog;

    public HelpMagic(MagicCatalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public Result call() {
        if (magic != null) {
            return Result.ofText(catalog.usage(magic.replaceFirst("^%+", "")));
        }
        List<CommandRunner.Summary> magics = catalog.magicNames().stream().map(catalog::summary).toList();
        StringBuilder text = new StringBuilder(INTRO).append("\n");
        StringBuilder html = new StringBuilder("<div class=\"kiln-help\"><p>").append(Html.escape(INTRO))
                .append("</p><table>");
        for (CommandRunner.Summary m : magics) {
            text.append('\n');
            line(text, html, m, 0);
        }
        html.append("</table>");
        List<String> cellMagics = catalog.cellMagicNames();
        if (!cellMagics.isEmpty()) {
            String cells = "Cell magics (%% on a cell's first line, run on the lines after it): %%"
                    + String.join(", %%", cellMagics) + ".";
            text.append('\n').append(cells).append('\n');
            html.append("<p>").append(Html.escape(cells)).append("</p>");
        }
        text.append('\n').append(JAVA);
        html.append("<p>").append(Html.escape(JAVA)).append("</p></div>");
        return Result.of(text.toString(), html.toString(), Provenance.NONE);
    }

    /** One command and, indented under it, its subcommands: a line of text and a table row each. */
    private static void line(StringBuilder text, StringBuilder html, CommandRunner.Summary s, int depth) {
        text.append("  ".repeat(depth)).append(s.typed()).append(" — ").append(s.summary()).append('\n');
        html.append("<tr><td style=\"padding-left:").append(depth * 1.5).append("em;white-space:nowrap\"><code>")
                .append(Html.escape(s.typed())).append("</code></td><td style=\"text-align:left\">")
                .append(Html.escape(s.summary())).append("</td></tr>");
        for (CommandRunner.Summary sub : s.subcommands()) {
            line(text, html, sub, depth + 1);
        }
    }
}
