package dev.kiln.magics.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.kiln.magics.core.MimeBundle;
import dev.kiln.magics.core.Progress;
import dev.kiln.magics.core.Result;
import dev.kiln.magics.core.Session;
import dev.kiln.magics.record.ProvenanceRecords;
import dev.kiln.magics.share.Reproduction;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every command leaves in a notebook output's {@code metadata.kiln} (and, for the commands
 * whose rendering is not machine-dependent, its text and HTML), and what it records for the
 * sidecar, compared with golden files written by earlier versions: notebooks that carry this JSON
 * exist and must still read, reproduce and compare. Volatile values are normalised explicitly
 * (see {@link Normaliser}); JSON objects compare without regard to key order, which a saved
 * notebook does not keep (nbformat sorts keys) and which some commands never fixed.
 * <p>
 * {@code -Dkiln.golden.update=true} rewrites the golden files from the code under test.
 */
class MetadataKilnGoldenTest {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).enable(SerializationFeature.INDENT_OUTPUT).build();
    private static final Path GOLDEN_SOURCES = Path.of("src/test/resources/metadata-kiln");
    private static final boolean UPDATE = Boolean.getBoolean("kiln.golden.update");

    @TempDir
    Path junitTmp;

    /**
     * The scenario's root, a path of the same length on every run: a conversion keeps its settings
     * (the bad-rows file's path among them) in the Parquet footer, so the output's size depends on it.
     */
    private Path tmp;

    /** A command's output as the kernel shows it: its bundle, and whether its rendering is compared. */
    private record Output(MimeBundle bundle, boolean rendering) {
    }

    private final Map<String, Output> outputs = new LinkedHashMap<>();
    private final Map<String, JsonNode> extra = new LinkedHashMap<>();

    private Session session(Path project, Map<String, String> env) {
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        return new Session(project, quiet, quiet, Progress.NONE, env, "test");
    }

    /** Runs a command line as the CLI does: its provenance recorded for the sidecar (spooled: none is up). */
    private Result run(Path project, Map<String, String> env, String line) throws Exception {
        Session session = session(project, env);
        ProvenanceRecords records = new ProvenanceRecords(session);
        return new CommandRunner(session, r -> records.record(r.provenance())).run(Args.split(line));
    }

    private void keep(String name, Result r, boolean rendering) {
        outputs.put(name, new Output(MimeBundle.of(r), rendering));
    }

    private Map<String, String> env(String project) {
        Map<String, String> env = new HashMap<>();
        env.put("KILN_CACHE_DIR", tmp.resolve(project + "-cache").toString());
        env.put("KILN_SIDECAR_FILE", tmp.resolve("no-sidecar.json").toString()); // records stay in the spool
        env.put("USER", "tester");
        env.put("LANG", "C.UTF-8");
        return env;
    }

    /** Every command once (and some twice), on three projects sharing a directory remote. */
    private void runEveryCommand() throws Exception {
        tmp = Files.createDirectories(junitTmp.resolve("r".repeat(Math.max(1, 80 - junitTmp.toString().length()))));
        Path alice = Files.createDirectories(tmp.resolve("alice"));
        Path bob = Files.createDirectories(tmp.resolve("bob"));
        Path carol = Files.createDirectories(tmp.resolve("carol"));
        Map<String, String> a = env("alice");
        Map<String, String> b = env("bob");
        Map<String, String> c = env("carol");
        String remote = tmp.resolve("remote").toString();

        keep("data-remote-add", run(alice, a, "data remote add shared " + remote), true);
        keep("data-remote-list", run(alice, a, "data remote list"), true);
        write(alice, "data/raw/climate/jan.csv", "station,date,tmax\nA,2024-01-01,3.5\nB,2024-01-01,4.0\n");
        write(alice, "data/raw/climate/feb.csv", "station,date,tmax\nA,2024-02-01,5.5\n");
        keep("data-add", run(alice, a, "data add data/raw/climate -m \"Jan and Feb, Zürich\""), true);
        keep("data-add-unchanged", run(alice, a, "data add data/raw/climate"), true);
        keep("data-push", run(alice, a, "data push"), true);
        keep("data-push-up-to-date", run(alice, a, "data push"), true);
        keep("data-tag", run(alice, a, "data tag climate v1"), true);
        write(alice, "data/raw/climate/mar.csv", "station,date,tmax\nA,2024-03-01,9.5\n");
        write(alice, "data/raw/climate/jan.csv", "station,date,tmax\nA,2024-01-01,3.5\nB,2024-01-01,4.5\n");
        run(alice, a, "data add data/raw/climate -m March");
        keep("data-push-tagged", run(alice, a, "data push --tag v2"), true);
        write(alice, "data/raw/climate/feb.csv", "station,date,tmax\n");
        keep("data-status", run(alice, a, "data status"), true);
        keep("data-version", run(alice, a, "data version climate"), true);
        keep("data-diff", run(alice, a, "data diff climate@v1 climate@v2"), true);
        keep("data-diff-workspace", run(alice, a, "data diff climate@v2"), true);

        Files.copy(alice.resolve("kiln.lock"), bob.resolve("kiln.lock"));
        run(bob, b, "data remote add shared " + remote);
        keep("data-pull-all", run(bob, b, "data pull"), true);
        keep("data-checkout", run(bob, b, "data checkout climate@v1"), true);
        run(carol, c, "data remote add shared " + remote);
        keep("data-pull-subpath", run(carol, c, "data pull climate@v1/jan.csv --to data/jan"), true);

        run(alice, a, "data checkout climate@v2 --force");
        keep("parquet-convert-tracked", run(alice, a,
                "parquet convert data/raw/climate --to data/parquet/climate --threads 2 --codec snappy --columns station,tmax"), true);
        keep("parquet-convert-unchanged", run(alice, a,
                "parquet convert data/raw/climate --to data/parquet/climate --threads 2 --codec snappy --columns station,tmax"), true);
        write(alice, "loose.csv", "name;score;note\nx;1;NA\ny;2.5;z\nbad\n");
        keep("parquet-convert-untracked", run(alice, a, "parquet convert loose.csv --threads 1 --delimiter ; --null NA"
                + " --sample-rows 1 --rename note=remark --type name=string --bad-rows rejects.csv --data-page v1 --encoding latin1"), true);
        Files.write(alice.resolve("mixed.csv"), new byte[] {'a', '\n', 'x', (byte) 0xff, 'y', '\n'});
        keep("parquet-convert-replaced", run(alice, a, "parquet convert mixed.csv --threads 1 --encoding utf-8:replace"), true);
        write(alice, "out/kept/inner/x.csv", "a\n1\n");
        run(alice, a, "data add out/kept/inner");
        write(alice, "tracked/in.csv", "a\n1\n");
        run(alice, a, "data add tracked");
        keep("parquet-convert-warning", run(alice, a, "parquet convert tracked/in.csv --to out/kept/in.parquet --threads 1"), true);
        keep("parquet-show", run(alice, a, "parquet show data/parquet/climate"), true);

        Result snapshot = run(alice, a, "env snapshot");
        keep("env-snapshot", snapshot, false);
        keep("env-snapshot-json", run(alice, a, "env snapshot --json --no-store"), false);
        String id = snapshotId(alice);
        keep("env-list", run(alice, a, "env list"), false);
        keep("env-diff", run(alice, a, "env diff " + id), false);
        keep("env-check", run(alice, a, "env check"), false);
        keep("env-restore", run(alice, a, "env restore " + id), false);

        ObjectNode nb = notebook(List.of(outputs.get("data-pull-all").bundle(), outputs.get("env-snapshot").bundle()));
        Files.writeString(bob.resolve("analysis.ipynb"), JSON.writeValueAsString(nb));
        keep("export", run(bob, b, "export analysis.ipynb --to ipynb -o shared.ipynb"), true);
        extra.put("export-notebook-metadata", JSON.readTree(bob.resolve("shared.ipynb").toFile()).path("metadata").path("kiln"));
        Map<String, String> inNotebook = new HashMap<>(b);
        inNotebook.put("JPY_SESSION_NAME", "analysis.ipynb");
        keep("data-pull-notebook", run(bob, inNotebook, "data pull --notebook"), true);
        keep("env-check-notebook", run(bob, inNotebook, "env check --notebook"), false);

        Reproduction reproduction = new Reproduction("analysis.ipynb", "analysis.reproduced.ipynb", null, "differs",
                List.of(new Reproduction.Difference("datasets", "climate", "a".repeat(12), "b".repeat(12))),
                List.of("the image was not recorded"),
                List.of(new Reproduction.Cell(0, 1, Reproduction.Verdict.MATCH, "%data pull climate", null),
                        new Reproduction.Cell(1, 2, Reproduction.Verdict.DIFFERS, "1 + 1", "2 → 3"),
                        new Reproduction.Cell(2, 3, Reproduction.Verdict.VOLATILE, "System.nanoTime()", null)));
        keep("reproduce", Result.of(reproduction.text(), reproduction.html(), reproduction.provenance()), true);

        extra.put("spool-alice", spool(alice));
        extra.put("spool-bob", spool(bob));
        writeOldNotebookOnce();
    }

    /**
     * The notebook {@code ProvenanceReadBackTest} reads: outputs as this version of Kiln wrote them,
     * written once and kept (a later version must read it, not rewrite it).
     */
    private void writeOldNotebookOnce() throws IOException {
        Path file = Path.of("src/test/resources/notebooks/outputs-before-provenance-type.ipynb");
        if (!UPDATE || Files.exists(file)) {
            return;
        }
        List<MimeBundle> bundles = new ArrayList<>();
        for (String name : List.of("data-add", "data-push", "data-pull-subpath", "data-status", "data-diff",
                "parquet-convert-tracked", "parquet-convert-warning", "parquet-show", "env-diff", "env-check", "env-restore",
                "export", "reproduce")) {
            MimeBundle b = outputs.get(name).bundle();
            // what is read back is the metadata; the text's first line is enough to tell the outputs apart
            String firstLine = String.valueOf(b.data().get("text/plain")).lines().findFirst().orElse("");
            bundles.add(new MimeBundle(Map.of("text/plain", firstLine), b.metadata()));
        }
        bundles.add(MimeBundle.of(dev.kiln.magics.env.EnvResults.snapshot(
                dev.kiln.magics.env.EnvSnapshot.of(dev.kiln.magics.env.SnapshotBytesTest.environment()), null, false)));
        bundles.add(new MimeBundle(Map.of("text/plain", "Added 1 jar to the class path:\n  g:a:1.0"),
                Map.of("kiln", Map.of("maven", List.of("g:a:1.0")))));
        bundles.add(new MimeBundle(Map.of("text/plain", "t=1"), Map.of("kiln", Map.of("volatile", true))));
        Files.createDirectories(file.getParent());
        Files.writeString(file, JSON.writeValueAsString(JSON.treeToValue(notebook(bundles), Object.class)) + "\n");
    }

    @TestFactory
    Stream<DynamicTest> everyCommandWritesTheMetadataKilnItAlwaysWrote() throws Exception {
        runEveryCommand();
        List<DynamicTest> tests = new ArrayList<>();
        Normaliser paths = new Normaliser(tmp);
        outputs.forEach((name, out) -> tests.add(DynamicTest.dynamicTest(name, () -> compare(name, actual(out, paths)))));
        extra.forEach((name, node) -> tests.add(DynamicTest.dynamicTest(name, () -> compare(name, paths.fresh().json(node)))));
        return tests.stream();
    }

    /** The output's metadata, and its text and HTML when they are compared, normalised. */
    private ObjectNode actual(Output out, Normaliser paths) throws IOException {
        Normaliser n = paths.fresh();
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        JsonNode kiln = JSON.valueToTree(out.bundle().metadata()).path("kiln");
        o.set("kiln", kiln.isMissingNode() ? JsonNodeFactory.instance.nullNode() : n.json(kiln));
        if (out.rendering()) {
            o.put("text", n.text(String.valueOf(out.bundle().data().get("text/plain"))));
            Object html = out.bundle().data().get("text/html");
            o.put("html", html == null ? null : n.text(String.valueOf(html)));
        }
        return o;
    }

    private void compare(String name, JsonNode actual) throws IOException {
        String file = name + ".json";
        if (UPDATE) {
            Files.createDirectories(GOLDEN_SOURCES);
            Files.writeString(GOLDEN_SOURCES.resolve(file), pretty(actual) + "\n");
            return;
        }
        try (InputStream in = MetadataKilnGoldenTest.class.getResourceAsStream("/metadata-kiln/" + file)) {
            assertTrue(in != null, "no golden file metadata-kiln/" + file + ": run with -Dkiln.golden.update=true and review it");
            JsonNode golden = JSON.readTree(in);
            assertEquals(pretty(golden), pretty(actual), name);
        }
    }

    /** Indented, with every object's keys sorted: equal trees print equal. */
    private static String pretty(JsonNode n) throws IOException {
        return JSON.writeValueAsString(JSON.treeToValue(n, Object.class));
    }

    // ---------------------------------------------------------------- the scenario's pieces

    private static void write(Path project, String path, String content) throws IOException {
        Path p = project.resolve(path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    private static String snapshotId(Path project) throws IOException {
        try (Stream<Path> files = Files.list(project.resolve(".kiln/snapshots"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json") && n.length() == 69)
                    .findFirst().orElseThrow().substring(0, 64);
        }
    }

    /** A notebook of one code cell per bundle, each output as the kernel sent it. */
    private static ObjectNode notebook(List<MimeBundle> bundles) {
        ObjectNode nb = JsonNodeFactory.instance.objectNode();
        ArrayNode cells = nb.putArray("cells");
        for (MimeBundle b : bundles) {
            ObjectNode cell = cells.addObject();
            cell.put("cell_type", "code").put("execution_count", cells.size()).put("source", "%magic");
            cell.putObject("metadata");
            ObjectNode out = cell.putArray("outputs").addObject();
            out.put("output_type", "display_data");
            out.set("data", JSON.valueToTree(b.data()));
            out.set("metadata", JSON.valueToTree(b.metadata()));
        }
        nb.putObject("metadata");
        nb.put("nbformat", 4).put("nbformat_minor", 4);
        return nb;
    }

    /** The records waiting for the sidecar, oldest first. */
    private static JsonNode spool(Path project) throws IOException {
        ArrayNode records = JsonNodeFactory.instance.arrayNode();
        try (Stream<Path> files = Files.list(project.resolve(".kiln/spool"))) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList()) {
                String kind = f.getFileName().toString().replaceAll("^.*\\.(\\w+)\\.json$", "$1");
                ObjectNode r = records.addObject();
                r.put("kind", kind);
                r.set("record", JSON.readTree(f.toFile()));
            }
        }
        return records;
    }

    /**
     * Replaces what changes from run to run, and only that: the temporary directory ({@code $TMP}),
     * ids (SHA-256: version ids hash a time, snapshot ids the machine; {@code $ID1}, {@code $ID2}…
     * in order of first appearance, a 12-digit short id as its full id's name), times
     * ({@code $TIME}), a conversion's seconds and speed, Kiln's own version, and an environment
     * (checked to hash to its snapshot's id first).
     */
    static final class Normaliser {
        private static final Pattern LONG_ID = Pattern.compile("\\b[0-9a-f]{64}\\b");
        private static final Pattern SHORT_ID = Pattern.compile("\\b[0-9a-f]{12}\\b");
        private static final Pattern TIME = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
        private static final Pattern RATE = Pattern.compile("\\d+\\.\\d\\d s(, converted at \\d+(\\.\\d)? (B|KiB|MiB|GiB)/s)?");

        private final Path tmp;
        private final Map<String, String> ids = new LinkedHashMap<>();

        Normaliser(Path tmp) {
            this.tmp = tmp;
        }

        Normaliser fresh() {
            return new Normaliser(tmp);
        }

        String text(String s) {
            String t = s.replace(tmp.toString(), "$TMP").replace(dev.kiln.magics.core.KilnVersion.get(), "$KILN");
            t = replace(LONG_ID, t, this::id);
            t = replace(SHORT_ID, t, this::shortId);
            t = replace(TIME, t, m -> "$TIME");
            return replace(RATE, t, m -> m.group(1) == null ? "$SECONDS s" : "$SECONDS s, converted at $RATE");
        }

        JsonNode json(JsonNode n) throws IOException {
            if (n.isObject()) {
                ObjectNode o = JsonNodeFactory.instance.objectNode();
                Map<String, JsonNode> sorted = new TreeMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    sorted.put(e.getKey(), e.getValue());
                }
                for (Map.Entry<String, JsonNode> e : sorted.entrySet()) {
                    if (e.getKey().equals("environment") && e.getValue().isObject() && sorted.get("id") != null) {
                        checkEnvironment(sorted.get("id").asText(), e.getValue());
                        o.put(e.getKey(), "$ENVIRONMENT");
                    } else if (e.getKey().equals("seconds") && e.getValue().isNumber()) {
                        o.put(e.getKey(), 0);
                    } else {
                        o.set(e.getKey(), json(e.getValue()));
                    }
                }
                return o;
            }
            if (n.isArray()) {
                ArrayNode a = JsonNodeFactory.instance.arrayNode();
                for (JsonNode x : n) {
                    a.add(json(x));
                }
                return a;
            }
            return n.isTextual() ? TextNode.valueOf(text(n.asText())) : n;
        }

        /** An environment is replaced only after it is shown to be exactly what its id hashes. */
        private void checkEnvironment(String id, JsonNode environment) throws IOException {
            Path stored = Files.walk(tmp).filter(p -> p.getFileName().toString().equals(id + ".json")).findFirst().orElse(null);
            if (stored != null) {
                assertTrue(canonical(JSON.readTree(stored.toFile())).equals(canonical(environment)),
                        "the environment recorded is the stored snapshot " + id);
            }
            assertTrue(id.equals(sha256(canonical(environment))), "the environment hashes to its id " + id);
        }

        private String id(Matcher m) {
            return ids.computeIfAbsent(m.group(), k -> "$ID" + (ids.size() + 1));
        }

        private String shortId(Matcher m) {
            for (Map.Entry<String, String> e : ids.entrySet()) {
                if (e.getKey().startsWith(m.group())) {
                    return e.getValue() + ":12";
                }
            }
            return ids.computeIfAbsent(m.group(), k -> "$ID" + (ids.size() + 1)) + ":12";
        }

        private static String replace(Pattern p, String s, java.util.function.Function<Matcher, String> with) {
            Matcher m = p.matcher(s);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(out, Matcher.quoteReplacement(with.apply(m)));
            }
            return m.appendTail(out).toString();
        }
    }

    /** A snapshot's canonical form, written here by hand so the check does not lean on the code under test. */
    static String canonical(JsonNode n) {
        StringBuilder b = new StringBuilder();
        if (n.isObject()) {
            Map<String, JsonNode> sorted = new TreeMap<>();
            n.fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue()));
            b.append('{');
            sorted.entrySet().removeIf(e -> e.getValue().isNull());
            int i = 0;
            for (Map.Entry<String, JsonNode> e : sorted.entrySet()) {
                b.append(i++ > 0 ? "," : "").append(TextNode.valueOf(e.getKey()).toString()).append(':').append(canonical(e.getValue()));
            }
            return b.append('}').toString();
        }
        if (n.isArray()) {
            b.append('[');
            for (int i = 0; i < n.size(); i++) {
                b.append(i > 0 ? "," : "").append(canonical(n.get(i)));
            }
            return b.append(']').toString();
        }
        if (n.isTextual()) {
            StringBuilder q = new StringBuilder("\"");
            for (char ch : n.asText().toCharArray()) {
                switch (ch) {
                    case '"' -> q.append("\\\"");
                    case '\\' -> q.append("\\\\");
                    case '\b' -> q.append("\\b");
                    case '\f' -> q.append("\\f");
                    case '\n' -> q.append("\\n");
                    case '\r' -> q.append("\\r");
                    case '\t' -> q.append("\\t");
                    default -> q.append(ch < 0x20 ? String.format("\\u%04x", (int) ch) : String.valueOf(ch));
                }
            }
            return q.append('"').toString();
        }
        return n.toString();
    }

    static String sha256(String s) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
