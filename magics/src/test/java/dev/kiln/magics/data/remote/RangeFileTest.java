package dev.kiln.magics.data.remote;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RangeFileTest {

    @TempDir
    Path tmp;

    /** Ranges written last to first, the file's size not a multiple of any block: the file is exactly the bytes. */
    private byte[] writeBackwards(Path file, int range, int size, boolean expectDirect) throws Exception {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             RangeFile f = RangeFile.open(file, out, range, 2)) {
            assertEquals(expectDirect, f.direct(), "direct I/O on " + Files.getFileStore(file).type());
            for (int from = (size - 1) / range * range; from >= 0; from -= range) {
                f.write(data, from, Math.min(range, size - from), from);
            }
            f.finish(size);
        }
        return data;
    }

    @Test
    void rangesAlignedToTheBlocksGoDirectWhereTheFileSystemAllowsAndTheFileIsExact() throws Exception {
        Path file = tmp.resolve("aligned.bin");
        boolean directable = Set.of("ext4", "xfs").contains(Files.getFileStore(tmp).type());
        // three ranges of 2 MiB, the last one short and ending mid-block
        byte[] data = writeBackwards(file, 2 << 20, (5 << 20) + 1234, directable);
        assertArrayEquals(data, Files.readAllBytes(file));
    }

    @Test
    void rangesNotAlignedToTheBlocksGoThroughThePageCache() throws Exception {
        Path file = tmp.resolve("unaligned.bin");
        byte[] data = writeBackwards(file, 1_000_003, 3_500_000, false);
        assertArrayEquals(data, Files.readAllBytes(file));
    }

    @Test
    void directIoCanBeTurnedOff() throws Exception {
        System.setProperty("kiln.data.directio", "false");
        try {
            Path file = tmp.resolve("off.bin");
            byte[] data = writeBackwards(file, 1 << 20, (3 << 20) + 7, false);
            assertArrayEquals(data, Files.readAllBytes(file));
            assertFalse(Files.size(file) > data.length);
        } finally {
            System.clearProperty("kiln.data.directio");
        }
    }
}
