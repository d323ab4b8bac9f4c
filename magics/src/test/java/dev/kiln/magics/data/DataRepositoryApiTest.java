package dev.kiln.magics.data;

import dev.kiln.magics.core.Lineage;
import dev.kiln.magics.core.VersionRecord;
import dev.kiln.magics.core.Sha256;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java API other engines call: which version tracks a path, and recording a derived version with lineage. */
class DataRepositoryApiTest {

    @TempDir
    Path tmp;

    @Test
    void derivedVersionRecordsItsLineageAndTravelsWithIt() throws Exception {
        DataProjects projects = new DataProjects(tmp, Map.of());
        DataProjects.Project p = projects.project("p");
        p.run("data remote add shared " + tmp.resolve("remote"));
        Path csv = p.write("data/raw/pems/a.csv", "id,speed\n1,60\n");
        p.run("data add data/raw/pems");

        try (DataRepository repo = DataRepository.open(p.dir(), p.env())) {
            DataRepository.Tracked t = repo.tracking(csv).orElseThrow();
            assertEquals("pems", t.dataset());
            assertEquals("data/raw/pems", t.datasetPath());
            assertEquals("a.csv", t.file());
            assertEquals(Sha256.ofFile(csv), t.sha256());
            assertEquals(LockFile.read(p.dir()).get("pems").version(), t.version());
            assertTrue(repo.tracking(p.dir().resolve("notes.txt")).isEmpty());

            p.write("data/parquet/pems/a.parquet", "PAR1 pretend");
            var out = repo.recordVersion("pems-parquet", p.dir().resolve("data/parquet/pems"), "converted",
                    List.of(new Lineage(t.dataset(), t.version(), "parquet convert")));
            assertTrue(out.changed());
            assertNull(out.parent());
            VersionRecord rec = repo.cache().version("pems-parquet", out.version()).orElseThrow();
            assertEquals(List.of(new Lineage("pems", t.version(), "parquet convert")), rec.lineage());
            assertEquals(out.version(), rec.id());
            repo.push(List.of(), null, null);
        }

        // another machine sees the lineage through the remote
        DataProjects.Project q = projects.project("q");
        q.run("data remote add shared " + tmp.resolve("remote"));
        Files.copy(p.dir().resolve("kiln.lock"), q.dir().resolve("kiln.lock"));
        try (DataRepository repo = DataRepository.open(q.dir(), q.env())) {
            var h = repo.history("pems-parquet", null, 10);
            assertEquals("pems", h.versions().get(0).record().lineage().get(0).dataset());
        }
    }

    @Test
    void pulledFilesAreHardLinkedFromTheCacheOrCopiedWhenAsked() throws Exception {
        DataProjects projects = new DataProjects(tmp, Map.of());
        DataProjects.Project p = projects.project("p");
        p.run("data remote add shared " + tmp.resolve("remote"));
        p.write("data/pems/a.csv", "id\n1\n");
        p.run("data add data/pems");
        p.run("data push");
        String sha = Sha256.hex("id\n1\n".getBytes());

        DataProjects.Project q = projects.project("q");
        q.run("data remote add shared " + tmp.resolve("remote"));
        Files.copy(p.dir().resolve("kiln.lock"), q.dir().resolve("kiln.lock"));
        q.run("data pull");
        Object linked = Files.getAttribute(q.dir().resolve("data/pems/a.csv"), "unix:ino");
        assertEquals(Files.getAttribute(q.cache().resolve(RemoteLayout.object(sha)), "unix:ino"), linked);

        Files.delete(q.dir().resolve("data/pems/a.csv"));
        q.run("data pull --copy");
        assertNotEquals(Files.getAttribute(q.cache().resolve(RemoteLayout.object(sha)), "unix:ino"),
                Files.getAttribute(q.dir().resolve("data/pems/a.csv"), "unix:ino"));
        assertEquals("id\n1\n", Files.readString(q.dir().resolve("data/pems/a.csv")));
    }

