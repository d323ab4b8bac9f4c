package dev.kiln.magics.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.magics.core.VersionRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A colleague who only pulls a version (an empty cache of their own) knows its rows as its author
 * does: pull and checkout fetch the indexes push sent beside the version's tables, each checked
 * against the object it describes; a remote without them, or with a damaged one, still pulls.
 */
@Timeout(300)
class PulledRowsTest {

    @RegisterExtension
    static final S3ProxyServer.Lab s3 = new S3ProxyServer.Lab();
    private static final AtomicInteger PREFIXES = new AtomicInteger();

    @TempDir
    Path tmp;

    /** Alice's and Bob's projects, each with a cache of its own, sharing one remote of {@code kind}. */
    private final class Team {
        final DataProjects.Project alice;
        final DataProjects.Project bob;
        final String kind;
        final String prefix = "rows" + PREFIXES.incrementAndGet();

        Team(String kind) throws Exception {
            this.kind = kind;
            DataProjects projects = new DataProjects(tmp, S3ProxyServer.credentials());
            String url = kind.equals("s3") ? "s3://lab/" + prefix + " --endpoint " + s3.endpoint() : tmp.resolve("remote").toString();
            alice = projects.project("alice");
            bob = projects.project("bob");
            alice.run("data remote add team " + url);
            bob.run("data remote add team " + url);
        }

        /** Writes {@code content} at a key of the remote behind Kiln's back (null: removes it). */
        void put(String key, byte[] content) throws Exception {
            if (kind.equals("s3")) {
                if (content == null) {
                    s3.server().removeObject("lab", prefix + "/" + key);
                } else {
                    s3.server().putObject("lab", prefix + "/" + key, content);
                }
                return;
            }
            Path p = tmp.resolve("remote").resolve(key);
            Files.deleteIfExists(p);
            if (content != null) {
                Files.write(p, content);
            }
        }

        byte[] get(String key) throws Exception {
            return kind.equals("s3") ? s3.server().object("lab", prefix + "/" + key) : Files.readAllBytes(tmp.resolve("remote").resolve(key));
        }
    }

    private static VersionRecord pinned(DataProjects.Project p, String dataset) {
        String id = LockFile.read(p.dir()).datasets().get(dataset).version();
        return new Cache(p.cache()).version(dataset, id).orElseThrow();
    }

    private static String sha(DataProjects.Project p, String dataset, String file) {
        Cache cache = new Cache(p.cache());
        return cache.manifest(pinned(p, dataset).manifest()).orElseThrow().byPath().get(file).sha256();
    }

    /** A CSV file of {@code rows} records, over 1 MiB from about 40,000 rows on (an index with block hashes). */
    private static String csv(int rows) {
        StringBuilder b = new StringBuilder("station,day,tmax\n");
        for (int i = 0; i < rows; i++) {
            b.append("ST").append(i % 97).append(",2013-01-").append(10 + i % 20).append(',').append(i % 41).append(".5\n");
        }
        return b.toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {"directory", "s3"})
    void aPulledVersionsRowsAreKnownAsOnTheAuthorsMachine(String kind) throws Exception {
        Team t = new Team(kind);
        t.alice.write("raw/weather.csv", "date,temp_max\n2012-01-01,12.8\n2012-01-02,10.6\n2012-01-03,11.7\n");
        t.alice.run("parquet convert raw/weather.csv --to data/weather/2012.parquet");
        t.alice.write("data/weather/2013.csv", IndexedRowsTest.CSV_2013);
        t.alice.write("data/weather/big.csv", csv(60_000));
        t.alice.write("data/weather/README.md", "daily weather\n");
        t.alice.run("data add data/weather -m first");
        t.alice.run("data push");
        String first = LockFile.read(t.alice.dir()).datasets().get("weather").version();
        assertEquals(60_005L, IndexedRows.of(new Cache(t.alice.cache()), pinned(t.alice, "weather")), "3 Parquet rows, 2 + 60,000 CSV records");
        t.alice.write("data/weather/2014.csv", "date,note\n2014-01-01,fog\n");
        t.alice.run("data add data/weather -m second");
        t.alice.run("data push");
        assertEquals(60_006L, IndexedRows.of(new Cache(t.alice.cache()), pinned(t.alice, "weather")));

        t.bob.run("data pull weather@" + first);
        Cache bobs = new Cache(t.bob.cache());
        assertEquals(60_005L, IndexedRows.of(bobs, pinned(t.bob, "weather")), "a pull: as alice's cache counts them");
        t.bob.run("data checkout weather@latest");
        assertEquals(60_006L, IndexedRows.of(bobs, pinned(t.bob, "weather")), "a checkout of a version bob never had");
        String big = RemoteLayout.objectIndex(sha(t.bob, "weather", "big.csv"));
        assertEquals(new String(t.get(big), StandardCharsets.UTF_8), Files.readString(t.bob.cache().resolve(big)),
                "the index as push sent it, block hashes and all");
    }

