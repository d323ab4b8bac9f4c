package dev.kiln.magics.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.magics.parquet.Parquet;
import java.io.File;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code kiln} launcher takes zstd-jni's library out of its jar once per build and names it
 * with {@code -DZstdNativePath} for {@code parquet convert}: the conversion then loads that file
 * and writes none of its own to the temporary directory (which may be full, missing or noexec),
 * and its Parquet bytes are those of a conversion that unpacked the library itself.
 */
@Timeout(300)
class ZstdLibraryPathTest {

    @TempDir
    Path dir;

    @Test
    void aConversionLoadsZstdFromTheNamedLibraryWithoutATemporaryDirectory() throws Exception {
        Files.writeString(dir.resolve("in.csv"), "id,name,amount\n1,a,2.5\n2,b,\n3,\"c, d\",7.25\n");
        Path library = extractZstdLibrary(dir.resolve("native"));
        String noTmp = "-Djava.io.tmpdir=" + dir.resolve("no-such-dir");

        Run unpacked = convert("unpacked.parquet");
        assertEquals(0, unpacked.exit, unpacked.output);
        Run named = convert("named.parquet", noTmp, "-DZstdNativePath=" + library);
        assertEquals(0, named.exit, named.output);
        assertEquals(3, Parquet.read(dir.resolve("named.parquet")).rowCount());
        assertArrayEquals(Files.readAllBytes(dir.resolve("unpacked.parquet")), Files.readAllBytes(dir.resolve("named.parquet")),
                "the same Parquet bytes, wherever zstd came from");
        // what the named library spares: unpacking into a temporary directory that is not there fails
        Run without = convert("without.parquet", noTmp);
        assertNotEquals(0, without.exit, without.output);
    }

    private record Run(int exit, String output) {
    }

    private Run convert(String out, String... jvmOptions) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(Arrays.asList(jvmOptions));
        cmd.addAll(List.of("-cp", classPath(), "dev.kiln.magics.cli.Main", "parquet", "convert", "in.csv", "--to", out,
                "--codec", "zstd"));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the conversion ended");
        return new Run(p.exitValue(), output);
    }

    private static String classPath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    /** This machine's library from the zstd-jni jar on the class path, as the launcher unpacks it. */
    private static Path extractZstdLibrary(Path into) throws Exception {
        String arch = switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "linux/amd64";
            case "aarch64" -> "linux/aarch64";
            default -> throw new IllegalStateException("no zstd-jni library named for " + System.getProperty("os.arch"));
        };
        String jar = Arrays.stream(classPath().split(File.pathSeparator)).filter(e -> e.contains("zstd-jni")).findFirst()
                .orElseThrow(() -> new IllegalStateException("no zstd-jni jar on " + classPath()));
        try (ZipFile zip = new ZipFile(jar)) {
            ZipEntry entry = zip.stream().filter(e -> e.getName().startsWith(arch + "/") && e.getName().endsWith(".so"))
                    .findFirst().orElse(null);
            assertNotNull(entry, jar + " has no " + arch + " library");
            Path library = into.resolve(entry.getName());
            Files.createDirectories(library.getParent());
            try (InputStream in = zip.getInputStream(entry)) {
                Files.copy(in, library);
            }
            return library;
        }
    }
}
