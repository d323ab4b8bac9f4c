package dev.kiln.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The panel's page of versions: by offset, newest first, with the total, for a dataset with thousands of versions. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class LabApiTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String TOKEN = "lab-" + UUID.randomUUID();
    static final int VERSIONS = 2_500;
    static final Instant FIRST = Instant.parse("2024-01-01T00:00:00Z");

    @TempDir
    static Path dir;

    static SidecarServer server;
    static Http http;

    @BeforeAll
    static void sidecarWithAManyVersionedDataset() throws Exception {
        server = SidecarServer.start(new SidecarServer.Options("127.0.0.1", 0, dir.resolve("records.db").toString(), TOKEN, 1 << 20));
        http = new Http(server.url("127.0.0.1"), TOKEN);
        for (int i = 0; i < VERSIONS; i++) {
            String body = "{\"dataset\":\"trips\",\"id\":\"" + id(i) + "\",\"size\":" + (1000 + i) + ",\"files\":1,\"rows\":" + (10 * i)
                    + ",\"message\":\"version " + i + "\",\"author\":\"ada\",\"time\":\"" + FIRST.plusSeconds(60L * i) + "\"}";
            assertEquals(201, http.post("/api/versions", body).status());
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String id(int i) {
        return String.format("%064x", i + 1);
    }

    @Test
    void pagesWalkEveryVersionNewestFirstOnceWithTheTotal() throws Exception {
        Set<String> seen = new HashSet<>();
        int offset = 0;
        String previousTime = null;
        while (true) {
            JsonNode page = JSON.readTree(http.get("/api/lab/datasets/trips/versions?offset=" + offset + "&limit=500").body());
            assertEquals("trips", page.get("dataset").asText());
            assertEquals(VERSIONS, page.get("total").asInt());
            assertEquals(offset, page.get("offset").asInt());
            JsonNode versions = page.get("versions");
            if (versions.isEmpty()) {
                break;
            }
            for (JsonNode v : versions) {
                assertTrue(seen.add(v.get("id").asText()), "each version once: " + v.get("id"));
                String time = v.get("time").asText();
                assertTrue(previousTime == null || time.compareTo(previousTime) < 0, "newest first: " + time + " after " + previousTime);
                previousTime = time;
            }
            offset += versions.size();
        }
        assertEquals(VERSIONS, seen.size());
        assertEquals(VERSIONS, offset);
    }

    @Test
    void aPageCarriesTheRecordsAsSent() throws Exception {
        JsonNode page = JSON.readTree(http.get("/api/lab/datasets/trips/versions?offset=10&limit=2").body());
        JsonNode v = page.get("versions").get(0);
        int i = VERSIONS - 1 - 10;
        assertEquals(2, page.get("versions").size());
        assertEquals(id(i), v.get("id").asText());
        assertEquals(1000 + i, v.get("size").asLong());
        assertEquals(10L * i, v.get("rows").asLong());
        assertEquals("version " + i, v.get("message").asText());
        assertEquals("ada", v.get("author").asText());
    }

    @Test
    void anUnknownDatasetHasNoVersionsAndBadPagingIsRefusedByName() throws Exception {
        JsonNode none = JSON.readTree(http.get("/api/lab/datasets/nosuch/versions").body());
        assertEquals(0, none.get("total").asInt());
        assertEquals(0, none.get("versions").size());

        Http.Response negative = http.get("/api/lab/datasets/trips/versions?offset=-1");
        assertEquals(400, negative.status());
        assertEquals("offset must be a whole number from 0 to 2147483647, not '-1'", JSON.readTree(negative.body()).get("error").asText());
        assertEquals(400, http.get("/api/lab/datasets/trips/versions?limit=501").status());
        assertEquals(400, http.get("/api/lab/datasets/trips/versions?limit=ten").status());
        assertEquals(400, http.get("/api/lab/datasets/..%2Fetc/versions").status());
        assertEquals(401, new Http(server.url("127.0.0.1"), "wrong").get("/api/lab/datasets/trips/versions").status());
    }
}
