package dev.kiln.magics.parquet;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Public data that no one here wrote: the npm package vega-datasets (US ZIP codes, airports,
 * bird strikes, weather, stocks, unemployment by county, and three million flights as Parquet),
 * fetched with npm into target/corpus once, checked against the registry's SHA-1, and unpacked.
 * A fresh clone gets the same bytes; nothing large is committed.
 */
final class RealDataCorpus {

    static final String PACKAGE = "vega-datasets";
    static final String VERSION = "3.2.1";
    /** The registry's {@code dist.shasum} of the package's tarball. */
    static final String SHA1 = "0357a23aa33e9e2cfba939c9efddbb757bf61888";

    private static final Path ROOT = Path.of("target", "corpus").toAbsolutePath();

    /** The unpacked package's data folder, fetching and unpacking it the first time. */
    static synchronized Path dataDir() throws Exception {
        Path unpacked = ROOT.resolve(PACKAGE + "-" + VERSION);
        Path data = unpacked.resolve("package/data");
        if (Files.isRegularFile(unpacked.resolve(".complete"))) {
            return data;
        }
        Files.createDirectories(ROOT);
        Path tgz = ROOT.resolve(PACKAGE + "-" + VERSION + ".tgz");
        if (!Files.exists(tgz) || !SHA1.equals(sha1(tgz))) {
            Path staging = Files.createTempDirectory(ROOT, "pack-");
            run(List.of("npm", "pack", PACKAGE + "@" + VERSION, "--pack-destination", staging.toString(), "--silent"), ROOT, 300);
            Path packed = staging.resolve(PACKAGE + "-" + VERSION + ".tgz");
            String got = sha1(packed);
            if (!SHA1.equals(got)) {
                throw new IllegalStateException("npm pack " + PACKAGE + "@" + VERSION + " gave a tarball with SHA-1 " + got
                        + ", not the registry's " + SHA1);
            }
            Files.move(packed, tgz, StandardCopyOption.REPLACE_EXISTING);
            Files.delete(staging);
        }
        Path staging = Files.createTempDirectory(ROOT, "unpack-");
        run(List.of("tar", "xzf", tgz.toString(), "-C", staging.toString(), "package/data"), ROOT, 120);
        Files.writeString(staging.resolve(".complete"), SHA1);
        dev.kiln.magics.core.TempFiles.deleteRecursively(unpacked);
        Files.move(staging, unpacked);
        return data;
    }

    /** The package's CSV and TSV files, by name. */
    static List<Path> csvFiles() throws Exception {
        try (Stream<Path> s = Files.list(dataDir())) {
            return s.filter(p -> p.getFileName().toString().endsWith(".csv") || p.getFileName().toString().endsWith(".tsv"))
                    .sorted().toList();
        }
    }

    private static void run(List<String> cmd, Path dir, int seconds) throws Exception {
        Path log = Files.createTempFile("corpus-", ".log");
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                throw new IllegalStateException(String.join(" ", cmd) + " did not end within " + seconds + " s");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed (exit " + p.exitValue() + "): "
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static String sha1(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-1");
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private RealDataCorpus() {
    }
}
