package dev.kiln.magics.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.magics.core.Lineage;
import dev.kiln.magics.core.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code kiln data import} between two projects' remotes: buckets of one s3proxy, and directories. */
@Timeout(300)
class DataImportTest {

    static S3ProxyServer s3;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startS3() throws Exception {
        s3 = S3ProxyServer.transientStore();
        s3.createBucket("team-a");
        s3.createBucket("team-b");
    }

    @AfterAll
    static void stopS3() throws Exception {
        s3.close();
    }

    /** Alice's project publishes pems@v3 (two files) on {@code remote}; returns the version's id. */
    private static String publish(DataProjects.Project alice, String remoteAdd) throws Exception {
        alice.run(remoteAdd);
        alice.write("data/pems/stations.csv", "id,name\n1,Main St\n2,Oak Ave\n");
        alice.write("data/pems/daily/2024-01.csv", "id,speed\n1,60\n");
        alice.run("data add data/pems");
        alice.run("data push --tag v3");
        try (DataRepository repo = DataRepository.open(alice.dir(), alice.env())) {
            return repo.lockFile().get("pems").version();
        }
    }

    @Test
    void importBetweenBucketsOfOneServerIsCopiedByTheServerWithLineageAndNeverTwice() throws Exception {
        DataProjects projects = new DataProjects(tmp, S3ProxyServer.credentials());
        DataProjects.Project alice = projects.project("alice");
        DataProjects.Project bob = projects.project("bob");
        String v3 = publish(alice, "data remote add team s3://team-a/pems-project --endpoint " + s3.endpoint());
        bob.run("data remote add mine s3://team-b/traffic --endpoint " + s3.endpoint());

        s3.record();
        VersionImport.Imported imported = (VersionImport.Imported) bob.run(
                "data import s3://team-a/pems-project pems@v3 --as traffic --endpoint " + s3.endpoint());
        List<S3ProxyServer.Seen> requests = s3.requests();

        assertEquals(2, imported.serverCopied());
        assertEquals(0, imported.viaCache());
        assertEquals(List.of(), requests.stream().filter(r -> r.method().equals("GET") && r.path().contains("/objects/")).toList(),
                "no object's bytes came to this machine");
        assertFalse(Files.exists(bob.cache().resolve("objects")), "nothing went through the cache");
        assertEquals(List.of(new Lineage("pems", v3, "import from s3://team-a/pems-project")), imported.record().lineage());

        VersionImport.Imported again = (VersionImport.Imported) bob.run(
                "data import s3://team-a/pems-project pems@v3 --as traffic --endpoint " + s3.endpoint());
        assertTrue(again.already());
        assertEquals(imported.version(), again.version());
        assertEquals(0, again.serverCopied() + again.viaCache());

        DataProjects.Project carol = projects.project("carol");
        carol.run("data remote add mine s3://team-b/traffic --endpoint " + s3.endpoint());
        carol.run("data pull traffic@latest");
        assertEquals(alice.files("data/pems"), carol.files("data/traffic"));
        try (DataRepository repo = DataRepository.open(carol.dir(), carol.env())) {
            assertEquals(imported.record().lineage(),
                    repo.history("traffic", null, 1).versions().get(0).record().lineage(), "the lineage travels with the version");
        }
    }

    @Test
    void importBetweenDirectoryRemotesGoesThroughTheCacheVerifiedAndSendsOnlyWhatIsMissing() throws Exception {
        DataProjects projects = new DataProjects(tmp, Map.of());
        DataProjects.Project alice = projects.project("alice");
        DataProjects.Project bob = projects.project("bob");
        String v3 = publish(alice, "data remote add team " + tmp.resolve("alice-remote"));
        bob.run("data remote add mine " + tmp.resolve("bob-remote"));
        bob.run("data remote add alice-team " + tmp.resolve("alice-remote"));
        // bob's remote already has one of the two files' content, from a dataset of his own
        bob.write("data/own/stations.csv", "id,name\n1,Main St\n2,Oak Ave\n");
        bob.run("data add data/own");
        bob.run("data push -r mine");

        VersionImport.Imported imported = (VersionImport.Imported) bob.run("data import alice-team pems@v3 -r mine");

        assertEquals(List.of(1L, 1L, 0L), List.of(imported.viaCache(), imported.present(), imported.serverCopied()));
        assertEquals("pems", imported.dataset());
        assertEquals(v3, imported.sourceVersion());
        DataProjects.Project carol = projects.project("carol");
        carol.run("data remote add mine " + tmp.resolve("bob-remote"));
        carol.run("data pull pems@latest");
        assertEquals(alice.files("data/pems"), carol.files("data/pems"));

        UserError unknown = assertThrows(UserError.class, () -> bob.run("data import alice-team pems@v9 -r mine"));
        assertTrue(unknown.getMessage().contains("tags there: latest, v3"), unknown.getMessage());
    }
}
