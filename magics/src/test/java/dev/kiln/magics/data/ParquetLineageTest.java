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

    @Test
    void theSameConversionRunTwiceKeepsOneVersionAndWritesNothing() throws Exception {
        DataProjects.Project p = new DataProjects(tmp, Map.of()).project("same");
        p.write("data/raw/co2/co2.csv", "year,ppm\n1959,315.97\n1960,316.91\n");
        p.run("data add data/raw/co2");
        Result first = p.run("parquet convert data/raw/co2 --to data/parquet/co2");
        String version = LockFile.read(p.dir()).get("co2-parquet").version();
        String lockBefore = p.lock();
        Cache cache = Cache.forEnvironment(p.env());

        Result again = p.run("parquet convert data/raw/co2 --to data/parquet/co2");

        assertEquals(version, again.provenance().datasets().get(0).version(), "the re-run reports the version it kept");
        assertEquals(first.provenance().datasets().get(0).manifest(), again.provenance().datasets().get(0).manifest());
        assertEquals(java.util.Set.of(version), cache.versionIds("co2-parquet", ""), "no second version in the cache");
        assertEquals(lockBefore, p.lock(), "kiln.lock is as it was");
        String co2 = LockFile.read(p.dir()).get("co2").version().substring(0, 12);
        String said = "co2-parquet@" + version.substring(0, 12) + " is unchanged (data/parquet/co2): same input version (co2@" + co2
                + ") and settings; kiln.lock unchanged.";
        assertEquals(List.of(said), saidAfterSchema(again.text()), "nothing recorded, nothing added to kiln.lock: the shell says so");
        assertTrue(again.html().contains("<p class=\"kiln-versioning\">" + Html.escape(said) + "</p>"), again.html());
        assertTrue(!again.html().contains("Recorded ") && !again.html().contains("Added dataset"), again.html());
    }

    @Test
    void aNewInputVersionMakesANewVersionWhoseLineageNamesItEvenWhenTheParquetIsTheSame() throws Exception {
        DataProjects.Project p = new DataProjects(tmp, Map.of()).project("input");
        p.write("data/raw/climate/jan.csv", "station,date,tmax\nA,2024-01-01,3.5\nB,2024-01-01,4.0\n");
        p.run("data add data/raw/climate");
        p.run("parquet convert data/raw/climate --to data/parquet/climate --columns station,tmax");
        String first = LockFile.read(p.dir()).get("climate-parquet").version();
        // a column the conversion leaves out changes: a new input version, the same Parquet bytes
        p.write("data/raw/climate/jan.csv", "station,date,tmax\nA,2024-01-02,3.5\nB,2024-01-02,4.0\n");
        p.run("data add data/raw/climate");
        String csv2 = LockFile.read(p.dir()).get("climate").version();

        Result again = p.run("parquet convert data/raw/climate --to data/parquet/climate --columns station,tmax");

        LockFile.Entry out = LockFile.read(p.dir()).get("climate-parquet");
        assertTrue(!out.version().equals(first), "a new version");
        assertEquals(out.version(), again.provenance().datasets().get(0).version());
        VersionRecord v = Cache.forEnvironment(p.env()).version("climate-parquet", out.version()).orElseThrow();
        assertEquals(first, v.parent());
        assertEquals(List.of(csv2), v.lineage().stream().map(l -> l.version()).toList(), "its lineage names the new input");
        VersionRecord before = Cache.forEnvironment(p.env()).version("climate-parquet", first).orElseThrow();
        assertEquals(before.manifest(), v.manifest(), "the same files: only the lineage made it new");
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
