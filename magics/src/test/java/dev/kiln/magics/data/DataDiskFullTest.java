package dev.kiln.magics.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.magics.core.TempFiles;
import dev.kiln.magics.data.remote.DirectoryRemote;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full (or failing) disk under a pull, a push and an add, on small tmpfs mounts: the command fails
 * naming the file system and the bytes it needs there, and leaves the workspace, kiln.lock, the
 * cache and the remote as they were.
 */
@Timeout(120)
class DataDiskFullTest {

    static S3ProxyServer s3;

    @TempDir
    Path tmp;

    DataProjects projects;
    String remote;
    String v1;
    Map<String, String> v1Files;
    /** The second version's files that the first lacks or has otherwise (a.csv changed, 2 MiB and 20 small files new; b.csv gone). */
    long v2NewBytes;
    /** All of the second version's files. */
    long v2Bytes;

    @BeforeAll
    static void startS3() throws Exception {
        s3 = S3ProxyServer.transientStore();
        s3.createBucket("lab");
    }

    @AfterAll
    static void stopS3() throws Exception {
        s3.close();
    }

    @BeforeEach
    void twoVersionsOnTheRemote() throws Exception {
        projects = new DataProjects(tmp, S3ProxyServer.credentials());
        DataProjects.Project alice = projects.project("alice");
        remote = "data remote add team s3://lab/" + tmp.getFileName() + " --endpoint " + s3.endpoint();
        alice.run(remote);
        alice.write("data/pems/a.csv", "id\n1\n");
        alice.write("data/pems/b.csv", "id\n2\n");
        alice.write("data/pems/c.csv", "id\n3\n");
        alice.run("data add data/pems");
        alice.run("data push");
        v1 = LockFile.read(alice.dir()).get("pems").version();
        v1Files = alice.files("data/pems");
        alice.write("data/pems/a.csv", "id\n1\n11\n");
        Files.delete(alice.dir().resolve("data/pems/b.csv"));
        byte[] big = new byte[2 << 20];
        new Random(5).nextBytes(big);
        Files.write(alice.dir().resolve("data/pems/big.bin"), big);
        v2NewBytes = "id\n1\n11\n".length() + big.length;
        for (int i = 0; i < 20; i++) {
            v2NewBytes += Files.size(alice.write("data/pems/more/f" + i + ".csv", "more\n" + i + "\n"));
        }
        v2Bytes = v2NewBytes + "id\n3\n".length();
        alice.run("data add data/pems");
        alice.run("data push");
    }

    /** Bob's project at the first version, its data directory on {@code disk}. */
    private DataProjects.Project bob() throws Exception {
        DataProjects.Project bob = projects.project("bob");
        bob.run(remote);
        bob.run("data pull pems@" + v1.substring(0, 12));
        assertEquals(v1Files, bob.files("data/pems"));
        return bob;
    }

    /** Bob's workspace, kiln.lock exactly as before, no temporary file anywhere, no directory of the new version. */
    private static void unchanged(DataProjects.Project p, Map<String, String> files, String lock) throws Exception {
        assertEquals(files, p.files("data/pems"), "the workspace is as it was");
        assertEquals(lock, p.lock(), "kiln.lock is as it was");
        try (Stream<Path> s = Files.walk(p.dir())) {
            assertEquals(List.of(), s.filter(f -> f.getFileName().toString().startsWith(TempFiles.MARK)).toList());
        }
        assertFalse(Files.exists(p.dir().resolve("data/pems/more")), "no directory of the new version is left");
    }

    @Test
    void pullOntoAFullDiskIsRefusedBeforeWritingNamingTheDiskAndTheBytesNeeded() throws Exception {
        try (SmallDisk disk = SmallDisk.mount(projects.project("bob").dir().resolve("data"), 1 << 20, 1000)) {
            DataProjects.Project bob = bob();
            String lock = bob.lock();
            DiskFault e = assertThrows(DiskFault.class, () -> bob.run("data pull pems@latest"));
            assertEquals(disk.dir().toString(), e.disk().mountPoint(), e.getMessage());
            assertEquals("kiln-test", e.disk().device());
            assertEquals(v2NewBytes, e.bytesNeeded(), e.getMessage());
            assertTrue(e.disk().usableBytes() < e.bytesNeeded());
            assertTrue(e.noSpace());
            assertNull(e.file(), "refused before any file was written");
            unchanged(bob, v1Files, lock);
        }
    }

    @Test
    void diskFillingUpMidCheckoutIsUndoneAndNamed() throws Exception {
        try (SmallDisk disk = SmallDisk.mount(projects.project("bob").dir().resolve("data"), 16 << 20, 1000)) {
            DataProjects.Project bob = bob();
            String lock = bob.lock();
            // bytes enough, but room for 6 more files: the new version needs 24
            disk.roomForFiles(6);
            DiskFault e = assertThrows(DiskFault.class, () -> bob.run("data pull pems@latest"));
            assertEquals(disk.dir().toString(), e.disk().mountPoint(), e.getMessage());
            assertEquals(v2NewBytes, e.bytesNeeded(), e.getMessage());
            assertTrue(e.noSpace(), e.getMessage());
            assertEquals("No space left on device", e.reason());
            assertTrue(e.file().startsWith("data/pems/"), e.file());
            unchanged(bob, v1Files, lock);
            assertTrue(bob.run("data status --offline").text().contains("workspace clean"));
        }
    }

