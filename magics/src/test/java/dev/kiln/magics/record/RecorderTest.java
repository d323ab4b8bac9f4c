package dev.kiln.magics.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The kernel's recorder with no sidecar around: records wait on disk, whole, in order. */
class RecorderTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    Recorder offline() {
        return new Recorder(dir, SidecarClient.forEnvironment(Map.of("KILN_SIDECAR_FILE", dir.resolve("none.json").toString())), System.err);
    }

    @Test
    void withoutASidecarEachRecordWaitsOnDiskAsOneWholeFileInOrder() throws Exception {
        try (Recorder r = offline()) {
            r.recordSnapshot(Map.of("id", "s1", "java", "17"));
            r.recordVersion("{\"dataset\":\"climate\",\"id\":\"v1\",\"size\":1,\"files\":1,\"time\":\"2024-01-01T00:00:00Z\"}");
            r.recordRun(JSON.readTree("{\"id\":\"r1\",\"notebook\":\"a.ipynb\",\"start\":\"2024-01-01T00:00:00Z\"}"));
            assertFalse(r.flush(Duration.ofMillis(300)), "nothing can be delivered");
            assertEquals(3, r.pending());
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir.resolve(".kiln/spool"))) {
            files = s.sorted().toList();
        }
        assertEquals(3, files.size(), files.toString());
        assertTrue(files.get(0).getFileName().toString().endsWith(".snapshots.json"));
        assertTrue(files.get(1).getFileName().toString().endsWith(".versions.json"));
        assertTrue(files.get(2).getFileName().toString().endsWith(".runs.json"));
        assertEquals("17", JSON.readTree(files.get(0).toFile()).get("java").asText());
        assertEquals("climate", JSON.readTree(files.get(1).toFile()).get("dataset").asText());
    }

    @Test
    @Timeout(120)
    void aCommandAboutToExitDoesNotWaitForASidecarThatIsNotThere() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        Path stale = dir.resolve("stale.json"); // left by a sidecar that was killed
        new SidecarEndpoint(URI.create("http://127.0.0.1:" + closedPort + "/"), "token-of-a-dead-sidecar").write(stale, 1);
        for (Path info : List.of(dir.resolve("none.json"), stale)) {
            try (Recorder r = new Recorder(dir.resolve("p-" + info.getFileName()), SidecarClient.forEnvironment(Map.of("KILN_SIDECAR_FILE", info.toString())),
                    System.err)) {
                r.recordSnapshot(Map.of("id", "s1"));
                long start = System.nanoTime();
                assertFalse(r.deliverBeforeExit(Duration.ofSeconds(30)));
                long millis = (System.nanoTime() - start) / 1_000_000;
                assertTrue(millis < 10_000, info.getFileName() + ": returned after " + millis + " ms, not the 30 s it may wait for a busy sidecar");
                assertEquals(1, r.pending(), "the record stays spooled");
            }
        }
    }

    @Test
    void aRecordWithoutAStringIdIsRefusedAndNothingIsKept() {
        try (Recorder r = offline()) {
            assertThrows(IllegalArgumentException.class, () -> r.recordSnapshot(Map.of("java", "17")));
            assertThrows(IllegalArgumentException.class, () -> r.recordRun("[1, 2]"));
            assertThrows(IllegalArgumentException.class, () -> r.recordRun("{not json"));
            assertEquals(0, r.pending());
        }
    }

    @Test
    void theEndpointComesFromTheEnvironmentOrAnOwnerOnlyInfoFileAndNeverShowsItsToken() throws Exception {
        Path info = dir.resolve("rt/kiln/sidecar.json");
        new SidecarEndpoint(URI.create("http://127.0.0.1:4242/"), "t0ps3cr3t-token").write(info, 1);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(info)));
        SidecarEndpoint read = SidecarEndpoint.find(Map.of("KILN_SIDECAR_FILE", info.toString())).orElseThrow();
        assertEquals(URI.create("http://127.0.0.1:4242/"), read.url());
        assertEquals("t0ps3cr3t-token", read.token());
        assertFalse(read.toString().contains("t0ps3cr3t"), read.toString());

        SidecarEndpoint fromEnv = SidecarEndpoint.find(Map.of("KILN_SIDECAR_URL", "http://127.0.0.1:1/", "KILN_SIDECAR_TOKEN", "x",
                "KILN_SIDECAR_FILE", info.toString())).orElseThrow();
        assertEquals(1, fromEnv.url().getPort(), "the environment wins over the file");

        Files.createDirectories(dir.resolve("xdg"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        assertEquals(dir.resolve("xdg/kiln/sidecar.json"), SidecarEndpoint.infoFile(Map.of("XDG_RUNTIME_DIR", dir.resolve("xdg").toString())));
        Files.createDirectories(dir.resolve("shared-run"));
        Files.setPosixFilePermissions(dir.resolve("shared-run"), PosixFilePermissions.fromString("rwxrwxrwx"));
        assertEquals(dir.resolve(".local/share/kiln/sidecar.json"), SidecarEndpoint.infoFile(Map.of("HOME", dir.toString(),
                "XDG_RUNTIME_DIR", dir.resolve("shared-run").toString())), "a runtime folder others may write holds no token");
        assertEquals(dir.resolve(".local/share/kiln/sidecar.json"), SidecarEndpoint.infoFile(Map.of("HOME", dir.toString())));
        Files.writeString(dir.resolve("torn.json"), "{\"url\":");
        assertTrue(SidecarEndpoint.read(dir.resolve("torn.json")).isEmpty(), "a torn file is no endpoint, not an error");
    }
}
