package dev.kiln.magics.parquet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.Util;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same CSV gives the same Parquet bytes in any JVM: parquet-java lists a column chunk's
 * encodings in identity-hash order, which differs from one JVM (build, class archive) to another.
 */
@Timeout(300)
class ParquetBytesAcrossJvmsTest {

    @TempDir
    Path tmp;

    @Test
    void twoJvmsHashingObjectsDifferentlyWriteTheSameBytesWithEncodingsInOrder() throws Exception {
        StringBuilder csv = new StringBuilder("id,code,label\n");
        for (int i = 0; i < 60_000; i++) {
            // label: unique text past the dictionary's 1 MiB, so its chunks hold dictionary and plain pages
            csv.append(i).append(',').append("c").append(i % 7).append(',').append("label-").append(i).append("-")
                    .append("x".repeat(24)).append('\n');
        }
        Files.writeString(tmp.resolve("in.csv"), csv.toString(), StandardCharsets.UTF_8);

        // hashCode=2 gives every object the same identity hash (a HashSet then iterates in insertion
        // order); 0 draws them at random, 4 takes them from addresses: two runs of those differed
        // in the order of a chunk's encodings before the footer was made canonical
        byte[] constant = convert("constant.parquet", "-XX:hashCode=2");
        List<List<Integer>> lists = encodingLists(constant);
        assertTrue(lists.stream().anyMatch(l -> l.size() >= 2), "a chunk of dictionary and plain pages: " + lists);
        for (List<Integer> l : lists) {
            assertEquals(l.stream().sorted().toList(), l, "a chunk's encodings in number order: " + lists);
        }
        for (String hashing : List.of("-XX:hashCode=0", "-XX:hashCode=4", "-XX:hashCode=0", "-XX:hashCode=4")) {
            assertArrayEquals(constant, convert("other.parquet", hashing), "the same bytes with " + hashing);
            Files.delete(tmp.resolve("other.parquet"));
        }

        // deterministically: the footer with every list reversed (as another JVM may write it) comes
        // back as the canonical file, byte for byte
        byte[] reversed = withEncodingsReversed(constant);
        assertTrue(!java.util.Arrays.equals(constant, reversed), "reversing changed the footer");
        assertArrayEquals(constant, CanonicalFooter.canonical(reversed));
    }

    private byte[] convert(String name, String hashing) throws Exception {
        CliProcess.Outcome o = CliProcess.run(tmp, List.of("-XX:+UnlockExperimentalVMOptions", hashing),
                List.of("parquet", "convert", "in.csv", "--to", name), 240);
        assertEquals(0, o.exit(), o.output());
        return Files.readAllBytes(tmp.resolve(name));
    }

    private static byte[] withEncodingsReversed(byte[] file) throws Exception {
        int length = ByteBuffer.wrap(file, file.length - 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        int start = file.length - 8 - length;
        FileMetaData footer = Util.readFileMetaData(new ByteArrayInputStream(file, start, length));
        for (RowGroup group : footer.getRow_groups()) {
            for (ColumnChunk chunk : group.getColumns()) {
                java.util.Collections.reverse(chunk.getMeta_data().getEncodings());
            }
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        Util.writeFileMetaData(footer, out);
        assertEquals(length, out.size());
        byte[] reversed = file.clone();
        System.arraycopy(out.toByteArray(), 0, reversed, start, length);
        return reversed;
    }

    /** Each column chunk's encodings as the footer lists them, by number. */
    private static List<List<Integer>> encodingLists(byte[] file) throws Exception {
        int length = ByteBuffer.wrap(file, file.length - 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        FileMetaData footer = Util.readFileMetaData(new ByteArrayInputStream(file, file.length - 8 - length, length));
        List<List<Integer>> lists = new ArrayList<>();
        for (RowGroup group : footer.getRow_groups()) {
            for (ColumnChunk chunk : group.getColumns()) {
                lists.add(chunk.getMeta_data().getEncodings().stream().map(Encoding::getValue).toList());
            }
        }
        return lists;
    }
}
