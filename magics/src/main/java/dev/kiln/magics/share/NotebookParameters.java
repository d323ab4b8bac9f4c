package dev.kiln.magics.share;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.magics.core.UserError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * papermill's parameters convention for Java notebooks: the code cell tagged {@code parameters}
 * declares the defaults ({@code int n = 10;}); given values become typed declarations in a new cell
 * right after it, tagged {@code injected-parameters} (an earlier injected cell is replaced), and
 * are recorded in the notebook's {@code metadata.kiln.parameters} so a re-run injects them again.
 */
public final class NotebookParameters {

    public static final String TAG = "parameters";
    public static final String INJECTED_TAG = "injected-parameters";
    /** The key under the notebook's {@code metadata.kiln}. */
    static final String METADATA_KEY = "parameters";

    private static final Pattern WHOLE = Pattern.compile("[+-]?\\d+[lL]?");
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?[fFdD]?");

    /** A value given for a parameter, as text ({@code -p NAME=VALUE}). */
    public record Given(String name, String text) {

        /** {@code NAME=VALUE} as {@code -p} takes it; the value may hold '=' and be empty. */
        public static Given parse(String argument) {
            int eq = argument.indexOf('=');
            if (eq < 0) {
                throw new UserError("-p '" + argument + "' is not NAME=VALUE. Write it as, e.g., -p n=20.");
            }
            String name = argument.substring(0, eq).strip();
            if (!JavaDeclarations.isIdentifier(name)) {
                throw new UserError("-p '" + argument + "': '" + name + "' is not a Java variable name. "
                        + "Name the variable the parameters cell declares, e.g. -p n=20.");
            }
            return new Given(name, argument.substring(eq + 1));
        }
    }

    /**
     * A parameter as injected and recorded.
     *
     * @param type     the Java type as declared in the parameters cell ({@code int}, {@code LocalDate}), or as inferred
     * @param value    the value's text as given
     * @param inferred whether the parameters cell does not declare it, so the type was read from the value
     */
    public record Parameter(String name, String type, String value, boolean inferred) {

        /** {@code int n = 20;} */
        public String declaration() {
            return type + " " + name + " = " + kind().literal(value) + ";";
        }

        private ParameterType kind() {
            return ParameterType.of(type).orElseThrow(() -> new IllegalStateException("no parameter type " + type));
        }

        /** {@code n = 20 (int)}, for a person. */
        public String describe() {
            return name + " = " + (kind() == ParameterType.STRING ? ParameterType.stringLiteral(value) : value) + " (" + type + ")";
        }
    }

    /**
     * What an injection did.
     *
     * @param cell     the index of the injected cell; -1 when nothing was injected
     * @param warnings what the user should know before the run (parameters the cell does not declare)
     */
    public record Injection(List<Parameter> parameters, int cell, List<String> warnings) {
    }

    /**
     * Types {@code given} by the parameters cell's declarations, then injects them into {@code nb}
     * and records them in its {@code metadata.kiln}. Checks every value before changing anything:
     * a bad one is a {@link UserError} naming the parameter, its type and the value.
     *
     * @param notebook the notebook's name, for messages
     */
    public static Injection inject(ObjectNode nb, List<Given> given, String notebook) {
        if (given.isEmpty()) {
            return new Injection(List.of(), -1, List.of());
        }
        Map<String, Given> byName = new LinkedHashMap<>();
        for (Given g : given) {
            Given before = byName.putIfAbsent(g.name(), g);
            if (before != null) {
                throw new UserError("-p " + g.name() + " is given twice (" + g.name() + "=" + before.text() + " and "
                        + g.name() + "=" + g.text() + "). Give each parameter once.");
            }
        }
        List<Integer> parameterCells = taggedCells(nb, TAG);
        if (parameterCells.isEmpty()) {
            throw new UserError(notebook + " has no cell tagged '" + TAG + "', so there is nowhere to put -p "
                    + given.get(0).name() + "=" + given.get(0).text() + ". Tag the code cell that declares the defaults "
                    + "(e.g. int n = 10;) with '" + TAG + "': in JupyterLab select that cell, open the property inspector "
                    + "(the gear icon in the right sidebar) and add the tag '" + TAG + "' under Cell Tags; save, then run again.");
        }
        Map<String, JavaDeclarations.Declaration> declared = new LinkedHashMap<>();
        for (int i : parameterCells) {
            declared.putAll(JavaDeclarations.of(NotebookFile.text(nb.path("cells").get(i).get("source"))));
        }
        List<Parameter> parameters = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (Given g : byName.values()) {
            JavaDeclarations.Declaration d = declared.get(g.name());
            Parameter p = d == null ? inferred(g) : typed(g, d);
            if (p.inferred()) {
                warnings.add("Parameter '" + g.name() + "' is not declared in the parameters cell: injected as " + p.type()
                        + " from its text (" + p.declaration() + "). Declare it there with a default to fix its type.");
            }
            parameters.add(p);
        }
        int cell = place(nb, parameters, notebook);
        return new Injection(List.copyOf(parameters), cell, List.copyOf(warnings));
    }

