package dev.kiln.magics.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Symbolic links where a checkout writes (committed to git, say) never let a version write outside
 * the project: a link in the dataset's directory or on the way to it stops the checkout before it
 * writes anything, naming the link.
 */
@Timeout(60)
class DataCheckoutLinksTest {

    @RegisterExtension
    static final S3ProxyServer.Lab s3 = new S3ProxyServer.Lab();

    @TempDir
    Path tmp;

    private String remoteAdd(String kind) {
        return kind.equals("s3")
                ? "data remote add team s3://lab/" + tmp.getFileName() + " --endpoint " + s3.endpoint()
                : "data remote add team " + tmp.resolve("shared");
    }

    /**
     * Alice publishes a version; Mallory, who can write to the remote, publishes one on top with
     * {@code evil/authorized_keys}. Bob's clone has kiln.lock and a link {@code data/pems/evil}
     * to a directory outside the project.
     */
    @ParameterizedTest
    @ValueSource(strings = {"s3", "directory"})
    void aVersionCannotWriteThroughALinkInTheDatasetsDirectory(String kind) throws Exception {
        DataProjects projects = new DataProjects(tmp, S3ProxyServer.credentials());
        DataProjects.Project alice = projects.project("alice");
        alice.run(remoteAdd(kind));
        alice.write("data/pems/a.csv", "id\n1\n");
        alice.run("data add data/pems");
        alice.run("data push");
        DataProjects.Project mallory = projects.project("mallory");
        mallory.run(remoteAdd(kind));
        Files.copy(alice.dir().resolve("kiln.lock"), mallory.dir().resolve("kiln.lock"));
        mallory.run("data pull");
        mallory.write("data/pems/evil/authorized_keys", "ssh-ed25519 AAAA mallory\n");
        mallory.run("data add data/pems");
        mallory.run("data push");

        Path victim = Files.createDirectories(tmp.resolve("victim-home/.ssh"));
        DataProjects.Project bob = projects.project("bob");
        bob.run(remoteAdd(kind));
        Files.copy(alice.dir().resolve("kiln.lock"), bob.dir().resolve("kiln.lock"));
        Files.createDirectories(bob.dir().resolve("data/pems"));
        Files.createSymbolicLink(bob.dir().resolve("data/pems/evil"), victim);
        String lock = bob.lock();

        LinkInWorkspaceException e = assertThrows(LinkInWorkspaceException.class, () -> bob.run("data pull pems@latest"));
        assertEquals(List.of("data/pems/evil"), e.links(), e.getMessage());
        try (var s = Files.list(victim)) {
            assertEquals(0, s.count(), "nothing was written through the link");
        }
        assertEquals(List.of("evil"), listNames(bob.dir().resolve("data/pems")), "nothing was written at all");
        assertTrue(Files.isSymbolicLink(bob.dir().resolve("data/pems/evil")));
        assertEquals(lock, bob.lock());

        // the version the lock pins has no 'evil' either: the link is refused all the same
        assertThrows(LinkInWorkspaceException.class, () -> bob.run("data pull"));
        Files.delete(bob.dir().resolve("data/pems/evil"));
        bob.run("data pull");
        assertEquals(alice.files("data/pems"), bob.files("data/pems"));
    }

    @Test
    void linksDeeperInTheDirectoryOrOnTheWayToItAreRefusedToo() throws Exception {
        String kind = "directory";
        DataProjects projects = new DataProjects(tmp, S3ProxyServer.credentials());
        DataProjects.Project alice = projects.project("alice");
        alice.run(remoteAdd(kind));
        alice.write("data/pems/2024/a.csv", "id\n1\n");
        alice.write("data/pems/b.csv", "id\n2\n");
        alice.run("data add data/pems");
        alice.run("data push");
        Path outside = Files.createDirectories(tmp.resolve("outside"));

        // a link to a file, deeper down, where the version puts a file of its own
        DataProjects.Project bob = projects.project("bob");
        bob.run(remoteAdd(kind));
        Files.copy(alice.dir().resolve("kiln.lock"), bob.dir().resolve("kiln.lock"));
        Files.createDirectories(bob.dir().resolve("data/pems/2024"));
        Files.createSymbolicLink(bob.dir().resolve("data/pems/2024/a.csv"), outside.resolve("a.csv"));
        LinkInWorkspaceException deep = assertThrows(LinkInWorkspaceException.class, () -> bob.run("data pull"));
        assertEquals(List.of("data/pems/2024/a.csv"), deep.links());
        assertFalse(Files.exists(outside.resolve("a.csv")));
        assertFalse(Files.exists(bob.dir().resolve("data/pems/b.csv")), "nothing was written");

        // the dataset's directory itself a link, to another place inside the project
        DataProjects.Project carol = projects.project("carol");
        carol.run(remoteAdd(kind));
        Files.copy(alice.dir().resolve("kiln.lock"), carol.dir().resolve("kiln.lock"));
        Files.createDirectories(carol.dir().resolve("data"));
        Files.createDirectories(carol.dir().resolve("elsewhere"));
        Files.createSymbolicLink(carol.dir().resolve("data/pems"), carol.dir().resolve("elsewhere"));
        LinkInWorkspaceException way = assertThrows(LinkInWorkspaceException.class, () -> carol.run("data pull"));
        assertEquals(List.of("data/pems"), way.links());
        assertEquals(List.of(), listNames(carol.dir().resolve("elsewhere")));
    }

    private static List<String> listNames(Path dir) throws Exception {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
