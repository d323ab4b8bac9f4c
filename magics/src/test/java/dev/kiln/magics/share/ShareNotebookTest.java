package dev.kiln.magics.share;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.magics.cli.CommandRunner;
import dev.kiln.magics.core.MimeBundle;
import dev.kiln.magics.core.Progress;
import dev.kiln.magics.core.JupyterNotebook;
import dev.kiln.magics.core.Result;
import dev.kiln.magics.core.Session;
import dev.kiln.magics.core.UserError;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Export and the notebook options of %data and %env, on a notebook whose outputs carry what the
 * real commands put in {@code metadata.kiln} (a directory remote stands in for S3 here; the
 * end-to-end test with s3proxy and the kernel is the kernel module's ReproduceNotebookTest).
 */
class ShareNotebookTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private Path project;
    private Map<String, String> env;
    private String v1;

    @BeforeEach
    void project() throws Exception {
        project = Files.createDirectories(tmp.resolve("project"));
        env = new HashMap<>(System.getenv());
        env.put("KILN_CACHE_DIR", tmp.resolve("cache").toString());
        env.put("KILN_SIDECAR_FILE", tmp.resolve("no-sidecar.json").toString());
        env.remove("KILN_SIDECAR_URL");
        env.remove("JPY_SESSION_NAME");
        Files.createDirectories(project.resolve("data/sales"));
        Files.writeString(project.resolve("data/sales/sales.csv"), "region,amount\nnorth,10\nsouth,20\n");
        run("data", "remote", "add", "local", tmp.resolve("remote").toString());
        run("data", "add", "data/sales");
        run("data", "push");
        Result pulled = run("data", "pull", "sales");
        Result snapshot = run("env", "snapshot", "--no-store");
        v1 = pulled.provenance().datasets().get(0).version();

        ObjectNode nb = JSON.createObjectNode();
        ArrayNode cells = nb.putArray("cells");
        cell(cells, "%data pull sales", pulled, false).with("metadata").putObject("execution")
                .put("iopub.execute_input", "2026-01-01T10:00:00.000Z").put("shell.execute_reply", "2026-01-01T10:00:01.500Z");
        cell(cells, "%env snapshot", snapshot, false);
        cell(cells, "System.nanoTime()", Result.ofText("123456"), true);
        nb.putObject("metadata");
        nb.put("nbformat", 4);
        nb.put("nbformat_minor", 4);
        Files.writeString(project.resolve("analysis.ipynb"), JSON.writeValueAsString(nb));
    }

    @Test
    void exportWritesTheNotebooksProvenanceIntoIpynbHtmlAndMarkdown() throws Exception {
        run("export", "analysis.ipynb", "--to", "ipynb", "-o", "out/analysis.ipynb");
        JsonNode kiln = JSON.readTree(project.resolve("out/analysis.ipynb").toFile()).path("metadata").path("kiln");
        assertEquals(v1, kiln.path("datasets").path(0).path("version").asText());
        assertEquals("data/sales", kiln.path("datasets").path(0).path("path").asText());
        assertEquals(64, kiln.path("snapshot").path("id").asText().length());
        assertTrue(kiln.path("snapshot").path("environment").has("jars"));
        assertEquals(1.5, kiln.path("run").path("cells").path(0).path("seconds").asDouble());
        assertEquals("[2]", kiln.path("volatile").path("cells").toString());
        assertTrue(kiln.path("kiln").has("version"));

        run("export", "analysis.ipynb", "--to", "html");
        String html = Files.readString(project.resolve("analysis.html"));
        assertTrue(html.indexOf("kiln-provenance") > 0 && html.indexOf("kiln-provenance") < html.indexOf("Pulled sales@"), "the block comes first");
        assertTrue(html.contains(v1) && html.contains(kiln.path("snapshot").path("id").asText()), "versions and snapshot shown");

        run("export", "analysis.ipynb", "--to", "md", "-o", "analysis.md");
        String md = Files.readString(project.resolve("analysis.md"));
        assertTrue(md.startsWith("## Provenance") && md.contains(v1) && md.contains("%data pull sales"), md);
    }

    /**
     * A colleague reading an export can tell which data a {@code %parquet convert} cell read and
     * wrote: the input's version, the output's version and each Parquet file's SHA-256, in the
     * notebook's metadata.kiln and on the page; reproduce reads them back (the input is a version to
     * pull, and a re-run whose files hash otherwise is a difference).
     */
    @Test
    void exportRecordsEachConversionsInputVersionOutputVersionAndFileHashes() throws Exception {
        Result converted = run("parquet", "convert", "data/sales", "--to", "data/parquet/sales");
        ObjectNode nb = (ObjectNode) JSON.readTree(project.resolve("analysis.ipynb").toFile());
        cell((ArrayNode) nb.get("cells"), "%parquet convert data/sales --to data/parquet/sales", converted, false);
        Files.writeString(project.resolve("analysis.ipynb"), JSON.writeValueAsString(nb));
        Path parquet = project.resolve("data/parquet/sales/sales.parquet");
        String sha256 = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(parquet)));
        String outputVersion = converted.provenance().datasets().get(0).version();

        run("export", "analysis.ipynb", "--to", "ipynb", "-o", "out/analysis.ipynb");
        JsonNode kiln = JSON.readTree(project.resolve("out/analysis.ipynb").toFile()).path("metadata").path("kiln");
        JsonNode c = kiln.path("conversions").path(0);
        assertEquals(3, c.path("cell").asInt());
        assertEquals("sales", c.path("input").path("dataset").asText());
        assertEquals(v1, c.path("input").path("version").asText(), "the version of the CSV it read");
        assertEquals("sales-parquet", c.path("output").path("dataset").asText());
        assertEquals(outputVersion, c.path("output").path("version").asText());
        assertEquals("data/parquet/sales", c.path("output").path("path").asText(), "a path in the project, not the author's disk");
        assertEquals("sales.parquet", c.path("files").path(0).path("file").asText());
        assertEquals(sha256, c.path("files").path(0).path("sha256").asText());
        assertEquals(2, c.path("files").path(0).path("rows").asLong());
        JsonNode sales = kiln.path("datasets").path(0);
        assertEquals(v1, sales.path("version").asText());
        assertEquals("[0,3]", sales.path("cells").toString(), "the conversion's cell used sales@v1 too");

        run("export", "analysis.ipynb", "--to", "html");
        String html = Files.readString(project.resolve("analysis.html"));
        assertTrue(html.contains(sha256) && html.contains("sales-parquet@" + outputVersion), "the page shows them");

        // reproduce's reading: from the outputs, and from the export's metadata alone (outputs cleared)
        ObjectNode exported = (ObjectNode) JSON.readTree(project.resolve("out/analysis.ipynb").toFile());
        exported.withArray("cells").forEach(cell -> ((ObjectNode) cell).putArray("outputs"));
        for (JsonNode read : List.of(JSON.readTree(project.resolve("out/analysis.ipynb").toFile()), exported)) {
            NotebookProvenance p = NotebookProvenance.of(read, NotebookProvenance.DEFAULT_VOLATILE_TAG);
            assertEquals(v1, p.lastVersions().get("sales").version(), "the input is a version reproduce pulls");
            assertEquals(sha256, p.conversions().get(0).files().get(0).sha256());
            assertEquals(outputVersion, p.conversions().get(0).output().version());
        }
        NotebookProvenance recorded = NotebookProvenance.of(nb, NotebookProvenance.DEFAULT_VOLATILE_TAG);
        assertEquals(List.of(), RecordedConversion.differences(recorded.conversions(), recorded.conversions(), cell -> true));
        RecordedConversion other = new RecordedConversion(3, null, null, null, "data/parquet/sales",
                List.of(new RecordedConversion.OutputFile("sales.parquet", "77".repeat(32), 2)));
        assertEquals(List.of(new Reproduction.Difference("conversions", "sales-parquet/sales.parquet", "sha256 " + sha256.substring(0, 12),
                "sha256 777777777777")), RecordedConversion.differences(recorded.conversions(), List.of(other), cell -> true));
    }

    @Test
    void theExportedPageNamesTheNotebookToReproduceItsCellsByExecutionCountAndTimesToTheSecond() throws Exception {
        ObjectNode nb = (ObjectNode) JSON.readTree(project.resolve("analysis.ipynb").toFile());
        ArrayNode cells = (ArrayNode) nb.get("cells");
        for (int i = 0; i < cells.size(); i++) {
            ((ObjectNode) cells.get(i)).put("execution_count", 11 + i); // as after a restart: counts are not positions
        }
        Files.writeString(project.resolve("analysis.ipynb"), JSON.writeValueAsString(nb));

        run("export", "analysis.ipynb", "--to", "ipynb", "-o", "out/analysis.ipynb");
        JsonNode kiln = JSON.readTree(project.resolve("out/analysis.ipynb").toFile()).path("metadata").path("kiln");
        Result exported = run("export", "analysis.ipynb", "--to", "html");
        String html = Files.readString(project.resolve("analysis.html"));
        String block = html.substring(html.indexOf("<section class=\"kiln-provenance\""), html.indexOf("</section>"));

        assertTrue(block.contains("<code>kiln reproduce analysis.ipynb</code>"), block);
        assertEquals(List.of("In [11]"), tableColumn(block, "Datasets", 3), "the pull cell, by the count the page prints beside it");
        assertTrue(block.contains("<th style=\"text-align:left;padding-right:1em\">Volatile cells</th><td><code>In [13] (tagged"), block);
        String exportedAt = kiln.path("exported").path("time").asText();
        assertTrue(exportedAt.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"), exportedAt);
        assertTrue(block.contains("2026-01-01T10:00:00Z → 2026-01-01T10:00:01Z (1.50 s in 1 timed cell)"), block);
        assertTrue(exported.text().contains("(snapshot " + kiln.path("snapshot").path("id").asText().substring(0, 12)
                + ", 1 dataset version, run times of 1 cell)."), exported.text());

        ((ObjectNode) cells.get(0)).remove("metadata");
        ((ObjectNode) cells.get(0)).putObject("metadata");
        Files.writeString(project.resolve("untimed.ipynb"), JSON.writeValueAsString(nb));
        Result untimed = run("export", "untimed.ipynb", "--to", "ipynb");
        assertTrue(untimed.text().endsWith(", 1 dataset version)."), "no count of timed cells when none was timed: " + untimed.text());
    }

    /** The cells of column {@code column} in the table that follows the heading {@code heading}. */
    private static List<String> tableColumn(String html, String heading, int column) {
        String table = html.substring(html.indexOf(heading + "</h3>"));
        table = table.substring(0, table.indexOf("</table>"));
        List<String> values = new java.util.ArrayList<>();
        java.util.regex.Matcher row = java.util.regex.Pattern.compile("<tr>((?:<td>.*?</td>)+)</tr>").matcher(table);
        while (row.find()) {
            List<String> tds = new java.util.ArrayList<>();
            java.util.regex.Matcher td = java.util.regex.Pattern.compile("<td>(?:<code>)?(.*?)(?:</code>)?</td>").matcher(row.group(1));
            while (td.find()) {
                tds.add(td.group(1));
            }
            values.add(tds.get(column));
        }
        return values;
    }

    @Test
    void exportWarnsAboutSecretsCellsPrintedAndRedactReplacesThemEverywhere() throws Exception {
        String password = "hunter2-correct-horse-battery";
        String keyId = "AKIAIOSFODNN7EXAMPLE";
        env.put("DB_PASSWORD", password);
        env.put("AWS_REGION", "eu-west-1"); // not a secret: must survive
        ObjectNode nb = (ObjectNode) JSON.readTree(project.resolve("analysis.ipynb").toFile());
        ArrayNode cells = (ArrayNode) nb.get("cells");
        ObjectNode leaky = cells.addObject();
        leaky.put("cell_type", "code").put("execution_count", 7).putObject("metadata");
        leaky.putArray("source").add("System.out.println(System.getenv(\"DB_PASSWORD\"));\n").add("region");
        ArrayNode outs = leaky.putArray("outputs");
        // nbformat splits stream text into lines; the secret straddles two of them
        outs.addObject().put("output_type", "stream").put("name", "stdout")
                .putArray("text").add("pw=hunter2-correct-").add("horse-battery\n").add("eu-west-1\n");
        ObjectNode html = outs.addObject().put("output_type", "display_data");
        html.putObject("data").put("text/html", "<td>" + keyId + "</td>").put("image/png", "iVBORw0KGgo" + keyId);
        html.putObject("metadata");
        outs.addObject().put("output_type", "error").put("ename", "RuntimeException").put("evalue", "login " + password)
                .putArray("traceback").add("java.lang.RuntimeException: login " + password);
        Files.writeString(project.resolve("analysis.ipynb"), JSON.writeValueAsString(nb));

        List<NotebookSecrets.Finding> found = new NotebookSecrets(env).find(nb);
        assertEquals(List.of(new NotebookSecrets.Finding("an AWS access key id", "cell [7] output"),
                new NotebookSecrets.Finding("the value of DB_PASSWORD", "cell [7] output")),
                found.stream().sorted(java.util.Comparator.comparing(NotebookSecrets.Finding::what)).toList());

        Result warned = run("export", "analysis.ipynb", "--to", "ipynb", "-o", "plain.ipynb");
        assertEquals(2, ((Map<?, ?>) warned.provenance().report().get("export")).get("secretsFound"));
        assertEquals(false, ((Map<?, ?>) warned.provenance().report().get("export")).get("redacted"));
        assertTrue(Files.readString(project.resolve("plain.ipynb")).contains(keyId), "without --redact the export is as it was");
        assertTrue(!warned.text().contains(password) && !warned.text().contains(keyId), "a warning never shows the value");

        Result redacted = run("export", "analysis.ipynb", "--to", "ipynb", "-o", "shared.ipynb", "--redact");
        assertEquals(true, ((Map<?, ?>) redacted.provenance().report().get("export")).get("redacted"));
        String shared = Files.readString(project.resolve("shared.ipynb"));
        assertTrue(!shared.contains("hunter2") && !shared.contains("horse-battery") && !shared.contains("<td>" + keyId), shared);
        JsonNode out = JSON.readTree(shared).path("cells").get(3).path("outputs");
        assertEquals("pw=<redacted>\neu-west-1\n", String.join("", JSON.convertValue(out.get(0).path("text"), String[].class)));
        assertEquals("<td><redacted></td>", out.get(1).path("data").path("text/html").asText());
        assertEquals("iVBORw0KGgo" + keyId, out.get(1).path("data").path("image/png").asText(), "images are left alone");
        assertEquals("login <redacted>", out.get(2).path("evalue").asText());
        assertEquals("java.lang.RuntimeException: login <redacted>", out.get(2).path("traceback").get(0).asText());
        assertEquals("System.out.println(System.getenv(\"DB_PASSWORD\"));\nregion",
                String.join("", JSON.convertValue(JSON.readTree(shared).path("cells").get(3).path("source"), String[].class)));
        assertEquals(JSON.readTree(project.resolve("plain.ipynb").toFile()).path("cells").get(0),
                JSON.readTree(shared).path("cells").get(0), "cells without secrets are unchanged");

        run("export", "analysis.ipynb", "--to", "html", "-o", "shared.html", "--redact");
        String page = Files.readString(project.resolve("shared.html"));
        assertTrue(!page.contains("hunter2") && !page.contains("horse-battery") && page.contains("eu-west-1"), "the HTML is redacted too");
    }

    @Test
    void exportRefusesAnUnknownFormatAndAFileThatIsNotANotebook() throws Exception {
        UserError format = assertThrows(UserError.class, () -> run("export", "analysis.ipynb", "--to", "pdf"));
        assertTrue(format.getMessage().contains("html, ipynb or md"), format.getMessage());
        Files.writeString(project.resolve("broken.ipynb"), "{\"cells\": ");
        UserError broken = assertThrows(UserError.class, () -> run("export", "broken.ipynb", "--to", "ipynb"));
        assertTrue(broken.getMessage().contains("broken.ipynb"), broken.getMessage());
        assertTrue(!Files.exists(project.resolve("broken.export.ipynb")), "nothing written");
    }

    @Test
    void dataPullNotebookBringsBackTheVersionsTheSavedNotebookUsed() throws Exception {
        Files.writeString(project.resolve("data/sales/sales.csv"), "region,amount\nnorth,10\nsouth,25\n");
        run("data", "add", "data/sales");
        assertTrue(!Files.readString(project.resolve("kiln.lock")).contains(v1), "the lock pins the new version");

        env.put("JPY_SESSION_NAME", "analysis.ipynb");
        Result r = run("data", "pull", "--notebook");
        assertTrue(r.text().startsWith("Pulled sales@" + v1.substring(0, 12)), r.text());
        assertEquals("region,amount\nnorth,10\nsouth,20\n", Files.readString(project.resolve("data/sales/sales.csv")));
        assertTrue(Files.readString(project.resolve("kiln.lock")).contains(v1));
    }

    @Test
    void envCheckNotebookComparesThisEnvironmentWithTheSavedSnapshot() throws Exception {
        env.put("JPY_SESSION_NAME", project.resolve("analysis.ipynb").toString());
        Result r = run("env", "check", "--notebook");
        assertTrue(r.text().startsWith("Environment check: identical") || r.text().startsWith("Environment check: compatible"), r.text());
        assertTrue(r.text().contains("analysis.ipynb"), r.text());

        env.remove("JPY_SESSION_NAME");
        UserError outside = assertThrows(UserError.class, () -> run("env", "check", "--notebook"));
        assertTrue(outside.getMessage().contains("JPY_SESSION_NAME"), outside.getMessage());
        env.put("JPY_SESSION_NAME", "unsaved.ipynb");
        UserError unsaved = assertThrows(UserError.class, () -> run("data", "pull", "--notebook"));
        assertTrue(unsaved.getMessage().contains("Save it first"), unsaved.getMessage());
    }

    @Test
    void envCheckNotebookReadsTheNotebookThatKilnsServerExtensionNamesAfterARename() throws Exception {
        // renamed and moved out of the kernel's folder after the kernel started as Untitled.ipynb
        Path renamed = Files.createDirectories(tmp.resolve("elsewhere")).resolve("renamed.ipynb");
        Files.move(project.resolve("analysis.ipynb"), renamed);
        Path info = tmp.resolve("kiln-notebook-kernel-1.json");
        Files.writeString(info, JSON.writeValueAsString(Map.of("path", "elsewhere/renamed.ipynb", "file", renamed.toString())));
        env.put("JPY_SESSION_NAME", project.resolve("Untitled.ipynb").toString());
        env.put(JupyterNotebook.INFO_VARIABLE, info.toString());

        Result r = run("env", "check", "--notebook");
        assertTrue(r.text().startsWith("Environment check: identical") || r.text().startsWith("Environment check: compatible"), r.text());

        Files.writeString(info, JSON.writeValueAsString(Map.of("path", "elsewhere/new.ipynb", "file", renamed.resolveSibling("new.ipynb").toString())));
        UserError unsaved = assertThrows(UserError.class, () -> run("env", "check", "--notebook"));
        assertTrue(unsaved.getMessage().contains("Save it first"), unsaved.getMessage());
    }

    @Test
    void volatileOutputsProgressBarsAndStreamPiecesAreNotDifferences() throws Exception {
        JsonNode a = JSON.readTree("""
                [{"output_type":"stream","name":"stdout","text":["rows: 3\\n"]},
                 {"output_type":"display_data","data":{"text/plain":"t=1"},"metadata":{"kiln":{"volatile":true}}},
                 {"output_type":"display_data","data":{"text/html":"<div class=\\"kiln-progress\\">1 MB/s</div>"},"metadata":{}},
                 {"output_type":"execute_result","execution_count":3,"data":{"text/plain":"42"},"metadata":{}}]""");
        JsonNode b = JSON.readTree("""
                [{"output_type":"stream","name":"stdout","text":"rows"},
                 {"output_type":"stream","name":"stdout","text":": 3\\n"},
                 {"output_type":"display_data","data":{"text/plain":"t=2"},"metadata":{"kiln":{"volatile":true}}},
                 {"output_type":"display_data","data":{"text/html":"<div class=\\"kiln-progress\\">9 MB/s</div>"},"metadata":{}},
                 {"output_type":"execute_result","execution_count":9,"data":{"text/plain":"42"},"metadata":{}}]""");
        assertNull(OutputComparison.firstDifference(OutputComparison.reduce(a), OutputComparison.reduce(b)));
        JsonNode c = JSON.readTree("""
                [{"output_type":"stream","name":"stdout","text":"rows: 3\\n"},
                 {"output_type":"execute_result","execution_count":3,"data":{"text/plain":"43"},"metadata":{}}]""");
        assertEquals("42 → 43", OutputComparison.firstDifference(OutputComparison.reduce(a), OutputComparison.reduce(c)));
    }

    @Test
    void timingLineOfTimeMagicIsNotADifferenceButTheCellsOwnOutputIs() throws Exception {
        JsonNode a = JSON.readTree("""
                [{"output_type":"stream","name":"stdout","text":"CPU time: 410 ms (the kernel's process), wall time: 1.75 s\\nsum 42\\n"}]""");
        JsonNode b = JSON.readTree("""
                [{"output_type":"stream","name":"stdout","text":"CPU time: 280 ms (the kernel's process), wall time: 677 ms\\nsum 42\\n"}]""");
        assertNull(OutputComparison.firstDifference(OutputComparison.reduce(a), OutputComparison.reduce(b)));
        JsonNode c = JSON.readTree("""
                [{"output_type":"stream","name":"stdout","text":"CPU time: 280 ms (the kernel's process), wall time: 677 ms\\nsum 43\\n"}]""");
        assertEquals("sum 42 → sum 43", OutputComparison.firstDifference(OutputComparison.reduce(a), OutputComparison.reduce(c)));
    }

    @Test
    void conversionInAnotherCloneMatchesByContentNotVersionIdOrFolder() throws Exception {
        String recorded = conversion("/home/ana/proj", "f23dcebb9bf0", "d838256006903e81", 2);
        String again = conversion("/tmp/colleague", "cd45308ec6d6", "d838256006903e81", 8);
        assertNull(OutputComparison.firstDifference(OutputComparison.reduce(JSON.readTree(recorded)),
                OutputComparison.reduce(JSON.readTree(again))));
        String otherBytes = conversion("/tmp/colleague", "cd45308ec6d6", "77aa000000000000", 2);
        assertEquals("converted → converted", OutputComparison.firstDifference(OutputComparison.reduce(JSON.readTree(recorded)),
                OutputComparison.reduce(JSON.readTree(otherBytes))));
    }

    /**
     * A notebook that converts tracked CSV and pushes the result, run again unchanged: each cell's
     * outputs compare as reproduce compares them, the push cell by the version it published.
     */
    @Test
    void aNotebookThatConvertsAndPushesRunsAgainWithoutADifference() throws Exception {
        ArrayNode recorded = JSON.createArrayNode();
        cell(recorded, "%parquet convert data/sales --to data/parquet/sales", run("parquet", "convert", "data/sales", "--to", "data/parquet/sales"), false);
        Result pushed = run("data", "push");
        cell(recorded, "%data push", pushed, false);
        ArrayNode again = JSON.createArrayNode();
        cell(again, "%parquet convert data/sales --to data/parquet/sales", run("parquet", "convert", "data/sales", "--to", "data/parquet/sales"), false);
        Result pushedAgain = run("data", "push");
        cell(again, "%data push", pushedAgain, false);

        for (int i = 0; i < recorded.size(); i++) {
            assertNull(OutputComparison.firstDifference(OutputComparison.reduce(recorded.get(i).get("outputs")),
                    OutputComparison.reduce(again.get(i).get("outputs"))), recorded.get(i).get("source").asText());
        }
        assertEquals(pushed.provenance().datasets().stream().map(d -> d.dataset() + "@" + d.version()).toList(),
                pushedAgain.provenance().datasets().stream().map(d -> d.dataset() + "@" + d.version()).toList(),
                "the same versions pushed");
    }

    /** A {@code %parquet convert} cell's output as the kernel saves it (metadata.kiln abridged). */
    private static String conversion(String project, String version, String manifest, int threads) {
        return """
                [{"output_type":"execute_result","execution_count":7,"data":{"text/plain":"converted"},"metadata":{"kiln":{
                  "command":"parquet convert",
                  "data":{"command":"parquet convert",
                          "datasets":[{"dataset":"weather-parquet","manifest":"%3$s","path":"data/parquet/weather","version":"%2$s"}],
                          "lineage":[{"dataset":"weather","version":"2cbf6b24adf5"}]},
                  "files":[{"input":"%1$s/data/raw/weather/seattle-weather.csv","output":"%1$s/data/parquet/weather/seattle-weather.parquet","rows":1461}],
                  "input":"%1$s/data/raw/weather","output":"%1$s/data/parquet/weather","rows":1461,"seconds":0.9,
                  "settings":{"codec":"zstd","threads":%4$d}}}}]""".formatted(project, version, manifest, threads);
    }

    private ObjectNode cell(ArrayNode cells, String source, Result r, boolean volatileTag) {
        ObjectNode c = cells.addObject();
        c.put("cell_type", "code");
        c.put("execution_count", cells.size());
        ObjectNode meta = c.putObject("metadata");
        if (volatileTag) {
            meta.putArray("tags").add("volatile");
        }
        c.put("source", source);
        ObjectNode out = c.putArray("outputs").addObject();
        out.put("output_type", "display_data");
        out.putObject("data").put("text/plain", r.text());
        ObjectNode om = out.putObject("metadata");
        if (!r.provenance().isEmpty()) {
            om.set("kiln", JSON.valueToTree(MimeBundle.of(r).metadata().get("kiln")));
        }
        return c;
    }

    private Result run(String... args) throws Exception {
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        return new CommandRunner(new Session(project, quiet, quiet, Progress.NONE, env, "test")).run(List.of(args));
    }
}
