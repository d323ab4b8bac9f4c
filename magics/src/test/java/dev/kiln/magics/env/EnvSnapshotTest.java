package dev.kiln.magics.env;

import dev.kiln.magics.core.Sha256;
import dev.kiln.magics.core.CanonicalJson;
import dev.kiln.magics.core.MimeBundle;
import static dev.kiln.magics.env.EnvTestSupport.everything;
import static dev.kiln.magics.env.EnvTestSupport.git;
import static dev.kiln.magics.env.EnvTestSupport.run;
import static dev.kiln.magics.env.EnvTestSupport.session;
import static dev.kiln.magics.env.EnvTestSupport.snapshotId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.magics.cli.Commands;
import dev.kiln.magics.core.JupyterNotebook;
import dev.kiln.magics.core.Result;
import dev.kiln.magics.core.Session;
import dev.kiln.magics.core.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvSnapshotTest {

    @TempDir
    Path project;

    @AfterEach
    void forgetRuntimeJars() {
        RuntimeClasspath.clear();
    }

    @Test
    void sameEnvironmentGivesSameIdAndTheStoredFileHashesToIt() throws Exception {
        // a value that needs escaping: the canonical writer and a JSON parser must agree on it
        Session s = session(project, Map.of("TZ", "UTC", "KILN_NOTE", "quote \" backslash \\ tab \t line\n é 漢 \u0001 😀"));
        String first = snapshotId(run(s, "env", "snapshot"));
        String second = snapshotId(run(s, "env", "snapshot"));

        assertEquals(first, second);
        Path stored = project.resolve(".kiln/snapshots/" + first + ".json");
        assertEquals(first, Sha256.hex(Files.readAllBytes(stored)));
        EnvSnapshot loaded = new SnapshotStore(project).load(first); // parsed back and re-hashed: same id
        assertEquals("quote \" backslash \\ tab \t line\n é 漢 \u0001 😀", loaded.environment().variables().values().get("KILN_NOTE"));
        assertEquals(2, new SnapshotStore(project).runs().size());
        assertTrue(Commands.NOTEBOOK.contains("env"));
    }

    @Test
    void snapshotRecordsJvmOsKilnAndEveryClasspathEntry() throws Exception {
        Result r = run(session(project, Map.of()), "env", "snapshot");
        EnvSnapshot s = new SnapshotStore(project).load(snapshotId(r));
        Environment e = s.environment();

        assertEquals(System.getProperty("java.version"), e.jvm().version());
        assertEquals(System.getProperty("os.arch"), e.os().arch());
        assertEquals(Runtime.getRuntime().availableProcessors(), e.os().cpus());
        assertTrue(e.os().memoryBytes() > 0);
        assertEquals(dev.kiln.magics.core.KilnVersion.get(), e.kiln().version());
        String[] cp = System.getProperty("java.class.path").split(java.io.File.pathSeparator);
        assertEquals(cp.length, e.jars().stream().filter(j -> j.source().equals("classpath")).count());
        assertTrue(e.jars().stream().allMatch(j -> j.sha256() != null && j.sha256().length() == 64));
        assertTrue(r.text().startsWith("Environment " + s.shortId()));
        assertTrue(r.html().contains(s.shortId()));
    }

    @Test
    void provenanceCarriesTheWholeSnapshotAndAnExportedNotebookCanBeComparedWithIt() throws Exception {
        Session s = session(project, Map.of("JPY_SESSION_NAME", "work/analysis.ipynb"));
        Result r = run(s, "env", "snapshot");
        String id = snapshotId(r);

        byte[] env = CanonicalJson.ENVIRONMENT.bytes(r.provenance().snapshot().environment());
        assertEquals(id, Sha256.hex(env), "provenance holds exactly the hashed environment");
        JsonNode posted = EnvTestSupport.JSON.readTree(new SnapshotStore(project).load(id).toJson()); // what the sidecar gets
        assertEquals(id, posted.get("id").asText());
        assertEquals(id, CanonicalJson.ENVIRONMENT.id(posted.get("environment")));

        // a notebook as Jupyter saves it: the output's metadata.kiln is the result's provenance
        ObjectNode nb = EnvTestSupport.JSON.createObjectNode();
        ObjectNode output = EnvTestSupport.JSON.createObjectNode();
        output.put("output_type", "display_data");
        output.set("metadata", EnvTestSupport.JSON.valueToTree(MimeBundle.of(r).metadata()));
        ObjectNode cell = EnvTestSupport.JSON.createObjectNode();
        cell.set("outputs", EnvTestSupport.JSON.createArrayNode().add(output));
        nb.set("cells", EnvTestSupport.JSON.createArrayNode().add(cell));
        Files.createDirectories(project.resolve("export"));
        Files.writeString(project.resolve("export/analysis.ipynb"), EnvTestSupport.JSON.writeValueAsString(nb));
        Files.delete(project.resolve(".kiln/snapshots/" + id + ".json"));

        Result check = run(s, "env", "check", "--against", "export/analysis.ipynb");
        assertTrue(check.text().startsWith("Environment check: identical"), check.text());
        assertEquals("identical", ((Map<?, ?>) check.provenance().report().get("envCheck")).get("level"));
    }

    @Test
    void checkSaysIdenticalCompatibleOrDiffersWithReasons() throws Exception {
        Files.writeString(project.resolve("kiln.lock"), """
                datasets:
                  climate:
                    version: v3
                    manifest: sha256:aa11
                    size: 1200
                    files: [a.csv, b.csv]
                """);
        Map<String, String> env = new HashMap<>(Map.of("TZ", "UTC"));
        run(session(project, env), "env", "snapshot");

        Result same = run(session(project, env), "env", "check");
        assertTrue(same.text().contains("identical"), same.text());

        env.put("TZ", "Europe/Berlin");
        Result compatible = run(session(project, env), "env", "check");
        assertTrue(compatible.text().startsWith("Environment check: compatible"), compatible.text());
        assertTrue(compatible.text().contains("~ TZ UTC → Europe/Berlin"), compatible.text());

        Files.writeString(project.resolve("kiln.lock"), """
                datasets:
                  climate:
                    version: v4
                    manifest: sha256:bb22
                    size: 1300
                    files: [a.csv, b.csv]
                """);
        Result differs = run(session(project, env), "env", "check");
        assertTrue(differs.text().startsWith("Environment check: differs"), differs.text());
        assertTrue(differs.text().contains("~ climate version v3 → v4"), differs.text());
        assertEquals("differs", ((Map<?, ?>) differs.provenance().report().get("envCheck")).get("level"));
        assertTrue(differs.html().contains("differs"));
    }

    @Test
    void aSnapshotNamesTheNotebookKilnsServerExtensionLastToldAndNotWhereItToldIt() throws Exception {
        Path runtime = Files.createDirectories(project.resolve("runtime"));
        Path[] infos = {runtime.resolve("kiln-notebook-kernel-1.json"), runtime.resolve("kiln-notebook-kernel-2.json")};
        for (Path info : infos) {
            Files.writeString(info, "{\"path\": \"work/renamed.ipynb\"}");
        }
        String[] ids = new String[2];
        for (int i = 0; i < 2; i++) {
            Result r = run(session(project, Map.of("JPY_SESSION_NAME", "Untitled.ipynb", JupyterNotebook.INFO_VARIABLE, infos[i].toString())),
                    "env", "snapshot");
            ids[i] = snapshotId(r);
            Environment e = new SnapshotStore(project).load(ids[i]).environment();
            assertEquals("work/renamed.ipynb", e.notebook());
            assertFalse(e.variables().values().containsKey(JupyterNotebook.INFO_VARIABLE), "where the kernel reads it is this machine's");
        }
        assertEquals(ids[0], ids[1], "two kernels of the same notebook in the same environment: one snapshot");
    }

    @Test
    void snapshotNamesPinnedVersionsByShortIdAndAFolderWithoutACommitOnce() {
        Environment e = SnapshotBytesTest.environment();
        Environment fresh = new Environment(e.format(), e.kiln(), e.jvm(), e.os(), e.image(),
                new Environment.Git(null, true, "no commit yet"), e.notebook(), e.variables(), e.jars(), e.datasets());
        assertEquals("pems@" + "a".repeat(12) + " (kiln.lock)", snapshotRows(fresh).get("Datasets"));
        assertEquals("no commit yet (uncommitted changes)", snapshotRows(fresh).get("Git"));
        assertEquals("c".repeat(12) + " — read from .git", snapshotRows(e).get("Git"));
    }

    @Test
    void aDatasetRecordedAgainWithTheSameFilesIsCompatibleAndOtherFilesDiffer() {
        Environment e = SnapshotBytesTest.environment();
        Map<String, Object> pems = new HashMap<>(e.datasets().entries().get("pems"));
        pems.put("manifest", "m".repeat(64));
        Map<String, Object> again = new HashMap<>(pems);
        again.put("version", "b".repeat(64)); // a re-run conversion: a new record of the same files
        Map<String, Object> changed = new HashMap<>(again);
        changed.put("manifest", "n".repeat(64));
        assertEquals(SnapshotDiff.Level.COMPATIBLE, SnapshotDiff.between(EnvSnapshot.of(pinning(e, pems)), EnvSnapshot.of(pinning(e, again))).level());
        assertEquals(SnapshotDiff.Level.DIFFERS, SnapshotDiff.between(EnvSnapshot.of(pinning(e, pems)), EnvSnapshot.of(pinning(e, changed))).level());
    }

    private static Environment pinning(Environment e, Map<String, Object> pems) {
        return new Environment(e.format(), e.kiln(), e.jvm(), e.os(), e.image(), e.git(), e.notebook(), e.variables(), e.jars(),
                new Environment.Datasets("kiln.lock", Map.of("pems", pems), null));
    }

    /** The rows of {@code %env snapshot}'s text ("  Git       abc…"), by their heading. */
    private static Map<String, String> snapshotRows(Environment e) {
        Map<String, String> rows = new HashMap<>();
        EnvResults.snapshot(EnvSnapshot.of(e), null, false).text().lines().skip(1).map(String::strip).filter(l -> l.contains("  "))
                .forEach(l -> rows.put(l.substring(0, l.indexOf(' ')), l.substring(l.indexOf(' ')).strip()));
        return rows;
    }

    @Test
    void htmlEscapesWhatTheEnvironmentSays() throws Exception {
        Result r = run(session(project, Map.of("JPY_SESSION_NAME", "<script>alert(1)</script>.ipynb")), "env", "snapshot");
        assertFalse(r.html().contains("<script>"), r.html());
        assertTrue(r.html().contains("&lt;script&gt;alert(1)&lt;/script&gt;.ipynb"), r.html());
    }

    @Test
    void checkComparesWithTheSnapshotThisNotebookLastTook() throws Exception {
        Session a = session(project, Map.of("JPY_SESSION_NAME", "a.ipynb", "TZ", "UTC"));
        Session b = session(project, Map.of("JPY_SESSION_NAME", "b.ipynb", "TZ", "Asia/Tokyo"));
        String idA = snapshotId(run(a, "env", "snapshot"));
        run(b, "env", "snapshot"); // the latest overall, but another notebook's

        Result check = run(a, "env", "check");
        assertTrue(check.text().startsWith("Environment check: identical"), check.text());
        assertEquals(idA, ((Map<?, ?>) check.provenance().report().get("envCheck")).get("against"));
        Result fresh = run(session(project, Map.of("JPY_SESSION_NAME", "c.ipynb", "TZ", "Asia/Tokyo")), "env", "check");
        assertTrue(fresh.text().contains("~ path b.ipynb → c.ipynb"), "a notebook without snapshots gets the latest: " + fresh.text());
    }

    @Test
    void checkWithoutAnySnapshotTellsWhatToDo() {
        UserError e = assertThrows(UserError.class, () -> run(session(project, Map.of()), "env", "check"));
        assertTrue(e.getMessage().contains("Run 'kiln env snapshot'"), e.getMessage());
        Session cell = session(project, Map.of());
        UserError inCell = assertThrows(UserError.class, () -> run(new Session(cell.projectDir(), cell.out(), cell.err(),
                cell.progress(), cell.env(), "kernel"), "env", "check"));
        assertEquals(e.getMessage().replace("'kiln env snapshot'", "'%env snapshot'"), inCell.getMessage());
    }

    @Test
    void lockFileIsReadTolerantly() throws Exception {
        Files.writeString(project.resolve("kiln.lock"), "{\"version\": 1, \"pems\": {\"versionId\": \"3f2a\", \"size\": 10}}");
        Environment.Datasets json = LockFileDatasets.read(project);
        assertEquals("3f2a", LockFileDatasets.version(json.entries().get("pems")));
        assertEquals(List.of("pems"), List.copyOf(json.entries().keySet()));

        Files.writeString(project.resolve("kiln.lock"), "datasets: [unclosed");
        Environment.Datasets broken = LockFileDatasets.read(project);
        assertNull(broken.entries());
        assertTrue(broken.error().startsWith("unreadable"), broken.error());
        Result r = run(session(project, Map.of()), "env", "snapshot");
        assertTrue(r.text().contains("kiln.lock unreadable"), r.text());
    }

    @Test
    void gitCommitAndDirtyAreRecordedWithAFallbackWhenGitIsMissing() throws Exception {
        git(project, "init", "-q");
        Files.writeString(project.resolve("analysis.txt"), "one\n");
        Files.writeString(project.resolve(".gitignore"), ".kiln/\ncache/\n");
        git(project, "add", ".");
        git(project, "commit", "-q", "-m", "first");
        String head = git(project, "rev-parse", "HEAD");

        Environment.Git clean = new EnvironmentRecorder(session(project, Map.of())).record().environment().git();
        assertEquals(head, clean.commit());
        assertEquals(Boolean.FALSE, clean.dirty());

        Files.writeString(project.resolve("analysis.txt"), "two\n");
        Environment.Git dirty = new EnvironmentRecorder(session(project, Map.of())).record().environment().git();
        assertEquals(Boolean.TRUE, dirty.dirty());

        git(project, "pack-refs", "--all");
        Environment.Git noCli = new EnvironmentRecorder(session(project, Map.of("KILN_GIT", project.resolve("no-such-git").toString())))
                .record().environment().git();
        assertEquals(head, noCli.commit(), "commit read from packed refs in .git");
        assertNull(noCli.dirty());
        assertTrue(noCli.note().contains("git CLI not found"), noCli.note());

        Environment.Git outside = GitState.read(Files.createTempDirectory("no-repo"), "git");
        assertNull(outside.commit());
    }

    @Test
    void runtimeJarsAreListedWithCoordinatesAndRestoreRebuildsThem() throws Exception {
        Path extra = EnvTestSupport.jar(project.resolve("libs"), "org.example", "extra", "1.0", "payload");
        Path plain = EnvTestSupport.jar(project.resolve("libs"), "org.example", "plain", "2.0", "payload");
        RuntimeClasspath.add(extra, "org.example:extra:1.0");
        RuntimeClasspath.add(plain, null);
        Session s = session(project, Map.of("KILN_IMAGE", "ghcr.io/kiln/kiln:0.1", "KILN_IMAGE_DIGEST",
                "sha256:" + "ab".repeat(32)));
        String id = snapshotId(run(s, "env", "snapshot"));
        Environment e = new SnapshotStore(project).load(id).environment();
        Environment.Jar x = e.jars().stream().filter(j -> j.name().equals("extra-1.0.jar")).findFirst().orElseThrow();
        assertEquals("runtime", x.source());
        assertEquals("org.example:extra:1.0", x.coordinates());
        Environment.Jar p = e.jars().stream().filter(j -> j.name().equals("plain-2.0.jar")).findFirst().orElseThrow();
        assertEquals("org.example:plain:2.0", p.coordinates(), "coordinates read from the jar's pom.properties");

        Result restore = run(s, "env", "restore", id.substring(0, 8), "--write", "rebuild");
        assertTrue(restore.text().contains("%maven org.example:extra:1.0"), restore.text());
        assertTrue(restore.text().contains("%maven org.example:plain:2.0"), restore.text());
        assertTrue(restore.text().contains("ghcr.io/kiln/kiln@sha256:abab"), restore.text());
        assertTrue(restore.text().contains("<artifactId>extra</artifactId>"), restore.text());
        assertTrue(restore.html().contains("%maven org.example:extra:1.0"));
        assertEquals("%maven org.example:extra:1.0\n%maven org.example:plain:2.0\n",
                Files.readString(project.resolve("rebuild/maven.txt")));
        assertTrue(Files.readString(project.resolve("rebuild/pom-dependencies.xml")).contains("<groupId>org.example</groupId>"));
        assertEquals("ghcr.io/kiln/kiln@sha256:" + "ab".repeat(32) + "\n", Files.readString(project.resolve("rebuild/image.txt")));
        assertEquals(id, Sha256.hex(Files.readAllBytes(project.resolve("rebuild/" + id + ".json"))));

        RuntimeClasspath.clear();
        Result diff = run(s, "env", "diff", id);
        assertTrue(diff.text().contains("- extra-1.0.jar (org.example:extra:1.0)"), diff.text());
    }

    @Test
    void idPrefixesResolveAndBadOrAmbiguousOnesAreExplained() throws Exception {
        String id = snapshotId(run(session(project, Map.of()), "env", "snapshot"));
        assertEquals(id, new SnapshotStore(project).load(id.substring(0, 6)).id());
        assertEquals(id, new SnapshotStore(project).load(id.substring(0, 6).toUpperCase()).id());

        Path dir = project.resolve(".kiln/snapshots");
        Files.writeString(dir.resolve("abcd" + "0".repeat(60) + ".json"), "{}");
        Files.writeString(dir.resolve("abcd" + "1".repeat(60) + ".json"), "{}");
        UserError ambiguous = assertThrows(UserError.class, () -> run(session(project, Map.of()), "env", "diff", "abcd"));
        assertTrue(ambiguous.getMessage().contains("ambiguous"), ambiguous.getMessage());
        UserError missing = assertThrows(UserError.class, () -> run(session(project, Map.of()), "env", "restore", "fedcba"));
        assertTrue(missing.getMessage().contains("No snapshot with id fedcba"), missing.getMessage());
        UserError notId = assertThrows(UserError.class, () -> run(session(project, Map.of()), "env", "restore", "latest"));
        assertTrue(notId.getMessage().contains("neither a snapshot id"), notId.getMessage());
    }

    @Test
    void anEditedSnapshotIsRejected() throws Exception {
        String id = snapshotId(run(session(project, Map.of()), "env", "snapshot"));
        Path file = project.resolve(".kiln/snapshots/" + id + ".json");
        JsonNode tree = EnvTestSupport.JSON.readTree(file.toFile());
        ((ObjectNode) tree.get("jvm")).put("version", "99");
        Files.writeString(file, EnvTestSupport.JSON.writeValueAsString(tree));
        UserError e = assertThrows(UserError.class, () -> run(session(project, Map.of()), "env", "restore", id));
        assertTrue(e.getMessage().contains("was changed after it was recorded"), e.getMessage());
    }

    @Test
    void aDamagedHashCacheIsRebuiltAndAChangedJarIsRehashed() throws Exception {
        Path cache = project.resolve("cache");
        Path lib = EnvTestSupport.jar(project.resolve("libs"), "org.example", "lib", "1.0", "first");
        JarInspector inspector = new JarInspector(cache);
        String before = inspector.inspect(lib).sha256();
        inspector.save();
        assertTrue(Files.readString(cache.resolve("jar-hashes.tsv")).contains(before));

        String header = Files.readAllLines(cache.resolve("jar-hashes.tsv")).get(0);
        Files.writeString(cache.resolve("jar-hashes.tsv"), header + "\n" + lib + "\tnot-a-size\t1\tx\t" + "0".repeat(64) + "\t\n");
        assertEquals(before, new JarInspector(cache).inspect(lib).sha256());

        EnvTestSupport.jar(project.resolve("libs"), "org.example", "lib", "1.0", "second, longer");
        JarInspector fresh = new JarInspector(cache);
        String after = fresh.inspect(lib).sha256();
        assertNotEquals(before, after);
        assertEquals(JarInspector.sha256(lib), after);
    }

    @Test
    void everySubcommandHasHelp() throws Exception {
        for (String sub : List.of("snapshot", "diff", "check", "restore", "list")) {
            Result r = run(session(project, Map.of()), "env", sub, "--help");
            assertTrue(r.text().contains("Usage: kiln env " + sub), r.text());
        }
        assertFalse(run(session(project, Map.of()), "env", "list").text().isBlank());
    }

}
