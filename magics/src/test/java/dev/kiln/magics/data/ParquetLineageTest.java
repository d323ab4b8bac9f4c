package dev.kiln.magics.data;

import dev.kiln.magics.core.VersionRecord;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.magics.core.ProvenanceJson;
import dev.kiln.magics.core.Result;
import java.nio.file.Files;
import java.nio.file.Path;
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
    void convertingUntrackedCsvRecordsNothing() throws Exception {
        DataProjects.Project p = new DataProjects(tmp, Map.of()).project("b");
        p.write("loose.csv", "a\n1\n");
        Result r = p.run("parquet convert loose.csv");
        assertTrue(Files.exists(p.dir().resolve("loose.parquet")));
        assertTrue(!ProvenanceJson.write(r.provenance()).containsKey("data"), r.provenance().toString());
        assertTrue(!Files.exists(p.dir().resolve("kiln.lock")));
    }
}
