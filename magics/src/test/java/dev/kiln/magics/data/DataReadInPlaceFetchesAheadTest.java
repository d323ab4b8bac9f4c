package dev.kiln.magics.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.magics.parquet.Parquet;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.io.LocalInputFile;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.Blob;
import org.gaul.s3proxy.blobstore.options.GetOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/**
 * Reading columns of a Parquet version of many row groups in place, from s3proxy: the chunks of every
 * row group are fetched several ranged GETs at a time (at most the repository's jobs), each block still
 * verified, and a block that fails its hash in a later row group still stops the read, naming the object.
 */
@Timeout(300)
class DataReadInPlaceFetchesAheadTest {

    @TempDir
    Path tmp;

    /** Counts the object GETs in flight at once; each takes a little while, as over a network. */
    static final class GetsInFlight extends ForwardingBlobStore {
        final AtomicInteger now = new AtomicInteger();
        final AtomicInteger most = new AtomicInteger();
        final AtomicInteger ranged = new AtomicInteger();

        GetsInFlight(BlobStore delegate) {
            super(delegate);
        }

        @Override
        public Blob getBlob(String container, String name, GetOptions options) {
            if (!name.contains("/objects/")) {
                return delegate().getBlob(container, name, options);
            }
            most.accumulateAndGet(now.incrementAndGet(), Math::max);
            ranged.incrementAndGet();
            try {
                Thread.sleep(40);
                return delegate().getBlob(container, name, options);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } finally {
                now.decrementAndGet();
            }
        }
    }

    /** About 17 MiB of Parquet in row groups of 4 MiB: a small column's chunks lie in blocks apart. */
    private static Path manyRowGroups(DataProjects.Project p) throws Exception {
        Path csv = p.dir().resolve("data/raw/big/big.csv");
        Files.createDirectories(csv.getParent());
        Random random = new Random(7);
        try (BufferedWriter w = Files.newBufferedWriter(csv)) {
            w.write("id,tmax,pad\n");
            for (int i = 0; i < 150_000; i++) {
                StringBuilder pad = new StringBuilder(100);
                for (int c = 0; c < 100; c++) {
                    pad.append(Character.forDigit(random.nextInt(16), 16));
                }
                w.write(i + "," + (i % 400) / 10.0 + "," + pad + "\n");
            }
        }
        p.run("data add data/raw/big");
        p.run("parquet convert data/raw/big --to data/parquet/big --codec none --row-group-size 4MiB");
        p.run("data push big-parquet");
        return p.dir().resolve("data/parquet/big/big.parquet");
    }

    @Test
    void chunksOfEveryRowGroupAreFetchedSeveralAtATimeEachVerified() throws Exception {
        GetsInFlight[] gets = new GetsInFlight[1];
        try (S3ProxyServer s3 = S3ProxyServer.start(null, store -> gets[0] = new GetsInFlight(store))) {
            s3.createBucket("lab");
            DataProjects projects = new DataProjects(tmp, S3ProxyServer.credentials());
            DataProjects.Project alice = projects.project("alice");
            DataProjects.Project bob = projects.project("bob");
            alice.run("data remote add team s3://lab/p --endpoint " + s3.endpoint());
            bob.run("data remote add team s3://lab/p --endpoint " + s3.endpoint());
            Path local = manyRowGroups(alice);
            List<ColumnChunkMetaData> tmaxChunks = new ArrayList<>();
            try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(local),
                    ParquetReadOptions.builder(new PlainParquetConfiguration()).build())) {
                r.getFooter().getBlocks().forEach(b -> b.getColumns().stream()
                        .filter(c -> c.getPath().toDotString().equals("tmax")).forEach(tmaxChunks::add));
            }
            assertTrue(tmaxChunks.size() >= 4, "row groups: " + tmaxChunks.size());
            Table expected = Parquet.read(local, "tmax");

            gets[0].most.set(0);
            try (DataRepository repo = DataRepository.open(bob.dir(), bob.env(), dev.kiln.magics.core.Progress.NONE, 4)) {
                Table read = Parquet.read(repo, "big-parquet@latest", "tmax");
                assertEquals(expected.doubleColumn("tmax").asList(), read.doubleColumn("tmax").asList());
                assertTrue(repo.bytesFetched() < Files.size(local) / 2, repo.bytesFetched() + " of " + Files.size(local));
            }
            assertTrue(gets[0].most.get() >= 2, "ranged GETs at once: " + gets[0].most.get());
            assertTrue(gets[0].most.get() <= 4, "at most the repository's 4 jobs: " + gets[0].most.get());

            // a block of the last row group's chunk, damaged on the server: the read stops at it, naming the object
            ManifestEntry object;
            try (DataRepository repo = DataRepository.open(bob.dir(), bob.env())) {
                object = repo.files("big-parquet@latest/big.parquet", null).file();
            }
            String key = RemoteLayout.object(object.sha256());
            byte[] bytes = s3.object("lab", "p/" + key);
            long at = tmaxChunks.get(tmaxChunks.size() - 1).getStartingPos() + 10;
            bytes[(int) at] ^= 1;
            s3.putObject("lab", "p/" + key, bytes);
            int block = (int) (at / ObjectIndex.BLOCK_SIZE);
            Files.delete(bob.cache().resolve(RemoteLayout.block(object.sha256(), block)));
            try (DataRepository repo = DataRepository.open(bob.dir(), bob.env())) {
                CorruptObjectException e = assertThrows(CorruptObjectException.class, () -> Parquet.read(repo, "big-parquet@latest", "tmax"));
                assertEquals(key, e.key());
                assertTrue(e.getMessage().contains("block " + block + " "), e.getMessage());
            }
            assertTrue(!Files.exists(bob.cache().resolve(RemoteLayout.block(object.sha256(), block))), "the damaged block is not cached");
        }
    }
}
