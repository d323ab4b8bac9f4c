package dev.kiln.magics.share;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.magics.core.UserError;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The typing and literal rules of {@code kiln run -p}: each value becomes a Java declaration of the
 * type its default declares, checked here by JShell itself (the kernel's compiler) reading it back.
 */
@Timeout(120)
class NotebookParametersTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static JShell jshell;

    @BeforeAll
    static void startJShell() {
        jshell = JShell.builder().executionEngine("local").build();
        for (String p : List.of("java.util", "java.math", "java.nio.file")) { // the kernel's default imports, as the jshell tool's
            jshell.eval("import " + p + ".*;");
        }
    }

    @AfterAll
    static void stopJShell() {
        jshell.close();
    }

    /** Evaluates {@code code} in JShell, snippet by snippet as the kernel does; returns the last value as JShell shows it, or fails on any error. */
    private static String eval(String code) {
        String value = null;
        String rest = code;
        while (!rest.isBlank()) {
            SourceCodeAnalysis.CompletionInfo info = jshell.sourceCodeAnalysis().analyzeCompletion(rest);
            String snippet = info.completeness().isComplete() ? info.source() : rest;
            rest = info.completeness().isComplete() ? info.remaining() : "";
            for (SnippetEvent e : jshell.eval(snippet)) {
                if (e.causeSnippet() != null) {
                    continue; // an earlier snippet it replaced
                }
                assertTrue(e.status() == Snippet.Status.VALID && e.exception() == null, snippet + " → " + e.status() + " "
                        + e.exception() + " " + jshell.diagnostics(e.snippet()).map(d -> d.getMessage(null)).toList());
                value = e.value();
            }
        }
        return value;
    }

    @Test
    void stringValuesReadBackExactlyAsGiven() {
        List<String> texts = List.of("Oslo", "", "say \"hi\"", "C:\\users\\new", "two\nlines\r\n", "tab\there", "\\u000a not a newline",
                "bell\u0007 nul\u0000 del\u007f", "ünïcödé ✓ 𝄞", "'single'", "a=b=c");
        for (String text : texts) {
            String literal = ParameterType.STRING.literal(text);
            eval("String s = " + literal + ";");
            assertEquals(text.length(), Integer.parseInt(eval("s.length()")), literal);
            for (int i = 0; i < text.length(); i++) {
                assertEquals((int) text.charAt(i), Integer.parseInt(eval("(int) s.charAt(" + i + ")")), literal + " at " + i);
            }
        }
    }

    @Test
    void eachTypeGivesADeclarationOfThatTypeAndValue() {
        record Case(String type, String text, String declaration, String shown) {
        }
        List<Case> cases = List.of(
                new Case("int", "20", "int v = 20;", "20"),
                new Case("int", "-2147483648", "int v = -2147483648;", "-2147483648"),
                new Case("Integer", "+7", "Integer v = 7;", "7"),
                new Case("long", "9223372036854775807", "long v = 9223372036854775807L;", "9223372036854775807"),
                new Case("short", "-5", "short v = (short) -5;", "-5"),
                new Case("byte", "127", "byte v = (byte) 127;", "127"),
                new Case("double", "0.1", "double v = 0.1;", "0.1"),
                new Case("double", "1e3", "double v = 1000.0;", "1000.0"),
                new Case("Double", "-Infinity", "Double v = Double.NEGATIVE_INFINITY;", "-Infinity"),
                new Case("float", "2.5", "float v = 2.5f;", "2.5"),
                new Case("boolean", "TRUE", "boolean v = true;", "true"),
                new Case("char", "'", "char v = '\\'';", "'\\''"),
                new Case("String", "x", "String v = \"x\";", "\"x\""),
                new Case("BigDecimal", "12.50", "BigDecimal v = new java.math.BigDecimal(\"12.50\");", "12.50"),
                new Case("java.time.LocalDate", "2024-02-29", "java.time.LocalDate v = java.time.LocalDate.parse(\"2024-02-29\");", "2024-02-29"),
                new Case("java.time.Duration", "PT1H30M", "java.time.Duration v = java.time.Duration.parse(\"PT1H30M\");", "PT1H30M"),
                new Case("Path", "data/in.csv", "Path v = java.nio.file.Path.of(\"data/in.csv\");", "data/in.csv"));
        for (Case c : cases) {
            String declaration = new NotebookParameters.Parameter("v", c.type(), c.text(), false).declaration();
            assertEquals(c.declaration(), declaration);
            eval(declaration);
            assertEquals(c.shown(), eval("v"), declaration);
        }
    }

    @Test
    void valuesThatAreNotOfTheTypeAreRefusedSayingWhatOneLooksLike() {
        Map<ParameterType, List<String>> bad = Map.of(
                ParameterType.INT, List.of("abc", "2147483648", "1.5", "", "1_000", "0x10"),
                ParameterType.LONG, List.of("9223372036854775808", "10L"),
                ParameterType.BYTE, List.of("128"),
                ParameterType.DOUBLE, List.of("1e400", "0x1p3", "1,5", "12d"),
                ParameterType.BOOLEAN, List.of("yes", "1"),
                ParameterType.CHAR, List.of("", "ab"),
                ParameterType.LOCAL_DATE, List.of("2024-13-01", "31/01/2024"),
                ParameterType.BIG_INTEGER, List.of("1.0"));
        bad.forEach((type, texts) -> {
            for (String text : texts) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> type.literal(text), type + " " + text);
                assertEquals(type.expected(), e.getMessage());
            }
        });
    }

    @Test
    void undeclaredValuesAreTypedFromTheirText() {
        assertEquals(ParameterType.INT, ParameterType.inferredFrom("42"));
        assertEquals(ParameterType.INT, ParameterType.inferredFrom("-7"));
        assertEquals(ParameterType.LONG, ParameterType.inferredFrom("3000000000"));
        assertEquals(ParameterType.STRING, ParameterType.inferredFrom("99999999999999999999"));
        assertEquals(ParameterType.DOUBLE, ParameterType.inferredFrom("0.25"));
        assertEquals(ParameterType.DOUBLE, ParameterType.inferredFrom("1e-3"));
        assertEquals(ParameterType.BOOLEAN, ParameterType.inferredFrom("true"));
        assertEquals(ParameterType.STRING, ParameterType.inferredFrom("True"));
        assertEquals(ParameterType.STRING, ParameterType.inferredFrom("NaN"));
        assertEquals(ParameterType.STRING, ParameterType.inferredFrom("2024-01-31"));
        assertEquals(ParameterType.STRING, ParameterType.inferredFrom(""));
    }

    @Test
    void declarationsAreReadFromTheParametersCellPastCommentsStringsAndMagics() {
        Map<String, JavaDeclarations.Declaration> d = JavaDeclarations.of(String.join("\n",
                "%maven org.example:lib:1.0",
                "// int commented = 1;",
                "/* long alsoCommented = 2L; */",
                "int n = 10; final String city = \"a;b // c\", country = \"NO\";",
                "@SuppressWarnings(\"x\") double rate = Math.max(0.5, 1);",
                "Map<String, List<Integer>> groups = new HashMap<>();",
                "int[] sizes = {1, 2};",
                "var big = 5L;",
                "LocalDate day = LocalDate.of(2024, 1, 31);",
                "int later;",
                "void helper() { int inner = 3; }",
                "n = 11;",
                "System.out.println(n);",
                "import java.time.LocalDate;",
                "String text = \"\"\"",
                "    int inText = 1;",
                "    \"\"\";",
                "boolean last = true"));
        assertEquals(List.of("n", "city", "country", "rate", "groups", "sizes", "big", "day", "later", "text", "last"),
                new ArrayList<>(d.keySet()));
        assertEquals(new JavaDeclarations.Declaration("int", "n", "10"), d.get("n"));
        assertEquals(new JavaDeclarations.Declaration("String", "city", "\"a;b // c\""), d.get("city"));
        assertEquals(new JavaDeclarations.Declaration("String", "country", "\"NO\""), d.get("country"));
        assertEquals("double", d.get("rate").type());
        assertEquals("Map<String,List<Integer>>", d.get("groups").type());
        assertEquals("int[]", d.get("sizes").type());
        assertEquals(new JavaDeclarations.Declaration("var", "big", "5L"), d.get("big"));
        assertEquals(new JavaDeclarations.Declaration("int", "later", null), d.get("later"));
        assertEquals(new JavaDeclarations.Declaration("boolean", "last", "true"), d.get("last"));
    }

    @Test
    void injectsTypedDeclarationsAfterTheParametersCellAndRecordsThem() {
        ObjectNode nb = notebook();
        NotebookParameters.Injection i = NotebookParameters.inject(nb, given("n=20", "city=Troms\u00f8 \"north\"", "rate=0.75",
                "day=2024-02-29", "big=6", "flag=true", "extra=3.5", "label=hello"), "nb.ipynb");
        assertEquals(2, i.cell());
        JsonNode cells = nb.get("cells");
        assertEquals(4, cells.size());
        JsonNode injected = cells.get(2);
        assertEquals(List.of("injected-parameters"), JSON.convertValue(injected.path("metadata").path("tags"), List.class));
        assertEquals("injected-parameters", injected.path("id").asText(), "nbformat 4.5 wants an id");
        assertEquals(String.join("\n", "// Parameters",
                "int n = 20;",
                "String city = \"Troms\u00f8 \\\"north\\\"\";",
                "double rate = 0.75;",
                "LocalDate day = java.time.LocalDate.parse(\"2024-02-29\");",
                "long big = 6L;",
                "boolean flag = true;",
                "double extra = 3.5;",
                "String label = \"hello\";"), injected.path("source").asText());
        assertEquals("n = 10;", cells.get(3).path("source").asText().strip(), "the cells after it are kept in order");
        List<NotebookParameters.Parameter> recorded = NotebookParameters.recorded(nb);
        assertEquals(List.of(
                new NotebookParameters.Parameter("n", "int", "20", false),
                new NotebookParameters.Parameter("city", "String", "Troms\u00f8 \"north\"", false),
                new NotebookParameters.Parameter("rate", "double", "0.75", false),
                new NotebookParameters.Parameter("day", "LocalDate", "2024-02-29", false),
                new NotebookParameters.Parameter("big", "long", "6", false),
                new NotebookParameters.Parameter("flag", "boolean", "true", false),
                new NotebookParameters.Parameter("extra", "double", "3.5", true),
                new NotebookParameters.Parameter("label", "String", "hello", true)), recorded);
        assertEquals(2, i.warnings().size(), i.warnings().toString());

        // JShell takes the parameters cell and then the injected one
        eval("import java.time.LocalDate;");
        eval(NotebookFile.text(cells.get(1).get("source")));
        eval(injected.path("source").asText());
        assertEquals("\"Troms\u00f8 \\\"north\\\"\"", eval("city"));
        assertEquals("2024-02-29", eval("day"));

        // a second run replaces the injected cell
        NotebookParameters.inject(nb, given("n=30"), "nb.ipynb");
        assertEquals(4, cells.size());
        assertEquals(1, NotebookParameters.taggedCells(nb, NotebookParameters.INJECTED_TAG).size());
        assertEquals("// Parameters\nint n = 30;", cells.get(2).path("source").asText());
        assertEquals(List.of(new NotebookParameters.Parameter("n", "int", "30", false)), NotebookParameters.recorded(nb));
    }

    @Test
    void reproduceInjectsTheRecordedValuesInTheSamePlace() {
        ObjectNode ran = notebook();
        NotebookParameters.inject(ran, given("n=20", "city=Bergen"), "nb.ipynb");
        ObjectNode toRun = ran.deepCopy();
        ((ObjectNode) toRun.get("metadata")).remove("kiln");
        NotebookParameters.injectRecorded(ran, toRun);
        assertEquals(ran.get("cells"), toRun.get("cells"));
        assertEquals(NotebookParameters.recorded(ran), NotebookParameters.recorded(toRun));

        ObjectNode fresh = notebook(); // the parameters recorded, the injected cell gone: injected after the parameters cell
        fresh.putObject("metadata").set("kiln", ran.path("metadata").path("kiln").deepCopy());
        ObjectNode rerun = fresh.deepCopy();
        NotebookParameters.injectRecorded(fresh, rerun);
        assertEquals(ran.get("cells"), rerun.get("cells"));

        ObjectNode nothing = notebook();
        ObjectNode before = nothing.deepCopy();
        NotebookParameters.injectRecorded(nothing, nothing);
        assertEquals(before, nothing, "no parameters recorded: the notebook runs as it is");
    }

    @Test
    void anExportKeepsTheRecordedParametersAndShowsThem(@TempDir Path dir) throws Exception {
        ObjectNode ran = notebook();
        NotebookParameters.inject(ran, given("n=20", "city=Oslo"), "nb.ipynb");
        Path nb = dir.resolve("nb.out.ipynb");
        NotebookFile.write(nb, ran);
        NotebookExporter.Exported e = new NotebookExporter(Map.of()).export(nb, NotebookExporter.Format.IPYNB,
                dir.resolve("shared.ipynb"), "volatile", false);
        JsonNode exported = JSON.readTree(e.file().toFile());
        assertEquals(NotebookParameters.recorded(ran), NotebookParameters.recorded(exported));
        assertTrue(ProvenanceBlock.markdown(exported.path("metadata").path("kiln"), ProvenanceBlock.cellLabels(exported))
                .contains("| Parameters | `n = 20 (int), city = Oslo (String) (kiln run -p)` |"));
    }

    @Test
    void aBadValueIsRefusedNamingParameterTypeAndValueAndNothingChanges() {
        ObjectNode nb = notebook();
        ObjectNode before = nb.deepCopy();
        UserError e = assertThrows(UserError.class, () -> NotebookParameters.inject(nb, given("city=Oslo", "n=twenty"), "nb.ipynb"));
        assertTrue(e.getMessage().startsWith("Parameter 'n' is an int in the parameters cell, and 'twenty' is not one."), e.getMessage());
        e = assertThrows(UserError.class, () -> NotebookParameters.inject(nb, given("day=31/01/2024"), "nb.ipynb"));
        assertTrue(e.getMessage().startsWith("Parameter 'day' is a LocalDate in the parameters cell, and '31/01/2024' is not one."), e.getMessage());
        e = assertThrows(UserError.class, () -> NotebookParameters.inject(nb, given("groups=x"), "nb.ipynb"));
        assertTrue(e.getMessage().startsWith("Parameter 'groups' is declared as List<String> in the parameters cell"), e.getMessage());
        assertThrows(UserError.class, () -> NotebookParameters.inject(nb, given("n=1", "n=2"), "nb.ipynb"));
        assertThrows(UserError.class, () -> NotebookParameters.Given.parse("n"));
        assertThrows(UserError.class, () -> NotebookParameters.Given.parse("class=3"));
        assertEquals(before, nb);
    }

    @Test
    void withoutAParametersCellTheErrorSaysHowToTagOne() {
        ObjectNode nb = notebook();
        ((ObjectNode) nb.get("cells").get(1).get("metadata")).putArray("tags");
        UserError e = assertThrows(UserError.class, () -> NotebookParameters.inject(nb, given("n=20"), "nb.ipynb"));
        assertTrue(e.getMessage().startsWith("nb.ipynb has no cell tagged 'parameters'"), e.getMessage());
        assertTrue(e.getMessage().contains("property inspector"), e.getMessage());
        assertEquals(-1, NotebookParameters.inject(nb, List.of(), "nb.ipynb").cell(), "no -p: nothing to inject, nothing needed");
    }

    @Test
    void theDefaultOutputSitsBesideTheNotebook() {
        assertEquals(Path.of("work/analysis.out.ipynb"), NotebookRun.defaultOutput(Path.of("work/analysis.ipynb")));
    }

    private static List<NotebookParameters.Given> given(String... args) {
        return java.util.Arrays.stream(args).map(NotebookParameters.Given::parse).toList();
    }

    /** Markdown, the parameters cell, a cell using them. */
    private static ObjectNode notebook() {
        ObjectNode nb = JSON.createObjectNode();
        nb.put("nbformat", 4);
        nb.put("nbformat_minor", 5);
        nb.putObject("metadata");
        ArrayNode cells = nb.putArray("cells");
        ObjectNode md = cells.addObject();
        md.put("cell_type", "markdown");
        md.put("id", "intro");
        md.putObject("metadata");
        md.put("source", "# Sales");
        ObjectNode p = cells.addObject();
        p.put("cell_type", "code");
        p.put("id", "defaults");
        p.putNull("execution_count");
        p.putObject("metadata").putArray("tags").add("parameters");
        p.putArray("outputs");
        ArrayNode lines = p.putArray("source");
        for (String l : List.of("int n = 10;\n", "String city = \"Bergen\"; // where\n", "double rate = 0.5;\n",
                "LocalDate day = LocalDate.of(2024, 1, 1);\n", "var big = 5L;\n", "final boolean flag = false;\n",
                "List<String> groups = List.of();")) {
            lines.add(l);
        }
        ObjectNode use = cells.addObject();
        use.put("cell_type", "code");
        use.put("id", "use");
        use.putNull("execution_count");
        use.putObject("metadata");
        use.putArray("outputs");
        use.put("source", "n = 10;\n");
        return nb;
    }
}