    @Test
    void transfersReportProgressInBytes() throws Exception {
        DataProjects projects = new DataProjects(tmp, Map.of());
        DataProjects.Project p = projects.project("p");
        p.run("data remote add shared " + tmp.resolve("remote"));
        p.write("data/pems/a.csv", "id\n1\n");
        p.write("data/pems/b.csv", "id\n22\n");
        java.util.List<String> events = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        dev.kiln.magics.core.Progress recording = (label, total, unit) -> {
            events.add("start " + label + " " + total + " " + unit);
            return new dev.kiln.magics.core.Progress.Bar() {
                @Override
                public void advance(long units) {
                    events.add("advance " + label + " " + units);
                }

                @Override
                public void close() {
                    events.add("close " + label);
                }
            };
        };
        try (DataRepository repo = DataRepository.open(p.dir(), p.env(), recording, 2)) {
            repo.add("data/pems", null, "two files");
            repo.push(List.of(), null, null);
            p.write("data/copy/a.csv", "id\n1\n"); // a new dataset whose one object is cached already
            repo.add("data/copy", null, "same bytes");
            repo.push(List.of(), null, null); // pems is on the remote, and so is copy's one object
            repo.pull("pems", null, false, null); // the workspace holds it already
            p.write("data/pems/b.csv", "id\n23\n");
            repo.pull("pems", null, true, null); // one file to write back
        }
        assertEquals(List.of("start update pems 1 FILES"), events.stream().filter(e -> e.startsWith("start update ")).toList(),
                "a pull with nothing to write draws no 'update pems 0 files 0 files/s' bar: " + events);
        assertTrue(events.contains("start add pems 11 BYTES"), events.toString());
        assertTrue(events.stream().noneMatch(e -> e.startsWith("start add copy")),
                "nothing to copy into the cache, so no '100% 0 B 0 B/s' bar: " + events);
        assertTrue(events.contains("start push pems 11 BYTES"), events.toString());
        assertEquals(11, events.stream().filter(e -> e.startsWith("advance push pems "))
                .mapToLong(e -> Long.parseLong(e.substring("advance push pems ".length()))).sum());
        assertTrue(events.contains("close push pems"), events.toString());
        assertEquals(1, events.stream().filter(e -> e.startsWith("start push ")).count(),
                "nothing to send, so no 'push copy 0 B 0 B/s' bar: " + events);
    }

    /** A Progress that notes each bar's start as "LABEL TOTAL UNIT". */
    private static dev.kiln.magics.core.Progress startsInto(List<String> starts) {
        return (label, total, unit) -> {
            starts.add(label + " " + total + " " + unit);
            return dev.kiln.magics.core.Progress.NONE.start(label, total, unit);
        };
    }

    @Test
    void aPullsBarsSayPullAndUpdateWhileACheckoutsSayCheckout() throws Exception {
        DataProjects projects = new DataProjects(tmp, Map.of());
        DataProjects.Project p = projects.project("p");
        p.run("data remote add shared " + tmp.resolve("remote"));
        p.write("data/pems/a.csv", "id\n1\n");
        p.run("data add data/pems");
        p.run("data push");
        String first = LockFile.read(p.dir()).datasets().get("pems").version();
        p.write("data/pems/b.csv", "id\n22\n");
        p.run("data add data/pems");
        p.run("data push");

        DataProjects.Project q = projects.project("q"); // a colleague, with a cache of their own
        q.run("data remote add shared " + tmp.resolve("remote"));
        List<String> pull = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        try (DataRepository repo = DataRepository.open(q.dir(), q.env(), startsInto(pull), 2)) {
            repo.pull("pems@" + first, null, false, null);
        }
        assertEquals(List.of("pull pems 5 BYTES", "update pems 1 FILES"), pull, "what the user typed, then git's 'updating files'");

        List<String> checkout = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        try (DataRepository repo = DataRepository.open(q.dir(), q.env(), startsInto(checkout), 2)) {
            repo.checkout("pems@latest", null, false);
        }
        assertEquals(List.of("pull pems 6 BYTES", "checkout pems 1 FILES"), checkout, "checkout's bars as they were");
    }

    @Test
    void cachedObjectDamagedInPlaceIsFetchedAgainNotMaterialized() throws Exception {
        DataProjects projects = new DataProjects(tmp, Map.of());
        DataProjects.Project p = projects.project("p");
        p.run("data remote add shared " + tmp.resolve("remote"));
        p.write("data/pems/a.csv", "id\n1\n");
        p.run("data add data/pems");
        p.run("data push");
        Path cached = p.cache().resolve(RemoteLayout.object(Sha256.hex("id\n1\n".getBytes())));
        cached.toFile().setWritable(true);
        Files.writeString(cached, "id\nX\n");
        Files.delete(p.dir().resolve("data/pems/a.csv"));
        var r = p.run("data pull");
        assertTrue(r.text().contains("1 fetched"), r.text());
        assertEquals("id\n1\n", Files.readString(p.dir().resolve("data/pems/a.csv")));
    }
}
