package dev.kiln.magics.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.magics.core.CanonicalJson;
import dev.kiln.magics.core.Result;
import dev.kiln.magics.core.Sha256;
import dev.kiln.magics.core.UserError;
import dev.kiln.magics.parquet.Csv;
import dev.kiln.magics.parquet.Parquet;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tech.tablesaw.api.Table;

/**
 * {@code kiln data ls} and reading a version in place ({@code Parquet.read("big-parquet@latest", …)},
 * {@code Csv.read}): listed and read without a pull, only the blocks needed fetched, each verified
 * and cached; against s3proxy and a directory remote.
 */
@Timeout(300)
class DataReadInPlaceTest {

    static S3ProxyServer s3;
    static int bucketCount;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startS3() throws Exception {
        s3 = S3ProxyServer.transientStore();
    }

    @AfterAll
    static void stopS3() throws Exception {
        s3.close();
    }

    /** Alice and Bob (another machine: a cache of his own) share a remote; each test its own bucket. */
    private record Team(DataProjects.Project alice, DataProjects.Project bob, String kind, String bucket, Path remoteDir) {

        /** The stored bytes of a key on the remote, for damaging it behind Kiln's back. */
        void replace(String key, byte[] content) throws IOException {
            if (kind.equals("s3")) {
                s3.putObject(bucket, "p/" + key, content);
            } else {
                Path f = remoteDir.resolve(key);
                Files.delete(f);
                Files.write(f, content);
            }
        }

        byte[] read(String key) throws IOException {
            if (kind.equals("s3")) {
                return s3.object(bucket, "p/" + key);
            }
            return Files.readAllBytes(remoteDir.resolve(key));
        }

        void remove(String key) throws IOException {
            if (kind.equals("s3")) {
                s3.removeObject(bucket, "p/" + key);
            } else {
                Files.delete(remoteDir.resolve(key));
            }
        }

        DataRepository bobRepo() {
            return DataRepository.open(bob.dir(), bob.env());
        }
    }

    private Team team(String kind) throws Exception {
        String bucket = "read-" + (++bucketCount);
        s3.createBucket(bucket);
        Path remoteDir = tmp.resolve("shared-remote");
        String add = kind.equals("s3") ? "data remote add team s3://" + bucket + "/p --endpoint " + s3.endpoint()
                : "data remote add team " + remoteDir;
        DataProjects projects = new DataProjects(tmp, S3ProxyServer.credentials());
        DataProjects.Project alice = projects.project("alice");
        DataProjects.Project bob = projects.project("bob");
        alice.run(add);
        bob.run(add);
        return new Team(alice, bob, kind, bucket, remoteDir);
    }

    /**
     * A Parquet version of one row group, about 40 MiB uncompressed: the small columns first, then
     * two wide ones of random text, so that two small columns lie in the first of its 8 MiB blocks.
     */
    private static void bigParquet(DataProjects.Project p) throws Exception {
        Path csv = p.dir().resolve("data/raw/big/big.csv");
        Files.createDirectories(csv.getParent());
        Random random = new Random(21);
        try (BufferedWriter w = Files.newBufferedWriter(csv)) {
            w.write("id,station,tmax,pad1,pad2\n");
            for (int i = 0; i < 180_000; i++) {
                w.write(i + ",S" + (i % 97) + "," + (i % 400) / 10.0 + "," + hex(random) + "," + hex(random) + "\n");
            }
        }
        p.run("data add data/raw/big");
        p.run("parquet convert data/raw/big --to data/parquet/big --codec none --row-group-size 256MiB");
        p.run("data push big-parquet");
    }

    private static String hex(Random random) {
        StringBuilder sb = new StringBuilder(100);
        for (int i = 0; i < 100; i++) {
            sb.append(Character.forDigit(random.nextInt(16), 16));
        }
        return sb.toString();
    }

    private static ManifestEntry bigObject(Team t) {
        try (DataRepository repo = t.bobRepo()) {
            return repo.files("big-parquet@latest/big.parquet", null).file();
        }
    }

