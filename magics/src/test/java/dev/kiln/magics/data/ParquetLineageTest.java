package dev.kiln.magics.data;

import dev.kiln.magics.core.VersionRecord;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.magics.core.Html;
import dev.kiln.magics.core.ProvenanceJson;
import dev.kiln.magics.core.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A conversion of tracked CSV becomes a new dataset version whose lineage names the CSV's version. */
class ParquetLineageTest {

    @TempDir
    Path tmp;

    @Test
    void convertingTrackedCsvRecordsTheParquetAsAVersionWithLineage() throws Exception {
        DataProjects.Project p = new DataProjects(tmp, Map.of()).project("a");
        p.write("data/raw/climate/jan.csv", "station,date,tmax\nA,2024-01-01,3.5\nB,2024-01-01,4.0\n");
        p.run("data add data/raw/climate -m \"January\"");
        String csvVersion = LockFile.read(p.dir()).get("climate").version();

        Result r = p.run("parquet convert data/raw/climate --to data/parquet/climate --columns station,tmax");

        LockFile lock = LockFile.read(p.dir());
        LockFile.Entry out = lock.get("climate-parquet");
        assertEquals("data/parquet/climate", out.path(), p.lock());
        assertEquals(out.version(), r.provenance().datasets().get(0).version());

        VersionRecord v = Cache.forEnvironment(p.env()).version("climate-parquet", out.version()).orElseThrow();
        assertEquals(1, v.lineage().size());
        assertEquals("climate", v.lineage().get(0).dataset());
        assertEquals(csvVersion, v.lineage().get(0).version());
        assertTrue(v.lineage().get(0).via().contains("columns=[station, tmax]"), v.lineage().get(0).via());
        assertTrue(v.lineage().get(0).via().contains("codec=zstd"), v.lineage().get(0).via());
    }

    static final Path SEATTLE = Path.of("src/test/resources/viz/seattle-weather.csv");

    @Test
    void aConversionIntoAFolderOverlappingADatasetSaysOnScreenThatItsLineageWasSkippedAndWhy() throws Exception {
        DataProjects.Project p = new DataProjects(tmp, Map.of()).project("c");
        p.write("data/weather/seattle-weather.csv", Files.readString(SEATTLE));
        p.run("data add data/weather");
        String lockBefore = p.lock();

        Result r = p.run("parquet convert data/weather/seattle-weather.csv --to data/seattle.parquet");

        String warning = r.provenance().warning();
        assertTrue(warning.startsWith("'data' overlaps dataset 'weather' (data/weather)"), warning);
        assertTrue(warning.contains("--to data/seattle/seattle.parquet"), "says where a conversion would be versioned: " + warning);
        assertEquals(List.of("Not versioned: " + warning), saidAfterSchema(r.text()), "the shell shows it");
        assertTrue(r.html().contains(Html.escape("Not versioned: " + warning)), "the cell shows it");
        assertEquals(lockBefore, p.lock());
        assertTrue(Files.isRegularFile(p.dir().resolve("data/seattle.parquet")));
    }

    @Test
    void aConversionIntoANewFolderSaysWhatItRecordedAndThatItAddedADatasetToKilnLock() throws Exception {
        DataProjects.Project p = new DataProjects(tmp, Map.of()).project("d");
        p.write("data/weather/seattle-weather.csv", Files.readString(SEATTLE));
        p.run("data add data/weather");
        String csv = LockFile.read(p.dir()).get("weather").version().substring(0, 12);

        Result first = p.run("parquet convert data/weather/seattle-weather.csv --to data/pq/seattle.parquet");
        String pq = LockFile.read(p.dir()).get("pq").version();
        assertEquals(pq, first.provenance().datasets().get(0).version());
        assertEquals(List.of("Recorded pq@" + pq.substring(0, 12) + " (data/pq), derived from weather@" + csv + " by parquet convert.",
                "Added dataset pq to kiln.lock; 'kiln data push' publishes it."), saidAfterSchema(first.text()));
        for (String said : saidAfterSchema(first.text())) {
            assertTrue(first.html().contains(Html.escape(said)), said);
        }

        Result again = p.run("parquet convert data/weather/seattle-weather.csv --to data/pq/seattle.parquet --codec snappy");
        String next = LockFile.read(p.dir()).get("pq").version();
        assertEquals(List.of("Recorded pq@" + next.substring(0, 12) + " (data/pq) as its new version, derived from weather@" + csv
                + " by parquet convert."), saidAfterSchema(again.text()), "an existing dataset is not added again");
    }

    /** The lines a conversion's text says after its schema: what versioning did. */
    private static List<String> saidAfterSchema(String text) {
        List<String> lines = text.lines().toList();
        int schema = lines.indexOf(lines.stream().filter(l -> l.startsWith("schema: ")).findFirst().orElseThrow());
        return lines.subList(schema + 1, lines.size());
    }

    @Test
    void convertingUntrackedCsvRecordsNothing() throws Exception {
        DataProjects.Project p = new DataProjects(tmp, Map.of()).project("b");
        p.write("loose.csv", "a\n1\n");
        Result r = p.run("parquet convert loose.csv");
        assertTrue(Files.exists(p.dir().resolve("loose.parquet")));
        assertTrue(!ProvenanceJson.write(r.provenance()).containsKey("data"), r.provenance().toString());
        assertTrue(!Files.exists(p.dir().resolve("kiln.lock")));
    }
}