    @ParameterizedTest
    @ValueSource(strings = {"directory", "s3"})
    void aMissingOrDamagedIndexLeavesTheRowsUnknownAndThePullWhole(String kind) throws Exception {
        Team t = new Team(kind);
        t.alice.write("data/weather/2013.csv", IndexedRowsTest.CSV_2013);
        t.alice.write("data/weather/big.csv", csv(60_000));
        t.alice.write("raw/weather.csv", "date,temp_max\n2012-01-01,12.8\n2012-01-02,10.6\n2012-01-03,11.7\n");
        t.alice.run("parquet convert raw/weather.csv --to data/weather/2012.parquet");
        t.alice.run("data add data/weather");
        t.alice.run("data push");
        String parquet = RemoteLayout.objectIndex(sha(t.alice, "weather", "2012.parquet"));
        byte[] parquetIndex = t.get(parquet);
        String small = RemoteLayout.objectIndex(sha(t.alice, "weather", "2013.csv"));
        String big = RemoteLayout.objectIndex(sha(t.alice, "weather", "big.csv"));
        byte[] smallIndex = t.get(small);
        byte[] bigIndex = t.get(big);
        String text = new String(bigIndex, StandardCharsets.UTF_8);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"blocks\":\\[\"([0-9a-f]{64})\"").matcher(text);
        assertTrue(m.find(), text);

        // pushed by a Kiln before indexes: none on the remote
        t.put(small, null);
        t.put(big, null);
        t.put(parquet, null);
        t.bob.run("data pull weather@latest");
        assertEquals(t.alice.files("data/weather"), t.bob.files("data/weather"), "pulled whole");
        Cache bobs = new Cache(t.bob.cache());
        assertNull(IndexedRows.of(bobs, pinned(t.bob, "weather")), "no index: unknown, not 0");

        // the small table's index back; the big one's first block hash is not that of the object's first MiB,
        // and the Parquet file's says 4 rows where its footer says 3
        t.put(small, smallIndex);
        String parquetText = new String(parquetIndex, StandardCharsets.UTF_8);
        assertTrue(parquetText.contains("\"rows\":3"), parquetText);
        t.put(parquet, parquetText.replace("\"rows\":3", "\"rows\":4").getBytes(StandardCharsets.UTF_8));
        t.put(big, text.replace(m.group(1), "0".repeat(64)).getBytes(StandardCharsets.UTF_8));
        Files.delete(t.bob.dir().resolve("kiln.lock"));
        deleteTree(t.bob.dir().resolve("data"));
        t.bob.run("data pull weather@latest");
        assertEquals(t.alice.files("data/weather"), t.bob.files("data/weather"), "pulled whole again");
        assertFalse(Files.exists(t.bob.cache().resolve(big)), "an index whose blocks are not the object's is not kept");
        assertFalse(Files.exists(t.bob.cache().resolve(parquet)), "an index whose rows are not its footer's is not kept");
        assertTrue(Files.exists(t.bob.cache().resolve(small)), "the sound one is");
        assertNull(IndexedRows.of(bobs, pinned(t.bob, "weather")), "one table's rows unknown: the sum is");

        // and one that names another object
        t.put(big, text.replace("\"size\":", "\"size\":9").getBytes(StandardCharsets.UTF_8));
        t.bob.run("data checkout weather@latest");
        assertFalse(Files.exists(t.bob.cache().resolve(big)), "an index of another size is not kept");

        t.put(big, bigIndex);
        t.put(parquet, parquetIndex);
        t.bob.run("data checkout weather@latest");
        assertEquals(60_005L, IndexedRows.of(bobs, pinned(t.bob, "weather")), "the index as push wrote it: rows known");
    }

    private static void deleteTree(Path dir) throws Exception {
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
