package dev.kiln.kernel.magic;

import dev.kiln.kernel.eval.JavaEvaluator.Variable;
import dev.kiln.magics.core.Html;
import dev.kiln.magics.core.Provenance;
import dev.kiln.magics.core.Result;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;

/** {@code %vars}: the notebook's variables with their types and short values, as a table. */
@Command(name = "vars", mixinStandardHelpOptions = true,
        description = "List the notebook's variables with their types and values (long values cut short).")
public final class VarsMagic implements Callable<Result> {

    /** Values longer than this are cut, with the count of what was left out. */
    static final int SHORT = 80;

    private final KernelServices kernel;

    public VarsMagic(KernelServices kernel) {
        this.kernel = kernel;
    }

    @Override
    public Result call() {
        List<Variable> vars = kernel.variables();
        if (vars.isEmpty()) {
            return Result.ofText("No variables yet.");
        }
        int nameWidth = Math.max(4, vars.stream().mapToInt(v -> v.name().length()).max().orElse(0));
        int typeWidth = Math.max(4, vars.stream().mapToInt(v -> simpleNames(v.type()).length()).max().orElse(0));
        StringBuilder text = new StringBuilder(String.format("%-" + nameWidth + "s  %-" + typeWidth + "s  %s%n", "Name", "Type", "Value"));
        StringBuilder html = new StringBuilder("<table class=\"kiln-vars\"><thead><tr><th>Name</th><th>Type</th><th>Value</th></tr></thead><tbody>");
        for (Variable v : vars) {
            String value = shorten(oneLine(v.value()));
            String type = simpleNames(v.type());
            text.append(String.format("%-" + nameWidth + "s  %-" + typeWidth + "s  %s%n", v.name(), type, value));
            html.append("<tr><td><code>").append(Html.escape(v.name())).append("</code></td><td><code>")
                    .append(Html.escape(type)).append("</code></td><td>").append(Html.escape(value)).append("</td></tr>");
        }
        html.append("</tbody></table>");
        return Result.of(text.toString().stripTrailing(), html.toString(), Provenance.NONE);
    }

    /** A package before a class name (lower-case segments, by Java's convention). */
    private static final Pattern PACKAGE = Pattern.compile("\\b(?:[a-z_][\\w$]*\\.)+(?=[A-Z_$])");

    /**
     * The type with its classes' simple names ({@code tech.tablesaw.api.Table} → {@code Table},
     * {@code java.util.Map.Entry<java.lang.String, Integer>} → {@code Map.Entry<String, Integer>}):
     * JShell keeps a type as the cell wrote it, so one kind of value read two ways.
     */
    static String simpleNames(String type) {
        return PACKAGE.matcher(type).replaceAll("");
    }

    private static String oneLine(String s) {
        return s.replace("\r", "").replace('\n', ' ');
    }

    static String shorten(String s) {
        if (s.length() <= SHORT) {
            return s;
        }
        return s.substring(0, SHORT) + "… (" + String.format(java.util.Locale.ROOT, "%,d", s.length() - SHORT) + " more characters)";
    }
}
