package dev.kiln.magics.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.magics.core.Provenance;
import dev.kiln.magics.core.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** add → push → pull on another machine → version, diff, checkout, tag, status; against s3proxy and a directory. */
@Timeout(120) // each test; it waits on a process or a socket
class DataRoundTripTest {

    @RegisterExtension
    static final S3ProxyServer.Lab s3 = new S3ProxyServer.Lab();

    @TempDir
    Path tmp;

    private String remoteAdd(String kind) {
        return kind.equals("s3")
                ? "data remote add team s3://lab/projects/traffic --endpoint " + s3.endpoint()
                : "data remote add team " + tmp.resolve("shared-remote");
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3", "directory"})
    void versionsTravelBetweenMachinesThroughTheRemote(String kind) throws Exception {
        DataProjects projects = new DataProjects(tmp, S3ProxyServer.credentials());
        DataProjects.Project alice = projects.project("alice");
        DataProjects.Project bob = projects.project("bob");
        alice.run(remoteAdd(kind));
        bob.run(remoteAdd(kind));

        alice.write("data/raw/pems/2024-01/d1.csv", "id,speed\n1,60\n2,55\n");
        alice.write("data/raw/pems/2024-02/d1.csv", "id,speed\n1,61\n");
        alice.write("data/raw/pems/README", "PeMS detectors");
        Result added = alice.run("data add data/raw/pems -m \"PeMS detector, Jan-Feb\"");
        assertTrue(added.text().startsWith("Added pems@"), added.text());
        assertNotNull(added.html());
        String v1 = added.provenance().datasets().get(0).version();
        assertEquals(64, v1.length());

        Result pushed = alice.run("data push");
        assertTrue(pushed.text().contains("3 objects sent"), pushed.text());
        Result again = alice.run("data push");
        assertEquals("Nothing to send: pems@" + v1.substring(0, 12) + " is already on team.", again.text());
        assertEquals(v1, again.provenance().datasets().get(0).version());

        // bob clones the project: the lock file comes through git
        Files.copy(alice.dir().resolve("kiln.lock"), bob.dir().resolve("kiln.lock"));
        Result pulled = bob.run("data pull");
        assertTrue(pulled.text().contains("3 fetched"), pulled.text());
        assertEquals(alice.files("data/raw/pems"), bob.files("data/raw/pems"));
        Provenance.DatasetVersion pulledProv = pulled.provenance().datasets().get(0);
        assertEquals(v1, pulledProv.version());
        assertEquals("pems", pulledProv.dataset());
        assertNotNull(pulledProv.manifest());

        Result noop = bob.run("data pull");
        assertTrue(noop.text().contains("0 fetched") && noop.text().contains("0 written") && noop.text().contains("3 unchanged"),
                noop.text());
        Result clean = bob.run("data status");
        assertTrue(clean.text().contains("workspace clean") && clean.text().contains("all cached")
                && clean.text().contains("pushed to team, latest"), clean.text());

        // bob makes a second version: one file changed, one added, one removed
        bob.write("data/raw/pems/2024-01/d1.csv", "id,speed,flow\n1,60,7\n2,55,9\n3,50,2\n");
        bob.write("data/raw/pems/2024-03/d1.csv", "id,speed\n9,70\n");
        Files.delete(bob.dir().resolve("data/raw/pems/README"));
        Result dirty = bob.run("data status --offline");
        assertTrue(dirty.text().contains("1 modified, 1 added, 1 missing"), dirty.text());
        bob.run("data add data/raw/pems -m March");
        Result tagged = bob.run("data push --tag v2");
        assertTrue(tagged.text().contains("tagged v2") && tagged.text().contains("latest moved"), tagged.text());
        alice.run("data tag pems@" + v1.substring(0, 10) + " v1");

        Result history = alice.run("data version pems");
        List<String> lines = history.text().lines().toList();
        assertEquals(2, lines.size(), history.text());
        assertTrue(lines.get(0).contains("latest") && lines.get(0).contains("v2") && lines.get(0).contains("March"), history.text());
        assertTrue(lines.get(1).startsWith("* " + v1.substring(0, 12)) && lines.get(1).contains("v1")
                && lines.get(1).contains("tester"), history.text());

        Result diff = alice.run("data diff pems@v1 pems@v2");
        assertTrue(diff.text().contains("1 added, 1 removed, 1 changed"), diff.text());
        assertTrue(diff.text().contains("rows 2 → 3 (+1), columns +flow"), diff.text());

        // alice moves to the newest version, then back to v1 from her cache
        alice.run("data pull pems@latest");
        assertEquals(bob.files("data/raw/pems"), alice.files("data/raw/pems"));
        assertFalse(Files.exists(alice.dir().resolve("data/raw/pems/README")));
        Result back = alice.run("data checkout pems@v1");
        assertTrue(back.text().contains("0 fetched"), back.text());
        assertEquals("PeMS detectors", Files.readString(alice.dir().resolve("data/raw/pems/README")));
        assertTrue(alice.lock().contains(v1));

        // a subset into a third machine
        DataProjects.Project carol = projects.project("carol");
        carol.run(remoteAdd(kind));
        Result part = carol.run("data pull pems@v2/2024-03");
        assertTrue(part.text().contains("into data/pems: 1 file ("), part.text());
        assertEquals(Map.of("2024-03/d1.csv", "id,speed\n9,70\n"), carol.files("data/pems"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"add", "push", "pull", "checkout", "status", "version", "diff", "ls", "tag", "gc", "import", "remote", "remote add", "remote list"})
    void everySubcommandHasHelp(String sub) throws Exception {
        DataProjects.Project p = new DataProjects(tmp, Map.of()).project("p");
        Result r = p.run("data " + sub + " --help");
        assertTrue(r.text().contains("Usage: kiln data " + sub), r.text());
    }
}