    /** Bytes the S3 server was asked for by GETs of objects since {@link S3ProxyServer#record()}. */
    private static long objectBytesServed(long objectSize) {
        long n = 0;
        for (S3ProxyServer.Seen s : s3.requests()) {
            if (s.method().equals("GET") && s.path().contains("/objects/sha256/")) {
                if (s.range() == null) {
                    n += objectSize;
                } else {
                    String[] r = s.range().replace("bytes=", "").split("-");
                    n += Long.parseLong(r[1]) - Long.parseLong(r[0]) + 1;
                }
            }
        }
        return n;
    }

    /** The blocks holding a Parquet file's footer and the chunks of {@code columns}: what a read of them needs. */
    private static Set<Long> blocksRead(Path parquet, List<String> columns) throws IOException {
        Set<Long> blocks = new TreeSet<>();
        long size = Files.size(parquet);
        try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(parquet),
                ParquetReadOptions.builder(new PlainParquetConfiguration()).build())) {
            for (var rowGroup : r.getFooter().getBlocks()) {
                for (var chunk : rowGroup.getColumns()) {
                    if (columns.contains(chunk.getPath().toDotString())) {
                        addBlocks(blocks, chunk.getStartingPos(), chunk.getStartingPos() + chunk.getTotalSize());
                    }
                }
            }
        }
        byte[] tail = new byte[8];
        try (var ch = java.nio.channels.FileChannel.open(parquet)) {
            ch.read(java.nio.ByteBuffer.wrap(tail), size - 8);
        }
        long footer = java.nio.ByteBuffer.wrap(tail, 0, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
        addBlocks(blocks, size - 8 - footer, size);
        return blocks;
    }

    private static void addBlocks(Set<Long> blocks, long from, long to) {
        for (long b = from / ObjectIndex.BLOCK_SIZE; b <= (to - 1) / ObjectIndex.BLOCK_SIZE; b++) {
            blocks.add(b);
        }
    }

    private static long bytesOf(Set<Long> blocks, long size) {
        return blocks.stream().mapToLong(b -> Math.min(ObjectIndex.BLOCK_SIZE, size - b * ObjectIndex.BLOCK_SIZE)).sum();
    }

    private static List<Object> values(Table t, String column) {
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < t.rowCount(); i++) {
            out.add(t.column(column).get(i));
        }
        return out;
    }

    private static long cachedObjects(DataProjects.Project p) throws IOException {
        Path objects = p.cache().resolve("objects");
        if (!Files.exists(objects)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(objects)) {
            return s.filter(Files::isRegularFile).count();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3", "directory"})
    void lsListsSizeHashRowsAndColumnsWithoutPulling(String kind) throws Exception {
        Team t = team(kind);
        String csv = "station,date,tmax\nA,2024-01-01,3\nB,2024-01-01,4\nC,2024-01-02,5\n";
        t.alice().write("data/raw/climate/jan.csv", csv);
        t.alice().write("data/raw/climate/notes/README", "weather");
        t.alice().run("data add data/raw/climate");
        t.alice().run("parquet convert data/raw/climate --to data/parquet/climate");
        t.alice().run("data push");

        Result text = t.bob().run("data ls climate@latest");
        assertTrue(text.html().startsWith("<table class=\"kiln-data\">"), text.html());
        JsonNode json = CanonicalJson.mapper().readTree(t.bob().run("data ls climate@latest --json").text());
        assertEquals("climate", json.get("dataset").asText());
        assertEquals(2, json.get("files").size());
        JsonNode jan = json.get("files").get(0);
        assertEquals("jan.csv", jan.get("path").asText());
        assertEquals(csv.length(), jan.get("size").asLong());
        assertEquals(Sha256.hex(csv.getBytes()), jan.get("sha256").asText());
        assertEquals(3, jan.get("rows").asLong());
        assertEquals(List.of("station", "date", "tmax"), jan.get("columns").findValuesAsText("name"));
        JsonNode readme = json.get("files").get(1);
        assertEquals("notes/README", readme.get("path").asText());
        assertTrue(readme.get("rows").isNull(), "not a table: no rows");

        JsonNode pq = CanonicalJson.mapper().readTree(t.bob().run("data ls climate-parquet@latest jan.parquet --json").text());
        JsonNode f = pq.get("files").get(0);
        assertEquals("jan.parquet", f.get("path").asText());
        assertEquals(3, f.get("rows").asLong());
        assertEquals(List.of("station", "date", "tmax"), f.get("columns").findValuesAsText("name"));
        assertEquals(List.of("string", "date", "int32"), f.get("columns").findValuesAsText("type"));

        assertEquals(0, cachedObjects(t.bob()), "ls pulls nothing");
        assertFalse(Files.exists(t.bob().dir().resolve("data")), "ls writes nothing in the workspace");

        UserError noPath = assertThrows(UserError.class, () -> t.bob().run("data ls climate@latest feb.csv"));
        assertTrue(noPath.getMessage().contains("'feb.csv'") && noPath.getMessage().contains("jan.csv, notes/"),
                noPath.getMessage());
        UserError noVersion = assertThrows(UserError.class, () -> t.bob().run("data ls climate@v9"));
        assertTrue(noVersion.getMessage().contains("'v9'"), noVersion.getMessage());
        UserError noDataset = assertThrows(UserError.class, () -> t.bob().run("data ls rain@latest"));
        assertTrue(noDataset.getMessage().contains("'rain'"), noDataset.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3", "directory"})
    void readingTwoColumnsFetchesOnlyTheirBlocksThenReadsLocally(String kind) throws Exception {
        Team t = team(kind);
        bigParquet(t.alice());
        Table expected = Parquet.read(t.alice().dir().resolve("data/parquet/big/big.parquet"), "station", "tmax");
        ManifestEntry object = bigObject(t);
        assertTrue(object.size() > 4 * ObjectIndex.BLOCK_SIZE, "the object spans several blocks: " + object.size());
        Set<Long> touched = blocksRead(t.alice().dir().resolve("data/parquet/big/big.parquet"), List.of("station", "tmax"));

        s3.record();
        Table first;
        String version;
        try (DataRepository repo = t.bobRepo()) {
            first = Parquet.read(repo, "big-parquet@latest", "station", "tmax");
            version = repo.files("big-parquet@latest", null).version();
            assertEquals(bytesOf(touched, object.size()), repo.bytesFetched());
            assertTrue(repo.bytesFetched() < object.size() / 2, repo.bytesFetched() + " of " + object.size());
        }
        for (long b = 0; b * ObjectIndex.BLOCK_SIZE < object.size(); b++) {
            assertEquals(touched.contains(b), Files.exists(t.bob().cache().resolve(RemoteLayout.block(object.sha256(), (int) b))),
                    "block " + b + " cached exactly when the footer or a chunk asked for lies in it");
        }
        if (kind.equals("s3")) {
            assertEquals(bytesOf(touched, object.size()), objectBytesServed(object.size()), "bytes the server sent");
        }
        assertEquals(180_000, first.rowCount());
        assertEquals(values(expected, "station"), values(first, "station"));
        assertEquals(values(expected, "tmax"), values(first, "tmax"));
        assertEquals(0, cachedObjects(t.bob()), "blocks are cached, the object is not pulled");

        // the second read, by id, needs nothing from the remote: it is gone, and no request reaches the server
        s3.record();
        if (kind.equals("directory")) {
            Files.move(t.remoteDir(), tmp.resolve("remote-away"));
        }
        try (DataRepository repo = t.bobRepo()) {
            Table second = Parquet.read(repo, "big-parquet@" + version + "/big.parquet", "tmax", "station");
            assertEquals(values(expected, "tmax"), values(second, "tmax"));
            assertEquals(0, repo.bytesFetched());
        }
        if (kind.equals("s3")) {
            assertEquals(List.of(), s3.requests());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3", "directory"})
    void aCorruptBlockStopsTheReadAndNamesTheObject(String kind) throws Exception {
        Team t = team(kind);
        bigParquet(t.alice());
        ManifestEntry object = bigObject(t);
        String key = RemoteLayout.object(object.sha256());
        byte[] bytes = t.read(key);
        bytes[100] ^= 1; // inside the first block, where the small columns are
        t.replace(key, bytes);

        try (DataRepository repo = t.bobRepo()) {
            CorruptObjectException e = assertThrows(CorruptObjectException.class,
                    () -> Parquet.read(repo, "big-parquet@latest", "station", "tmax"));
            assertEquals(key, e.key());
            assertTrue(e.getMessage().contains("big.parquet") && e.getMessage().contains("block 0 "), e.getMessage());
        }
        assertFalse(Files.exists(t.bob().cache().resolve(RemoteLayout.block(object.sha256(), 0))),
                "a block that failed its hash is not cached");
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3", "directory"})
    void anObjectCutShortOnTheRemoteStopsTheReadAndNamesIt(String kind) throws Exception {
        Team t = team(kind);
        bigParquet(t.alice());
        ManifestEntry object = bigObject(t);
        String key = RemoteLayout.object(object.sha256());
        byte[] bytes = t.read(key);
        t.replace(key, java.util.Arrays.copyOf(bytes, bytes.length - 10)); // its last block, where the footer is, ends early

        try (DataRepository repo = t.bobRepo()) {
            UserError e = assertThrows(UserError.class, () -> Parquet.read(repo, "big-parquet@latest", "station", "tmax"));
            assertTrue(e.getMessage().contains(key) && e.getMessage().contains("ends at byte " + (bytes.length - 10)), e.getMessage());
        }
        int last = (int) ((bytes.length - 1) / ObjectIndex.BLOCK_SIZE);
        assertFalse(Files.exists(t.bob().cache().resolve(RemoteLayout.block(object.sha256(), last))), "a short block is not cached");
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3", "directory"})
    void anObjectPushedWithoutAnIndexIsVerifiedWholeAndReads(String kind) throws Exception {
        Team t = team(kind);
        bigParquet(t.alice());
        ManifestEntry object = bigObject(t);
        // as Kiln pushed before indexes: the manifest and object alone
        t.remove(RemoteLayout.objectIndex(object.sha256()));
        Table expected = Parquet.read(t.alice().dir().resolve("data/parquet/big/big.parquet"), "tmax");
        try (DataRepository repo = t.bobRepo()) {
            Table read = Parquet.read(repo, "big-parquet@latest", "tmax");
            assertEquals(values(expected, "tmax"), values(read, "tmax"));
            assertEquals(object.size(), repo.bytesFetched(), "fetched whole, once");
            assertTrue(repo.cache().has(object.sha256()), "and kept in the cache, verified");
        }
        // a damaged object without an index is caught by its whole hash
        byte[] bytes = t.read(RemoteLayout.object(object.sha256()));
        bytes[bytes.length / 2] ^= 1;
        t.replace(RemoteLayout.object(object.sha256()), bytes);
        Files.walk(t.bob().cache().resolve("objects")).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        try (DataRepository repo = t.bobRepo()) {
            CorruptObjectException e = assertThrows(CorruptObjectException.class, () -> Parquet.read(repo, "big-parquet@latest", "tmax"));
            assertEquals(RemoteLayout.object(object.sha256()), e.key());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3", "directory"})
    void csvReadsInPlaceWithItsColumns(String remote) throws Exception {
        Team t = team(remote);
        t.alice().write("data/raw/climate/jan.csv", "station,date,tmax\nA,2024-01-01,3\nB,2024-01-01,4\n");
        t.alice().run("data add data/raw/climate");
        t.alice().run("data push");
        try (DataRepository repo = t.bobRepo()) {
            Table read = Csv.read(repo, "climate@latest/jan.csv", "station", "tmax");
            assertEquals(List.of("station", "tmax"), read.columnNames());
            assertEquals(List.of("A", "B"), values(read, "station"));
            assertEquals(List.of(3, 4), values(read, "tmax"));
            UserError e = assertThrows(UserError.class, () -> Csv.read(repo, "climate@latest/jan.csv", "rain"));
            assertTrue(e.getMessage().contains("'rain'") && e.getMessage().contains("station, date, tmax"), e.getMessage());
            // a path that is not there: the error names what is; a version: how to list them
            UserError noFile = assertThrows(UserError.class, () -> Csv.read(repo, "climate@latest/feb.csv", "tmax"));
            assertTrue(noFile.getMessage().contains("feb.csv") && noFile.getMessage().contains("jan.csv"), noFile.getMessage());
            UserError noVersion = assertThrows(UserError.class, () -> Csv.read(repo, "climate@v9/jan.csv", "tmax"));
            assertTrue(noVersion.getMessage().startsWith("Unknown version 'v9' of dataset 'climate'")
                    && noVersion.getMessage().contains("'kiln data version climate' to list its versions and tags"), noVersion.getMessage());
        }
        assertFalse(Files.exists(t.bob().dir().resolve("data")));
        assertNull(LockFile.read(t.bob().dir()).get("climate"), "a read in place pins nothing");
    }
}
