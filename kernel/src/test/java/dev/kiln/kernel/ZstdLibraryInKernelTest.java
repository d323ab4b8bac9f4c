package dev.kiln.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.kiln.kernel.install.KernelSpec;
import dev.kiln.magics.parquet.Parquet;
import java.io.File;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A kernelspec written where Kiln's build unpacked zstd-jni's library (target/kiln/zstd-native, as
 * the {@code kiln} launcher does) names it to the kernel's JVM: {@code %parquet convert} with zstd
 * then works in a kernel whose temporary directory is missing, where zstd-jni would otherwise
 * unpack the library (and fails to). Through jupyter_client, as Jupyter starts kernels.
 */
class ZstdLibraryInKernelTest {

    static final Path TEST = Path.of("src/test/python/test_parquet_zstd.py");

    @TempDir
    Path tmp;

    @Test
    @Timeout(600)
    void aKernelConvertsWithZstdWithoutATemporaryDirectoryWhenItsKernelspecNamesTheLibrary() throws Exception {
        Path home = tmp.resolve("kiln-home");
        unpackZstdLibrary(home.resolve("zstd-native"));
        Path csv = tmp.resolve("in.csv");
        Files.writeString(csv, "id,name,amount\n1,a,2.5\n2,b,\n3,\"c, d\",7.25\n");
        KernelSpec noTmp = new KernelSpec(ProcessHandle.current().info().command().orElseThrow(),
                System.getProperty("java.class.path"), List.of("-Djava.io.tmpdir=" + tmp.resolve("no-such-dir")));

        Path named = tmp.resolve("named.parquet");
        new PythonTests(tmp.resolve("named"), noTmp.withNativeLibrariesOf(home)).pytest(TEST,
                Map.of("KILN_CSV", csv.toString(), "KILN_PARQUET", named.toString(), "KILN_EXPECT_CONVERTED", "1"));
        assertEquals(3, Parquet.read(named).rowCount());

        // what the named library spares: the same kernel without it cannot unpack zstd's library
        Path unnamed = tmp.resolve("unnamed.parquet");
        new PythonTests(tmp.resolve("unnamed"), noTmp.withNativeLibrariesOf(tmp.resolve("no-such-home"))).pytest(TEST,
                Map.of("KILN_CSV", csv.toString(), "KILN_PARQUET", unnamed.toString(), "KILN_EXPECT_CONVERTED", "0"));
        assertFalse(Files.exists(unnamed));
    }

    /** This machine's library from the zstd-jni jar on the class path, into {@code into/linux/ARCH}, as the launcher unpacks it. */
    private static void unpackZstdLibrary(Path into) throws Exception {
        String arch = "linux/" + System.getProperty("os.arch");
        String jar = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> e.contains("zstd-jni")).findFirst().orElseThrow();
        try (ZipFile zip = new ZipFile(jar)) {
            ZipEntry entry = zip.stream().filter(e -> e.getName().startsWith(arch + "/") && e.getName().endsWith(".so"))
                    .findFirst().orElse(null);
            assertNotNull(entry, jar + " has no " + arch + " library");
            Path library = into.resolve(entry.getName());
            Files.createDirectories(library.getParent());
            try (InputStream in = zip.getInputStream(entry)) {
                Files.copy(in, library);
            }
        }
    }
}