    @Test
    void aFailingDiskIsNamedAndTheCheckoutUndone() throws Exception {
        try (SmallDisk disk = SmallDisk.mount(projects.project("bob").dir().resolve("data"), 16 << 20, 1000)) {
            DataProjects.Project bob = bob();
            String lock = bob.lock();
            disk.readOnly();
            DiskFault e = assertThrows(DiskFault.class, () -> bob.run("data checkout pems@latest"));
            assertEquals(disk.dir().toString(), e.disk().mountPoint(), e.getMessage());
            assertFalse(e.noSpace(), e.getMessage());
            assertEquals("Read-only file system", e.reason());
            assertEquals(v2NewBytes, e.bytesNeeded());
            unchanged(bob, v1Files, lock);
        }
    }

    @Test
    void cacheDiskFullIsNamedAndTheWorkspaceUntouched() throws Exception {
        DataProjects.Project bob = projects.project("bob");
        bob.run(remote);
        try (SmallDisk disk = SmallDisk.mount(bob.cache(), 1 << 20, 1000)) {
            DiskFault e = assertThrows(DiskFault.class, () -> bob.run("data pull pems@latest"));
            assertEquals(disk.dir().toString(), e.disk().mountPoint(), e.getMessage());
            assertEquals(v2Bytes, e.bytesNeeded(), e.getMessage());
            assertNull(e.file());
            assertFalse(Files.exists(bob.dir().resolve("data")), "nothing reached the workspace");
            assertFalse(Files.exists(bob.dir().resolve("kiln.lock")), "nothing was pinned");
        }
        // room runs out midway through the fetch
        try (SmallDisk disk = SmallDisk.mount(bob.cache(), 16 << 20, 14)) {
            DiskFault e = assertThrows(DiskFault.class, () -> bob.run("data pull pems@latest"));
            assertEquals(disk.dir().toString(), e.disk().mountPoint(), e.getMessage());
            assertTrue(e.noSpace(), e.getMessage());
            assertEquals(v2Bytes, e.bytesNeeded(), e.getMessage());
            assertFalse(Files.exists(bob.dir().resolve("data")), "nothing reached the workspace");
            assertFalse(Files.exists(bob.dir().resolve("kiln.lock")), "nothing was pinned");
            try (Stream<Path> s = Files.list(bob.cache().resolve("tmp"))) {
                assertEquals(0, s.count(), "no partial download is left in the cache");
            }
        }
    }

    @Test
    void pushOntoAFullDirectoryRemoteIsNamedAndLatestStays() throws Exception {
        DataProjects.Project carol = projects.project("carol");
        Path shared = tmp.resolve("shared");
        try (SmallDisk disk = SmallDisk.mount(shared, 1 << 20, 1000)) {
            carol.run("data remote add shared " + shared);
            carol.write("data/pems/a.csv", "id\n1\n");
            carol.run("data add data/pems");
            carol.run("data push");
            String latest = Files.readString(shared.resolve(RemoteLayout.ref("pems", "latest")));
            byte[] big = new byte[3 << 20];
            new Random(9).nextBytes(big);
            Files.write(carol.dir().resolve("data/pems/big.bin"), big);
            carol.run("data add data/pems");
            DiskFault e = assertThrows(DiskFault.class, () -> carol.run("data push"));
            assertEquals(disk.dir().toString(), e.disk().mountPoint(), e.getMessage());
            assertEquals(big.length, e.bytesNeeded());
            assertNull(e.file());
            assertEquals(latest, Files.readString(shared.resolve(RemoteLayout.ref("pems", "latest"))), "latest not moved");

            // room runs out midway, through a dataset of many small files
            for (int i = 0; i < 20; i++) {
                carol.write("data/traffic/f" + i + ".csv", "traffic\n" + i + "\n");
            }
            carol.run("data add data/traffic");
            disk.roomForFiles(6);
            DiskFault mid = assertThrows(DiskFault.class, () -> carol.run("data push traffic"));
            assertEquals(disk.dir().toString(), mid.disk().mountPoint(), mid.getMessage());
            assertTrue(mid.noSpace(), mid.getMessage());
            assertEquals("No space left on device", mid.reason());
            assertFalse(Files.exists(shared.resolve(RemoteLayout.ref("traffic", "latest"))), "latest not set");
            assertEquals(latest, Files.readString(shared.resolve(RemoteLayout.ref("pems", "latest"))), "latest not moved");
            try (Stream<Path> s = Files.walk(shared)) {
                assertEquals(List.of(), s.filter(f -> f.startsWith(shared.resolve(DirectoryRemote.TMP)) && Files.isRegularFile(f)
                        || f.getFileName().toString().startsWith(".tmp-") && !f.toString().endsWith(".lock")).toList(),
                        "no temporary file is left on the remote");
            }
        }
    }

    @Test
    void addOntoAFullCacheDiskIsNamedAndKilnLockStays() throws Exception {
        DataProjects.Project dave = projects.project("dave");
        try (SmallDisk disk = SmallDisk.mount(dave.cache(), 1 << 20, 1000)) {
            byte[] big = new byte[2 << 20];
            new Random(3).nextBytes(big);
            Files.createDirectories(dave.dir().resolve("data/pems"));
            Files.write(dave.dir().resolve("data/pems/big.bin"), big);
            DiskFault e = assertThrows(DiskFault.class, () -> dave.run("data add data/pems"));
            assertEquals(disk.dir().toString(), e.disk().mountPoint(), e.getMessage());
            assertTrue(e.bytesNeeded() > big.length, e.getMessage());
            assertFalse(Files.exists(dave.dir().resolve("kiln.lock")), "nothing was pinned");
        }
    }
}
