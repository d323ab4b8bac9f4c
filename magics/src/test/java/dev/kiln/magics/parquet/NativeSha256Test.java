package dev.kiln.magics.parquet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.magics.core.Progress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The output's SHA-256 comes from NSS where the JDK configures it (Debian's), else from the JDK's
 * own provider: the same digest either way, and a JDK without NSS's configuration converts as before.
 */
class NativeSha256Test {

    private static final Path TEMURIN_25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");

    @TempDir
    Path dir;

    @Test
    void theDigestIsTheJdksForEverySizeAndWayOfWriting() throws Exception {
        Random random = new Random(20);
        for (int size : new int[] {0, 1, 55, 56, 63, 64, 65, 95, 96, 97, 4096, 1 << 20, (1 << 20) + 13}) {
            byte[] data = new byte[size];
            random.nextBytes(data);
            MessageDigest nss = HashingOutputFile.NativeSha256.digest();
            // as parquet's writer feeds it: single bytes, short runs and whole pages
            int off = 0;
            for (int step = 0; off < size; step++) {
                int len = Math.min(size - off, step % 3 == 0 ? 1 : step % 3 == 1 ? 7 : 70_000);
                if (len == 1) {
                    nss.update(data[off]);
                } else {
                    nss.update(data, off, len);
                }
                off += len;
            }
            assertArrayEquals(MessageDigest.getInstance("SHA-256", "SUN").digest(data), nss.digest(), size + " bytes");
        }
    }

    @Test
    void debiansJdkHashesWithNss() {
        Path nssConfig = Path.of(System.getProperty("java.home"), "conf", "security", "nss.cfg");
        boolean nss = Files.isRegularFile(nssConfig) && Stream.of("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu")
                .anyMatch(d -> Files.isRegularFile(Path.of(d, "libnss3.so")));
        assertEquals(nss ? "SunPKCS11-NSS" : "SUN", HashingOutputFile.NativeSha256.digest().getProvider().getName(),
                "nss.cfg " + Files.exists(nssConfig));
    }

    @Test
    @Timeout(300)
    void aJdkWithoutNssConfigurationConvertsWithTheJdksDigest() throws Exception {
        assertTrue(Files.isExecutable(TEMURIN_25), "Temurin 25 is installed beside the default JDK (DESIGN.md)");
        assertTrue(Files.notExists(TEMURIN_25.getParent().resolveSibling("conf/security/nss.cfg")), "Temurin has no nss.cfg");
        Files.writeString(dir.resolve("in.csv"), "id,name\n1,a\n2,b\n");
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process p = new ProcessBuilder(List.of(TEMURIN_25.toString(), "-cp", cp, Convert.class.getName(), dir.toString()))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertEquals("SUN " + CsvToParquet.sha256(dir.resolve("in.parquet")), out.lines().reduce((a, b) -> b).orElse(""), out);
    }

    /** Converts DIR/in.csv; prints the digest's provider and the hash the conversion took while writing. */
    static final class Convert {
        public static void main(String[] args) throws Exception {
            Path dir = Path.of(args[0]);
            ConversionReport r = new CsvToParquet(ConversionOptions.defaults(), Progress.NONE)
                    .convert(dir.resolve("in.csv"), dir.resolve("in.parquet"));
            System.out.println(HashingOutputFile.NativeSha256.digest().getProvider().getName() + " " + r.files().get(0).sha256());
        }
    }
}
