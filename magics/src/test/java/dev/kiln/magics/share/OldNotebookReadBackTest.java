package dev.kiln.magics.share;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.kiln.magics.core.Provenance;
import dev.kiln.magics.core.Provenance.DatasetVersion;
import dev.kiln.magics.core.ProvenanceJson;
import dev.kiln.magics.env.EnvSnapshot;
import dev.kiln.magics.env.SnapshotStore;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A notebook whose outputs were written before provenance had a type of its own (by the code that
 * wrote MetadataKilnGoldenTest's golden files) reads back: each output's {@code metadata.kiln}
 * becomes the {@link Provenance} it describes, writes back as the same JSON, and the notebook
 * still gives its datasets, its snapshot and an output comparison with itself.
 */
class OldNotebookReadBackTest {

    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();
    private static final String ID = "[0-9a-f]{64}";
    private static JsonNode notebook;
    private static final List<JsonNode> kiln = new ArrayList<>();

    @TempDir
    Path tmp;

    @BeforeAll
    static void read() throws Exception {
        try (InputStream in = OldNotebookReadBackTest.class.getResourceAsStream("/notebooks/outputs-before-provenance-type.ipynb")) {
            notebook = JSON.readTree(in);
        }
        for (JsonNode cell : notebook.path("cells")) {
            kiln.add(cell.path("outputs").path(0).path("metadata").path("kiln"));
        }
        assertEquals(16, kiln.size(), "one output per kind of metadata.kiln");
    }

    private static Provenance p(int output) {
        return ProvenanceJson.read(kiln.get(output));
    }

    @Test
    void everyOutputWritesBackAsTheJsonItWasReadFrom() throws Exception {
        for (JsonNode k : kiln) {
            Map<String, Object> written = ProvenanceJson.write(ProvenanceJson.read(k));
            assertEquals(JSON.writeValueAsString(JSON.treeToValue(k, Object.class)), JSON.writeValueAsString(written));
        }
    }

    @Test
    void dataOutputsGiveTheirCommandAndVersions() {
        Provenance add = p(0);
        assertEquals("data add", add.command());
        DatasetVersion added = add.datasets().get(0);
        assertEquals("climate", added.dataset());
        assertTrue(added.version().matches(ID) && added.manifest().matches(ID), added.toString());
        assertEquals("data/raw/climate", added.path());
        assertNull(added.subpath());
        assertNull(added.record(), "a notebook carries no version records");

        Provenance push = p(1);
        assertEquals("data push", push.command());
        assertEquals(added.version(), push.datasets().get(0).version());
        assertNull(push.datasets().get(0).manifest());

        DatasetVersion part = p(2).datasets().get(0);
        assertEquals("data pull", p(2).command());
        assertEquals("jan.csv", part.subpath());
        assertEquals("data/jan", part.path());
        assertEquals("climate@" + added.version(), part.spec());

        assertEquals("data status", p(3).command());
        assertEquals("data diff", p(4).command());
        assertEquals(List.of(), p(4).datasets());
    }

    @Test
    void aConversionGivesItsSettingsItsVersionAndItsLineage() {
        Provenance tracked = p(5);
        assertEquals("parquet convert", tracked.command());
        assertEquals("snappy", tracked.settings().get("codec"));
        assertEquals(List.of("station", "tmax"), tracked.settings().get("columns"));
        assertEquals("climate-parquet", tracked.datasets().get(0).dataset());
        assertEquals("climate", tracked.lineage().get(0).dataset());
        assertTrue(tracked.lineage().get(0).version().matches(ID));
        assertEquals(4, tracked.report().get("rows"));
        assertEquals(3, ((List<?>) tracked.report().get("files")).size());
        assertNull(tracked.warning());

        Provenance warned = p(6);
        assertEquals(List.of(), warned.datasets());
        assertTrue(warned.warning().startsWith("'out/kept' overlaps dataset 'inner'"), warned.warning());

        assertEquals("parquet show", p(7).command());
        assertEquals(4, p(7).report().get("rows"));
    }

    @Test
    void environmentExportReproduceMavenAndVolatileOutputsGiveTheirCommand() {
        assertEquals("env diff", p(8).command());
        assertEquals("identical", ((Map<?, ?>) p(8).report().get("envDiff")).get("level"));
        assertEquals("env check", p(9).command());
        assertEquals("env restore", p(10).command());
        assertTrue(((String) p(10).report().get("envRestore")).matches(ID));
        assertEquals("export", p(11).command());
        assertEquals(0, ((Map<?, ?>) p(11).report().get("export")).get("secretsFound"));
        assertEquals("reproduce", p(12).command());
        assertEquals(false, ((Map<?, ?>) p(12).report().get("reproduce")).get("matches"));
        assertEquals("maven", p(14).command());
        assertEquals(List.of("g:a:1.0"), p(14).report().get("maven"));
        assertTrue(p(15).isVolatile());
        for (int i = 0; i < 15; i++) {
            assertFalse(p(i).isVolatile(), "output " + i);
        }
    }

    @Test
    void aSnapshotReadsBackWithTheEnvironmentItsIdHashes() {
        Provenance snap = p(13);
        assertEquals("env snapshot", snap.command());
        assertEquals("37096590fdef15dccafc8abba11ea1189b67750872bdb82cf183da442d8a319e", snap.snapshot().id());
        assertEquals(snap.snapshot().id(), EnvSnapshot.of(snap.snapshot()).id());
        assertEquals("work/ä.ipynb", snap.snapshot().environment().get("notebook"));
    }

    @Test
    void theNotebookGivesItsDatasetsItsSnapshotAndMatchesItself() throws Exception {
        NotebookProvenance np = NotebookProvenance.of(notebook, NotebookProvenance.DEFAULT_VOLATILE_TAG);
        assertEquals(List.of(0, 2, 5), np.datasets().stream().map(NotebookProvenance.DatasetUse::cell).toList(),
                "add, pull and a conversion (its input) use versions; push, status and diff only name them");
        assertEquals(List.of(5, 6), np.conversions().stream().map(RecordedConversion::cell).toList(), "the old conversions read back");
        assertEquals("climate-parquet", np.conversions().get(0).output().dataset());
        assertNull(np.conversions().get(1).output(), "one whose output was not versioned: its files' hashes only");
        assertEquals(1, np.conversions().get(1).files().size());
        assertEquals("jan.csv", np.lastVersions().get("climate/jan.csv").subpath());
        assertEquals("37096590fdef15dccafc8abba11ea1189b67750872bdb82cf183da442d8a319e", np.envSnapshot().id());

        for (JsonNode cell : notebook.path("cells")) {
            List<OutputComparison.Comparable> outputs = OutputComparison.reduce(cell.path("outputs"));
            assertEquals(null, OutputComparison.firstDifference(outputs, OutputComparison.reduce(cell.path("outputs"))));
        }
        assertEquals(List.of(), OutputComparison.reduce(notebook.path("cells").path(15).path("outputs")), "a volatile output is not compared");
        assertEquals("datasets:climate@" + p(2).datasets().get(0).version() + "/jan.csv;",
                OutputComparison.reduce(notebook.path("cells").path(2).path("outputs")).get(0).key());

        Path copy = tmp.resolve("old.ipynb");
        Files.writeString(copy, JSON.writeValueAsString(notebook));
        assertEquals(np.envSnapshot().id(), new SnapshotStore(tmp).load(copy.toString()).id());
    }
}
