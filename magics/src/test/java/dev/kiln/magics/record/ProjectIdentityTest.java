package dev.kiln.magics.record;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which project a record belongs to: the default remote's URL, else the project's own folder. */
class ProjectIdentityTest {

    @TempDir
    Path dir;

    @Test
    void aProjectWithoutARemoteIsItsCanonicalFolder() throws Exception {
        Path project = Files.createDirectories(dir.resolve("p"));
        Path link = Files.createSymbolicLink(dir.resolve("link-to-p"), project);
        assertEquals(project.toRealPath().toString(), ProjectIdentity.of(project));
        assertEquals(project.toRealPath().toString(), ProjectIdentity.of(link.resolve("sub/..")), "links and .. resolved");
    }

    @Test
    void anS3RemoteIsItsUrlWithTheEndpointOfAnS3CompatibleServer() throws Exception {
        Path a = Files.createDirectories(dir.resolve("a"));
        Files.writeString(a.resolve("kiln.yaml"), "data:\n  remote: origin\n  remotes:\n    origin:\n      url: s3://team/weather/\n");
        assertEquals("s3://team/weather", ProjectIdentity.of(a));
        Path clone = Files.createDirectories(dir.resolve("elsewhere/clone"));
        Files.copy(a.resolve("kiln.yaml"), clone.resolve("kiln.yaml"));
        assertEquals(ProjectIdentity.of(a), ProjectIdentity.of(clone), "clones of one project share its history");
        Files.writeString(a.resolve("kiln.yaml"), "data:\n  remote: origin\n  remotes:\n    origin:\n      url: s3://team/weather\n"
                + "      endpoint: http://127.0.0.1:9000\n");
        assertEquals("s3://team/weather?endpoint=http://127.0.0.1:9000", ProjectIdentity.of(a));
    }

    @Test
    void aDirectoryRemoteIsItsFileUrlWhetherOrNotItExistsYet() throws Exception {
        Path a = Files.createDirectories(dir.resolve("a"));
        Files.writeString(a.resolve("kiln.yaml"), "data:\n  remote: shared\n  remotes:\n    shared:\n      url: ../remote\n");
        String before = ProjectIdentity.of(a);
        Files.createDirectories(dir.resolve("remote"));
        assertEquals(dir.resolve("remote").toRealPath().toUri().toString().replaceAll("/$", ""), ProjectIdentity.of(a));
        assertEquals(before, ProjectIdentity.of(a), "the same before the folder exists and after");
    }

    @Test
    void aKilnYamlThatCannotBeReadNamesTheFolder() throws Exception {
        Path a = Files.createDirectories(dir.resolve("a"));
        Files.writeString(a.resolve("kiln.yaml"), "data: [unclosed\n");
        assertEquals(a.toRealPath().toString(), ProjectIdentity.of(a));
    }
}
