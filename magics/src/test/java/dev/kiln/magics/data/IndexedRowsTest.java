package dev.kiln.magics.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.magics.core.VersionRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A version's rows as add counted them into the cache's object indexes: summed over its tables, or unknown. */
@Timeout(120)
class IndexedRowsTest {

    /** Two records, one of them with a line break inside a quoted field. */
    static final String CSV_2013 = "date,note\n2013-01-01,\"rain,\nthen sun\"\n2013-01-02,dry\n";

    @TempDir
    Path tmp;

    private DataProjects.Project project(String name) throws Exception {
        return new DataProjects(tmp, Map.of()).project(name);
    }

    /** The record of the version kiln.lock pins for {@code dataset}. */
    private static VersionRecord pinned(DataProjects.Project p, String dataset) {
        String id = LockFile.read(p.dir()).datasets().get(dataset).version();
        return new Cache(p.cache()).version(dataset, id).orElseThrow();
    }

    /** Where the cache keeps the index of {@code file} of the pinned version. */
    private static Path indexOf(DataProjects.Project p, String dataset, String file) {
        Cache cache = new Cache(p.cache());
        String sha = cache.manifest(pinned(p, dataset).manifest()).orElseThrow().byPath().get(file).sha256();
        return p.cache().resolve(RemoteLayout.objectIndex(sha));
    }

    /** Replaces a cached file behind Kiln's back (the cache's files are read-only). */
    private static void replace(Path f, byte[] content) throws Exception {
        Files.delete(f);
        Files.write(f, content);
    }

    @Test
    void theRowsOfAVersionsCsvAndParquetFilesAreSummedAndATsvLeavesThemUnknown() throws Exception {
        DataProjects.Project p = project("a");
        p.write("raw/weather.csv", "date,temp_max\n2012-01-01,12.8\n2012-01-02,10.6\n2012-01-03,11.7\n2012-01-04,12.2\n2012-01-05,8.9\n");
        p.run("parquet convert raw/weather.csv --to data/weather/2012.parquet");
        p.write("data/weather/2013.csv", CSV_2013);
        p.write("data/weather/README.md", "daily weather, Seattle\n");
        p.run("data add data/weather -m \"two years\"");
        Cache cache = new Cache(p.cache());
        VersionRecord v = pinned(p, "weather");
        assertEquals(3, v.files());
        assertEquals(7L, IndexedRows.of(cache, v), "5 rows in the Parquet footer, 2 CSV records; the README is no table");

        VersionRecord many = new VersionRecord(v.dataset(), v.parent(), v.manifest(), IndexedRows.MAX_FILES + 1, v.size(),
                v.message(), v.author(), v.time(), v.lineage());
        assertNull(IndexedRows.of(cache, many), "too many files to read their indexes for a nicety");

        p.write("data/weather/2014.tsv", "date\tnote\n2014-01-01\tfog\n");
        p.run("data add data/weather -m \"and a TSV\"");
        assertEquals(4, pinned(p, "weather").files());
        assertNull(IndexedRows.of(cache, pinned(p, "weather")), "no index counts a TSV's rows: 7 would be too few");
        assertEquals(7L, IndexedRows.of(cache, v), "the earlier version still knows its rows");
    }

    @Test
    void aDamagedOrMissingIndexOrManifestLeavesTheRowsUnknown() throws Exception {
        DataProjects.Project p = project("a");
        p.write("data/weather/2013.csv", CSV_2013);
        p.run("data add data/weather");
        Cache cache = new Cache(p.cache());
        VersionRecord v = pinned(p, "weather");
        assertEquals(2L, IndexedRows.of(cache, v));

        Path index = indexOf(p, "weather", "2013.csv");
        byte[] good = Files.readAllBytes(index);
        String text = new String(good, StandardCharsets.UTF_8);
        assertTrue(text.contains("\"rows\":2"), text);
        replace(index, "{\"sha256\":".getBytes(StandardCharsets.UTF_8));
        assertNull(IndexedRows.of(cache, v), "an index cut short");
        replace(index, text.replace("\"size\":", "\"size\":1").getBytes(StandardCharsets.UTF_8));
        assertNull(IndexedRows.of(cache, v), "an index of another object");
        replace(index, text.replace("\"rows\":2", "\"rows\":-2").getBytes(StandardCharsets.UTF_8));
        assertNull(IndexedRows.of(cache, v), "no table has fewer than no rows");
        Files.delete(index);
        assertNull(IndexedRows.of(cache, v), "no index");
        Files.write(index, good);
        assertEquals(2L, IndexedRows.of(cache, v), "the index as add wrote it");

        Files.delete(p.cache().resolve(RemoteLayout.manifest(v.manifest())));
        assertNull(IndexedRows.of(cache, v), "no manifest: which files the version has is not known here");
    }

    @Test
    void aVersionPulledFromARemoteWithoutIndexesHasNoIndexedRows() throws Exception {
        DataProjects.Project alice = project("alice");
        DataProjects.Project bob = project("bob");
        alice.run("data remote add team " + tmp.resolve("remote"));
        bob.run("data remote add team " + tmp.resolve("remote"));
        alice.write("data/weather/2013.csv", CSV_2013);
        alice.run("data add data/weather");
        alice.run("data push");
        Path index = tmp.resolve("remote").resolve(RemoteLayout.objectIndex(
                new Cache(alice.cache()).manifest(pinned(alice, "weather").manifest()).orElseThrow().byPath().get("2013.csv").sha256()));
        Files.delete(index); // as a Kiln before indexes pushed it
        Files.copy(alice.dir().resolve("kiln.lock"), bob.dir().resolve("kiln.lock"));
        bob.run("data pull");

        VersionRecord v = pinned(bob, "weather");
        assertTrue(Files.exists(bob.dir().resolve("data/weather/2013.csv")), "pulled");
        assertFalse(Files.exists(indexOf(bob, "weather", "2013.csv")), "the remote has no index to fetch");
        assertNull(IndexedRows.of(new Cache(bob.cache()), v), "no index here: unknown, not 0");
        assertEquals(2L, IndexedRows.of(new Cache(alice.cache()), v), "the same version where it was added");
    }

    @Test
    void tablesWhoseRowsNoIndexCountsAreNamed() {
        for (String name : new String[] {"a.tsv", "d/a.TSV.gz", "a.json", "a.jsonl", "a.ndjson.gz", "a.csv.bz2", "a.csv.zst",
                "a.parquet.gz", "a.xlsx", "a.orc", "a.avro", "a.arrow", "a.feather"}) {
            assertTrue(IndexedRows.uncountedTable(name), name);
        }
        for (String name : new String[] {"a.csv", "a.CSV.gz", "a.parquet", "README.md", "notes.txt", "chart.png", "csv", "a.gz"}) {
            assertFalse(IndexedRows.uncountedTable(name), name);
        }
    }
}