    /** The parameters {@code nb}'s {@code metadata.kiln} records, in the order given; empty when none. */
    public static List<Parameter> recorded(JsonNode nb) {
        return inKilnMetadata(nb.path("metadata").path("kiln"));
    }

    /** The parameters a notebook-level {@code metadata.kiln} records. */
    static List<Parameter> inKilnMetadata(JsonNode kiln) {
        List<Parameter> out = new ArrayList<>();
        for (JsonNode p : kiln.path(METADATA_KEY)) {
            out.add(new Parameter(p.path("name").asText(), p.path("type").asText(), p.path("value").asText(),
                    p.path("inferred").asBoolean(false)));
        }
        return out;
    }

    /**
     * Injects the parameters {@code recordedNb} records into {@code toRun} (its cells to re-run), as
     * {@code kiln run} did, and records them in {@code toRun}'s {@code metadata.kiln} again.
     */
    public static void injectRecorded(JsonNode recordedNb, ObjectNode toRun) {
        List<Parameter> parameters = recorded(recordedNb);
        if (parameters.isEmpty()) {
            return;
        }
        for (Parameter p : parameters) {
            String where = "The notebook's metadata.kiln." + METADATA_KEY + " records " + p.name() + " = '" + p.value() + "' as " + p.type();
            if (!JavaDeclarations.isIdentifier(p.name()) || ParameterType.of(p.type()).isEmpty()) {
                throw new UserError(where + ", which cannot be injected. Run the notebook again with 'kiln run' and the values you want.");
            }
            try {
                p.declaration();
            } catch (IllegalArgumentException e) {
                throw new UserError(where + ", which is not " + e.getMessage() + ". Run the notebook again with 'kiln run'.");
            }
        }
        place(toRun, parameters, "The notebook");
    }

    /** Replaces any injected cell with one declaring {@code parameters} after the last parameters cell; records them. */
    private static int place(ObjectNode nb, List<Parameter> parameters, String notebook) {
        ArrayNode cells = (ArrayNode) nb.get("cells");
        List<Integer> injected = taggedCells(nb, INJECTED_TAG);
        for (int k = injected.size() - 1; k >= 0; k--) {
            cells.remove(injected.get(k));
        }
        List<Integer> parameterCells = taggedCells(nb, TAG);
        int at = !parameterCells.isEmpty() ? parameterCells.get(parameterCells.size() - 1) + 1
                : !injected.isEmpty() ? injected.get(0)
                : -1;
        if (at < 0) {
            throw new UserError(notebook + " records parameters but has neither a cell tagged '" + TAG + "' nor one tagged '"
                    + INJECTED_TAG + "' to put them after. Tag the cell that declares the defaults with '" + TAG + "'.");
        }
        cells.insert(at, injectedCell(nb, parameters));
        ArrayNode record = ((ObjectNode) nb.with("metadata").with("kiln")).putArray(METADATA_KEY);
        for (Parameter p : parameters) {
            ObjectNode o = record.addObject().put("name", p.name()).put("type", p.type()).put("value", p.value());
            if (p.inferred()) {
                o.put("inferred", true);
            }
        }
        return at;
    }

    private static ObjectNode injectedCell(ObjectNode nb, List<Parameter> parameters) {
        ObjectNode c = NotebookFile.JSON.createObjectNode();
        c.put("cell_type", "code");
        c.putNull("execution_count");
        if (nb.path("nbformat_minor").asInt(0) >= 5) {
            c.put("id", freeId(nb));
        }
        c.putObject("metadata").putArray("tags").add(INJECTED_TAG);
        c.putArray("outputs");
        c.put("source", "// Parameters\n" + parameters.stream().map(Parameter::declaration).collect(Collectors.joining("\n")));
        return c;
    }

