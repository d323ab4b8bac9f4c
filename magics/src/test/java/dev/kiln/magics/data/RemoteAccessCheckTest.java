package dev.kiln.magics.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.magics.data.remote.RemoteAccessCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kiln data remote check} against the real things: s3proxy with full rights (and with a
 * wrong secret), and a directory remote on a file system remounted read-only. The probes leave
 * nothing behind but the content-addressed probe object.
 */
@Timeout(120)
class RemoteAccessCheckTest {

    @RegisterExtension
    static final S3ProxyServer.Lab s3 = new S3ProxyServer.Lab();

    @TempDir
    Path tmp;

    @Test
    void fullRightsOnS3AreEveryRightAndAWrongSecretIsNone() throws Exception {
        DataProjects.Project p = new DataProjects(tmp, S3ProxyServer.credentials()).project("alice");
        p.run("data remote add team s3://lab/team --endpoint " + s3.endpoint());
        RemoteConfig team = DataRepository.open(p.dir(), p.env()).remoteConfigs().get("team");

        RemoteAccessCheck.Access full = RemoteAccessCheck.check(team, p.env(), p.dir());
        assertEquals(List.of(true, true, true, true), List.of(full.read(), full.writeObjects(), full.moveRefs(), full.delete()));
        assertEquals("garbage collector", full.role());
        assertEquals(Set.of("team/objects/sha256/" + dev.kiln.magics.core.Sha256.hex("kiln remote check\n".getBytes())
                        .replaceFirst("^(..)", "$1/")), keys("team/"), "only the content-addressed probe object stays");
        assertEquals(List.of("read           yes", "write objects  yes", "move refs      yes", "delete         yes"),
                p.run("data remote check team").text().lines().skip(1).limit(4).map(String::strip).toList());

        Map<String, String> wrong = new HashMap<>(p.env());
        wrong.put("AWS_SECRET_ACCESS_KEY", "not-the-secret");
        RemoteAccessCheck.Access none = RemoteAccessCheck.check(team, wrong, p.dir());
        assertEquals(List.of(false, false, false, false), List.of(none.read(), none.writeObjects(), none.moveRefs(), none.delete()));
        assertEquals("none", none.role());
    }

    @Test
    void aDirectoryRemoteMadeReadOnlyIsReadOnly() throws Exception {
        DataProjects.Project p = new DataProjects(tmp, S3ProxyServer.credentials()).project("bob");
        try (SmallDisk disk = SmallDisk.mount(tmp.resolve("shared"), 4 << 20, 1000)) {
            p.run("data remote add shelf " + disk.dir());
            p.write("data/pems/a.csv", "id\n1\n");
            p.run("data add data/pems");
            p.run("data push");
            RemoteConfig shelf = DataRepository.open(p.dir(), p.env()).remoteConfigs().get("shelf");

            RemoteAccessCheck.Access writable = RemoteAccessCheck.check(shelf, p.env(), p.dir());
            assertEquals(List.of(true, true, true, true),
                    List.of(writable.read(), writable.writeObjects(), writable.moveRefs(), writable.delete()));
            Set<Path> before = files(disk.dir());

            disk.readOnly();
            RemoteAccessCheck.Access readOnly = RemoteAccessCheck.check(shelf, p.env(), p.dir());
            assertEquals(List.of(true, false, false, false),
                    List.of(readOnly.read(), readOnly.writeObjects(), readOnly.moveRefs(), readOnly.delete()));
            assertEquals("reader", readOnly.role());
            assertEquals(before, files(disk.dir()), "the probes left nothing behind");
        }
    }

    private static Set<Path> files(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.collect(Collectors.toSet());
        }
    }

    private static Set<String> keys(String prefix) {
        return s3.server().keys("lab", prefix);
    }
}
