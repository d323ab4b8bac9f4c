package dev.kiln.magics.env;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bytes a snapshot's id is the SHA-256 of: stored snapshots, notebooks and the sidecar hold
 * these ids, so the bytes may never change. The expected bytes and ids are literals, taken from the
 * code that wrote the first snapshots.
 */
public class SnapshotBytesTest {

    @TempDir
    Path tmp;

    /** Non-ASCII (two-byte, three-byte and a surrogate pair), quotes, backslashes and control characters. */
    private static final String AWKWARD = "Zürich — 東京 🚀 \"q\" \\ \t\n\r\b\f \u0001\u001f\u007f end";

    /** A small environment with every kind of value a snapshot holds. */
    public static Environment environment() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("TZ", AWKWARD);
        values.put("LANG", "de_CH.UTF-8");
        Map<String, Object> pems = new LinkedHashMap<>();
        pems.put("version", "a".repeat(64));
        pems.put("size", 5_000_000_000L);
        pems.put("files", 3L);
        pems.put("shared", true);
        return new Environment(Environment.FORMAT, new Environment.Kiln("0.9.0", null),
                new Environment.Jvm("Eclipse Adoptium", "17.0.15", "17.0.15+6", "OpenJDK 64-Bit Server VM", List.of("-Xmx1g", "-Dä=ö")),
                new Environment.Os("Linux", "6.1.0", "amd64", 8, 16_000_000_000L), null,
                new Environment.Git("c".repeat(40), null, "read from .git"), "work/ä.ipynb",
                new Environment.Variables(values, List.of("AWS_SECRET_ACCESS_KEY")),
                List.of(new Environment.Jar("a-1.0.jar", "g:a:1.0", "d".repeat(64), 1234, "classpath"),
                        new Environment.Jar("classes/", null, null, 0, "runtime")),
                new Environment.Datasets("kiln.lock", Map.of("pems", pems), null));
    }

    @Test
    void aSnapshotLeavesNullsOutSortsKeysAndEscapesOnlyWhatJsonRequires() {
        EnvSnapshot s = EnvSnapshot.of(environment());
        assertEquals("{\"datasets\":{\"entries\":{\"pems\":{\"files\":3,\"shared\":true,\"size\":5000000000,\"version\":\"" + "a".repeat(64) + "\"}},"
                + "\"lockFile\":\"kiln.lock\"},\"format\":1,\"git\":{\"commit\":\"" + "c".repeat(40) + "\",\"note\":\"read from .git\"},"
                + "\"jars\":[{\"coordinates\":\"g:a:1.0\",\"name\":\"a-1.0.jar\",\"sha256\":\"" + "d".repeat(64) + "\",\"size\":1234,"
                + "\"source\":\"classpath\"},{\"name\":\"classes/\",\"size\":0,\"source\":\"runtime\"}],"
                + "\"jvm\":{\"options\":[\"-Xmx1g\",\"-Dä=ö\"],\"runtime\":\"17.0.15+6\",\"vendor\":\"Eclipse Adoptium\",\"version\":\"17.0.15\","
                + "\"vm\":\"OpenJDK 64-Bit Server VM\"},\"kiln\":{\"version\":\"0.9.0\"},\"notebook\":\"work/ä.ipynb\","
                + "\"os\":{\"arch\":\"amd64\",\"cpus\":8,\"memoryBytes\":16000000000,\"name\":\"Linux\",\"version\":\"6.1.0\"},"
                + "\"variables\":{\"redacted\":[\"AWS_SECRET_ACCESS_KEY\"],\"values\":{\"LANG\":\"de_CH.UTF-8\","
                + "\"TZ\":\"Zürich — 東京 🚀 \\\"q\\\" \\\\ \\t\\n\\r\\b\\f \\u0001\\u001f\u007f end\"}}}",
                new String(s.canonicalBytes(), StandardCharsets.UTF_8));
        assertEquals("37096590fdef15dccafc8abba11ea1189b67750872bdb82cf183da442d8a319e", s.id());
    }

    @Test
    void aStoredSnapshotReadBackHasTheSameId() throws Exception {
        EnvSnapshot s = EnvSnapshot.of(environment());
        new SnapshotStore(tmp).save(s, "cli");
        Path stored = tmp.resolve(".kiln/snapshots/" + s.id() + ".json");
        assertEquals(new String(s.canonicalBytes(), StandardCharsets.UTF_8), Files.readString(stored));
        assertEquals(s.id(), new SnapshotStore(tmp).load(stored.toString()).id());
        String run = Files.readString(tmp.resolve(".kiln/snapshots/runs.jsonl")).replaceAll("\"time\":\"[^\"]+\"", "\"time\":\"T\"");
        assertEquals("{\"id\":\"37096590fdef15dccafc8abba11ea1189b67750872bdb82cf183da442d8a319e\",\"notebook\":\"work/ä.ipynb\",\"origin\":\"cli\",\"time\":\"T\"}\n", run);
    }

    @Test
    void theSidecarsJsonIsTheIdAndTheEnvironment() {
        EnvSnapshot s = EnvSnapshot.of(environment());
        assertEquals("{\"environment\":" + new String(s.canonicalBytes(), StandardCharsets.UTF_8) + ",\"id\":\"" + s.id() + "\"}",
                s.toJson());
    }
}
