package dev.kiln.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.magics.record.SidecarEndpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One history per user: the sidecar's info file and database live in the user's own folders, so
 * two sidecars of one user (two Jupyter servers) share the history and two users (two HOMEs) never do.
 */
class SidecarPerUserTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** The environment of a user whose home is {@code home}: nothing inherited from the test's own user. */
    static Map<String, String> user(Path home, String runtimeDir) {
        Map<String, String> env = new HashMap<>();
        env.put("HOME", home.toString());
        env.put("XDG_RUNTIME_DIR", runtimeDir);
        env.put("XDG_DATA_HOME", "");
        env.put("KILN_SIDECAR_FILE", "");
        env.put("KILN_SIDECAR_URL", "");
        env.put("KILN_SIDECAR_TOKEN", "");
        return env;
    }

    @Test
    @Timeout(300)
    void twoSidecarsOfOneUserShareTheHistoryAndTwoUsersNeverDo() throws Exception {
        Path ana = Files.createDirectories(dir.resolve("home/ana"));
        Path bo = Files.createDirectories(dir.resolve("home/bo"));
        Path boRuntime = Files.createDirectories(dir.resolve("run/bo"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        // a runtime folder everyone may write (/tmp, as some containers set it) is no place for a token
        Map<String, String> anaEnv = user(ana, "/tmp");
        Path anaData = ana.resolve(".local/share/kiln");
        try (SidecarProcess first = SidecarProcess.startWhereItChooses(anaData.resolve("sidecar.json"), anaEnv);
             SidecarProcess bos = SidecarProcess.startWhereItChooses(boRuntime.resolve("kiln/sidecar.json"), user(bo, boRuntime.toString()))) {
            assertEquals("rw-------", perms(anaData.resolve("sidecar.json")));
            assertEquals("rw-------", perms(anaData.resolve("sidecar.db")));
            assertEquals("rwx------", perms(anaData));
            for (String sqliteFile : new String[] {"sidecar.db-wal", "sidecar.db-shm"}) {
                if (Files.exists(anaData.resolve(sqliteFile))) {
                    assertEquals("rw-------", perms(anaData.resolve(sqliteFile)), sqliteFile);
                }
            }
            assertTrue(Files.isRegularFile(bo.resolve(".local/share/kiln/sidecar.db")), "bo's records in bo's home");
            assertEquals("rw-------", perms(boRuntime.resolve("kiln/sidecar.json")), "in bo's own runtime folder");

            String run = "{\"id\":\"run-ana-1\",\"notebook\":\"a.ipynb\",\"start\":\"2026-01-01T00:00:00Z\",\"project\":\"/home/ana/p\"}";
            assertEquals(201, first.http().post("/api/runs", run).status());
            try (SidecarProcess second = SidecarProcess.startWhereItChooses(anaData.resolve("sidecar.json"), anaEnv)) {
                assertEquals(second.endpoint.url(), SidecarEndpoint.read(anaData.resolve("sidecar.json")).orElseThrow().url(),
                        "the newest announces itself");
                JsonNode seen = JSON.readTree(second.http().get("/api/runs").body());
                assertEquals(1, seen.size(), "ana's second Jupyter shows ana's history: " + seen);
                assertEquals("run-ana-1", seen.get(0).get("id").asText());
                assertEquals(0, JSON.readTree(bos.http().get("/api/runs").body()).size(), "bo never sees it");
                second.stop(); // SIGTERM, as Jupyter stops the sidecar it started
            }
            // the second stopped and took its info file with it: the first announces itself again
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (System.nanoTime() < deadline && !Files.exists(anaData.resolve("sidecar.json"))) {
                Thread.sleep(100);
            }
            assertEquals(first.endpoint.url(), SidecarEndpoint.read(anaData.resolve("sidecar.json")).orElseThrow().url());
            assertTrue(Files.readString(anaData.resolve("sidecar.json")).contains("\"pid\" : " + first.process.pid()));
        }
    }

    private static String perms(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
