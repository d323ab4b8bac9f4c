package dev.kiln.magics.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.magics.core.Sha256;
import dev.kiln.magics.core.UserError;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A symbolic link among a dataset's files: one to a file is versioned, checked and compared by the
 * content it points to; one to a directory or to nothing is refused by name. Never left out in silence.
 */
class DataSymlinksTest {

    @TempDir
    Path tmp;

    private DataProjects.Project projectWithLinkedFile(DataProjects projects) throws Exception {
        DataProjects.Project p = projects.project("p");
        p.run("data remote add shared " + tmp.resolve("remote"));
        p.write("data/pems/a.csv", "id\n1\n");
        p.write("shared/stations.csv", "id,name\n1,Bern\n");
        Files.createSymbolicLink(p.dir().resolve("data/pems/stations.csv"), Path.of("../../shared/stations.csv"));
        return p;
    }

    @Test
    void aLinkedFileIsVersionedByItsContentAndAColleagueGetsTheFile() throws Exception {
        DataProjects projects = new DataProjects(tmp, Map.of());
        DataProjects.Project p = projectWithLinkedFile(projects);
        p.run("data add data/pems");
        LockFile.Entry pinned = LockFile.read(p.dir()).get("pems");
        assertEquals(2, pinned.files());
        assertEquals(5 + 15, pinned.size());
        p.run("data push");

        DataProjects.Project q = projects.project("q");
        q.run("data remote add shared " + tmp.resolve("remote"));
        q.run("data pull pems@latest");
        assertEquals(Map.of("a.csv", "id\n1\n", "stations.csv", "id,name\n1,Bern\n"), q.files("data/pems"));
        assertFalse(Files.isSymbolicLink(q.dir().resolve("data/pems/stations.csv")), "a colleague gets the content, as a file");
    }

    @Test
    void statusAndDiffSeeWhatALinkedFilePointsTo() throws Exception {
        DataProjects.Project p = projectWithLinkedFile(new DataProjects(tmp, Map.of()));
        p.run("data add data/pems");
        try (DataRepository repo = DataRepository.open(p.dir(), p.env())) {
            assertTrue(repo.status(List.of("pems"), null, true).get(0).clean());
        }
        // the target changes; the link does not
        Files.writeString(p.dir().resolve("shared/stations.csv"), "id,name\n1,Bern\n2,Basel\n");
        try (DataRepository repo = DataRepository.open(p.dir(), p.env())) {
            DataRepository.DatasetStatus s = repo.status(List.of("pems"), null, true).get(0);
            assertEquals(List.of("stations.csv"), s.modified());
            assertEquals(List.of(), s.missing());
            DataRepository.DiffResult d = repo.diff("pems@" + LockFile.read(p.dir()).get("pems").version(), null, null);
            assertEquals(1, d.changes().size());
            DataRepository.FileChange c = d.changes().get(0);
            assertEquals("stations.csv", c.path());
            assertEquals(15, c.sizeBefore());
            assertEquals(23, c.sizeAfter());
        }
        p.run("data add data/pems");
        Manifest m = Manifest.parse(Files.readAllBytes(p.cache().resolve(RemoteLayout.manifest(LockFile.read(p.dir()).get("pems").manifest()))));
        assertEquals(Sha256.hex("id,name\n1,Bern\n2,Basel\n".getBytes(StandardCharsets.UTF_8)), m.byPath().get("stations.csv").sha256());
    }

    @Test
    void aLinkToADirectoryOrToNothingIsRefusedByNameAndNothingIsWritten() throws Exception {
        DataProjects.Project p = new DataProjects(tmp, Map.of()).project("p");
        p.write("data/pems/a.csv", "id\n1\n");
        p.write("elsewhere/b.csv", "id\n2\n");
        Files.createSymbolicLink(p.dir().resolve("data/pems/more"), Path.of("../../elsewhere"));
        UserError e = assertThrows(UserError.class, () -> p.run("data add data/pems"));
        assertTrue(e.getMessage().contains("'data/pems/more' (a directory: ../../elsewhere)"), e.getMessage());
        assertFalse(Files.exists(p.dir().resolve("kiln.lock")));

        Files.delete(p.dir().resolve("data/pems/more"));
        p.run("data add data/pems");
        Files.createSymbolicLink(p.dir().resolve("data/pems/gone.csv"), Path.of("no-such.csv"));
        String before = p.lock();
        try (DataRepository repo = DataRepository.open(p.dir(), p.env())) {
            UserError s = assertThrows(UserError.class, () -> repo.status(List.of("pems"), null, true));
            assertTrue(s.getMessage().contains("'data/pems/gone.csv' (to no-such.csv, which does not exist)"), s.getMessage());
        }
        assertThrows(UserError.class, () -> p.run("data add data/pems"));
        assertEquals(before, p.lock());
    }
}