    /** A cell id no cell of {@code nb} has (nbformat 4.5 requires unique ids). */
    private static String freeId(JsonNode nb) {
        List<String> ids = new ArrayList<>();
        nb.path("cells").forEach(c -> ids.add(c.path("id").asText("")));
        String id = INJECTED_TAG;
        for (int k = 2; ids.contains(id); k++) {
            id = INJECTED_TAG + "-" + k;
        }
        return id;
    }

    /** The indexes of the code cells tagged {@code tag}. */
    static List<Integer> taggedCells(JsonNode nb, String tag) {
        List<Integer> out = new ArrayList<>();
        JsonNode cells = nb.path("cells");
        for (int i = 0; i < cells.size(); i++) {
            JsonNode c = cells.get(i);
            if (!"code".equals(c.path("cell_type").asText())) {
                continue;
            }
            for (JsonNode t : c.path("metadata").path("tags")) {
                if (t.asText().equals(tag)) {
                    out.add(i);
                    break;
                }
            }
        }
        return out;
    }

    /** {@code g} typed as the parameters cell declares it. */
    private static Parameter typed(Given g, JavaDeclarations.Declaration d) {
        String type = d.type();
        Optional<ParameterType> kind = ParameterType.of(type);
        if (type.equals("var")) {
            kind = d.initializer() == null ? Optional.empty() : typeOfExpression(d.initializer());
            if (kind.isEmpty()) {
                throw new UserError("Parameter '" + g.name() + "' is declared with var in the parameters cell (var " + g.name()
                        + " = " + d.initializer() + ";), and its type cannot be told from the default. Declare the type instead, "
                        + "e.g. String " + g.name() + " = …;, then run again.");
            }
            type = kind.get().javaName();
        } else if (kind.isEmpty()) {
            throw new UserError("Parameter '" + g.name() + "' is declared as " + type + " in the parameters cell; kiln run sets "
                    + "parameters of these types only: " + ParameterType.names() + ". Declare it as one of them (e.g. String, "
                    + "and convert it in the notebook), or leave out -p " + g.name() + ".");
        }
        Parameter p = new Parameter(g.name(), type, g.text(), false);
        try {
            p.declaration();
        } catch (IllegalArgumentException e) {
            throw new UserError("Parameter '" + g.name() + "' is " + article(type) + " " + type + " in the parameters cell, and '"
                    + g.text() + "' is not one. Give " + e.getMessage() + ": -p " + g.name() + "=VALUE.");
        }
        return p;
    }

    private static Parameter inferred(Given g) {
        return new Parameter(g.name(), ParameterType.inferredFrom(g.text()).javaName(), g.text(), true);
    }

    /** The type of a default's expression, when it shows it: a literal, {@code LocalDate.of(…)}, {@code new BigDecimal(…)}. */
    static Optional<ParameterType> typeOfExpression(String expression) {
        String e = expression.strip();
        if (e.startsWith("\"")) {
            return Optional.of(ParameterType.STRING);
        }
        if (e.startsWith("'")) {
            return Optional.of(ParameterType.CHAR);
        }
        if (e.equals("true") || e.equals("false")) {
            return Optional.of(ParameterType.BOOLEAN);
        }
        if (WHOLE.matcher(e).matches()) {
            return Optional.of(e.endsWith("L") || e.endsWith("l") ? ParameterType.LONG : ParameterType.INT);
        }
        if (DECIMAL.matcher(e).matches()) {
            return Optional.of(e.endsWith("f") || e.endsWith("F") ? ParameterType.FLOAT : ParameterType.DOUBLE);
        }
        String call = e.startsWith("new ") ? e.substring(4).strip() : e;
        int paren = call.indexOf('(');
        String name = paren < 0 ? call : call.substring(0, paren).strip();
        for (int dot = name.length(); dot > 0; dot = name.lastIndexOf('.', dot - 1)) {
            Optional<ParameterType> t = ParameterType.of(name.substring(0, dot));
            if (t.isPresent()) {
                return t;
            }
        }
        return Optional.empty();
    }

    private static String article(String type) {
        return "aeiouAEIOU".indexOf(type.charAt(0)) >= 0 ? "an" : "a";
    }

    private NotebookParameters() {
    }
}
