package dev.kiln.magics.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.magics.core.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code %data remote add} in a clone whose kiln.yaml already has the remote: the same name and
 * location again changes nothing (a notebook's set-up cell runs again); another location needs --force.
 */
@Timeout(60)
class DataRemoteAddTest {

    @TempDir
    Path tmp;

    private DataProjects.Project cloneOf(DataProjects.Project alice, String name) throws Exception {
        DataProjects.Project bob = new DataProjects(tmp, Map.of()).project(name);
        Files.copy(alice.dir().resolve(ProjectConfig.NAME), bob.dir().resolve(ProjectConfig.NAME));
        return bob;
    }

    private static Map<String, RemoteConfig> remotes(DataProjects.Project p) {
        return ProjectConfig.read(p.dir()).remotes();
    }

    @Test
    void theSameRemoteAgainLeavesKilnYamlAsItWas() throws Exception {
        DataProjects.Project alice = new DataProjects(tmp, Map.of()).project("alice");
        String remote = tmp.resolve("remote").toString();
        alice.run("data remote add origin " + remote);
        alice.run("data remote add backup s3://team/backup --endpoint http://127.0.0.1:9000 --region eu-west-1");
        DataProjects.Project bob = cloneOf(alice, "bob");
        Path yaml = bob.dir().resolve(ProjectConfig.NAME);
        byte[] before = Files.readAllBytes(yaml);
        FileTime written = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(yaml, written);

        bob.run("data remote add origin " + remote);
        bob.run("data remote add origin " + remote + "/");
        bob.run("data remote add backup s3://team/backup/ --endpoint http://127.0.0.1:9000 --region eu-west-1");

        assertArrayEquals(before, Files.readAllBytes(yaml));
        assertEquals(written, Files.getLastModifiedTime(yaml), "kiln.yaml not rewritten");
        assertEquals("origin", ProjectConfig.read(bob.dir()).defaultRemote());
    }

    @Test
    void theSameRemoteAsDefaultMakesItTheDefault() throws Exception {
        DataProjects.Project alice = new DataProjects(tmp, Map.of()).project("alice");
        alice.run("data remote add origin " + tmp.resolve("remote"));
        alice.run("data remote add backup " + tmp.resolve("backup"));
        alice.run("data remote add backup " + tmp.resolve("backup") + " --default");
        assertEquals("backup", ProjectConfig.read(alice.dir()).defaultRemote());
        assertEquals(tmp.resolve("backup").toString(), remotes(alice).get("backup").url());
    }

    @Test
    void anotherLocationOrEndpointUnderTheSameNameStillNeedsForce() throws Exception {
        DataProjects.Project alice = new DataProjects(tmp, Map.of()).project("alice");
        alice.run("data remote add origin " + tmp.resolve("remote"));
        alice.run("data remote add backup s3://team/backup --endpoint http://127.0.0.1:9000");
        Path yaml = alice.dir().resolve(ProjectConfig.NAME);
        byte[] before = Files.readAllBytes(yaml);

        assertThrows(UserError.class, () -> alice.run("data remote add origin " + tmp.resolve("other")));
        assertThrows(UserError.class, () -> alice.run("data remote add backup s3://team/backup --endpoint http://127.0.0.1:9001"));
        assertArrayEquals(before, Files.readAllBytes(yaml));

        alice.run("data remote add origin " + tmp.resolve("other") + " --force");
        assertEquals(tmp.resolve("other").toString(), remotes(alice).get("origin").url());
    }
}
