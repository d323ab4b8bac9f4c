package dev.kiln.magics.env;

import dev.kiln.magics.core.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Hashes class path entries and reads their Maven coordinates. A jar's hash and coordinates are
 * cached by (path, size, mtime, inode) in {@code jar-hashes.tsv} of the cache directory, so a
 * snapshot of an unchanged class path only stats its files.
 */
public final class JarInspector {

    /** What a jar was last seen as, and what it held. */
    record Cached(long size, long mtimeNanos, String fileKey, String sha256, String coordinates) {
    }

    /** One inspected entry; {@code sha256} null when the path does not exist. */
    record Inspected(Path path, boolean directory, String sha256, long size, String coordinates) {
    }

    private static final String CACHE_FILE = "jar-hashes.tsv";
    private static final String FORMAT = "kiln jar hashes 1\tpath\tsize\tmtime-ns\tfile-key\tsha256\tcoordinates";
    private static final int MAX_CACHED = 20_000;

    private final Path cacheFile;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private volatile boolean changed;

    /** @param cacheDir where the hash cache lives; {@code null}: no cache */
    public JarInspector(Path cacheDir) {
        this.cacheFile = cacheDir == null ? null : cacheDir.resolve(CACHE_FILE);
        load();
    }

    /** Inspects every path, keeping their order: cache hits by one stat each, misses hashed in parallel. */
    List<Inspected> inspectAll(List<Path> paths) {
        Inspected[] result = new Inspected[paths.size()];
        List<Integer> misses = new ArrayList<>();
        for (int i = 0; i < result.length; i++) {
            result[i] = cached(paths.get(i));
            if (result[i] == null) {
                misses.add(i);
            }
        }
        if (misses.size() == 1) {
            result[misses.get(0)] = inspect(paths.get(misses.get(0)));
        } else if (!misses.isEmpty()) {
            misses.parallelStream().forEach(i -> result[i] = inspect(paths.get(i)));
        }
        return List.of(result);
    }

    /** The cached inspection of a jar whose stat matches, else null. */
    private Inspected cached(Path path) {
        try {
            BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class);
            if (attrs.isDirectory()) {
                return null;
            }
            Cached c = cache.get(path.toAbsolutePath().normalize().toString());
            if (c != null && c.size() == attrs.size() && c.mtimeNanos() == attrs.lastModifiedTime().to(TimeUnit.NANOSECONDS)
                    && c.fileKey().equals(String.valueOf(attrs.fileKey()))) {
                return new Inspected(path, false, c.sha256(), c.size(), c.coordinates());
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    Inspected inspect(Path path) {
        try {
            BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class);
            if (attrs.isDirectory()) {
                return inspectDirectory(path);
            }
            String key = path.toAbsolutePath().normalize().toString();
            long mtime = attrs.lastModifiedTime().to(TimeUnit.NANOSECONDS);
            String fileKey = String.valueOf(attrs.fileKey());
            Cached c = cache.get(key);
            if (c != null && c.size() == attrs.size() && c.mtimeNanos() == mtime && c.fileKey().equals(fileKey)) {
                return new Inspected(path, false, c.sha256(), c.size(), c.coordinates());
            }
            String sha = sha256(path);
            String coords = MavenCoordinates.of(path);
            cache.put(key, new Cached(attrs.size(), mtime, fileKey, sha, coords));
            changed = true;
            return new Inspected(path, false, sha, attrs.size(), coords);
        } catch (NoSuchFileException e) {
            return new Inspected(path, false, null, 0, null);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("Could not read class path entry " + path + ": " + e.getMessage(), e);
        }
    }

    /** Saves new hashes (atomically; a concurrent snapshot's save may win, which only costs a re-hash). */
    void save() {
        if (cacheFile == null || !changed) {
            return;
        }
        try {
            Files.createDirectories(cacheFile.getParent());
            StringBuilder out = new StringBuilder(FORMAT).append('\n');
            if (cache.size() <= MAX_CACHED) {
                cache.forEach((path, c) -> {
                    if (path.indexOf('\t') >= 0 || path.indexOf('\n') >= 0) {
                        return; // a name the format cannot hold is simply hashed each time
                    }
                    out.append(path).append('\t').append(c.size()).append('\t').append(c.mtimeNanos())
                        .append('\t').append(c.fileKey()).append('\t').append(c.sha256()).append('\t')
                        .append(c.coordinates() == null ? "" : c.coordinates()).append('\n');
                });
            }
            AtomicFiles.writeString(cacheFile, out.toString());
            changed = false;
        } catch (IOException e) {
            // A cache that cannot be written only makes the next snapshot slower.
        }
    }

    /** Tab-separated lines, read without a JSON parser: the warm path of a snapshot is only stat calls. */
    private void load() {
        if (cacheFile == null || !Files.isRegularFile(cacheFile)) {
            return;
        }
        try {
            List<String> lines = Files.readAllLines(cacheFile, StandardCharsets.UTF_8);
            if (lines.isEmpty() || !lines.get(0).equals(FORMAT)) {
                return; // another layout: rebuilt from scratch
            }
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split("\t", -1);
                if (f.length == 6 && f[4].length() == 64) {
                    cache.put(f[0], new Cached(Long.parseLong(f[1]), Long.parseLong(f[2]), f[3], f[4], f[5].isEmpty() ? null : f[5]));
                }
            }
        } catch (IOException | RuntimeException e) {
            // A damaged cache is rebuilt: hashes are recomputed, never trusted blindly.
            cache.clear();
        }
    }

    /** A directory's hash: SHA-256 over its files' relative paths and SHA-256s, sorted by path. */
    private Inspected inspectDirectory(Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = new ArrayList<>(s.filter(Files::isRegularFile).toList());
        }
        files.sort(null);
        MessageDigest md = newDigest();
        long size = 0;
        for (Path f : files) {
            String rel = dir.relativize(f).toString().replace('\\', '/');
            md.update(rel.getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
            md.update(sha256(f).getBytes(StandardCharsets.US_ASCII));
            md.update((byte) '\n');
            size += Files.size(f);
        }
        return new Inspected(dir, true, HexFormat.of().formatHex(md.digest()), size, null);
    }

    static String sha256(Path file) throws IOException {
        MessageDigest md = newDigest();
        ByteBuffer buf = ByteBuffer.allocate(1 << 16);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (ch.read(buf) >= 0) {
                buf.flip();
                md.update(buf);
                buf.clear();
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Maven coordinates of a jar: its {@code pom.properties}, else its place in a Maven repository. */
    static final class MavenCoordinates {

        static String of(Path jar) {
            String fromPom = fromPomProperties(jar);
            return fromPom != null ? fromPom : fromRepositoryPath(jar);
        }

        /** The one pom.properties, or the one whose artifactId starts the file name (shaded jars hold several). */
        static String fromPomProperties(Path jar) {
            List<String> found = new ArrayList<>();
            String fileName = jar.getFileName().toString();
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                    ZipEntry entry = e.nextElement();
                    String n = entry.getName();
                    if (n.startsWith("META-INF/maven/") && n.endsWith("/pom.properties")) {
                        Properties p = new Properties();
                        try (InputStream in = zip.getInputStream(entry)) {
                            p.load(in);
                        }
                        String g = p.getProperty("groupId");
                        String a = p.getProperty("artifactId");
                        String v = p.getProperty("version");
                        if (g != null && a != null && v != null) {
                            String coords = g.strip() + ":" + a.strip() + ":" + v.strip();
                            if (fileName.startsWith(a.strip() + "-") || fileName.equals(a.strip() + ".jar")) {
                                return coords;
                            }
                            found.add(coords);
                        }
                    }
                }
            } catch (IOException e) {
                return null; // not a zip: no coordinates, the hash still identifies it
            }
            return found.size() == 1 ? found.get(0) : null;
        }

        /** {@code …/repository/org/example/lib/1.2/lib-1.2.jar} → {@code org.example:lib:1.2}. */
        static String fromRepositoryPath(Path jar) {
            Path abs = jar.toAbsolutePath().normalize();
            int n = abs.getNameCount();
            if (n < 5) {
                return null;
            }
            String file = abs.getFileName().toString();
            String version = abs.getName(n - 2).toString();
            String artifact = abs.getName(n - 3).toString();
            if (!file.startsWith(artifact + "-" + version)) {
                return null;
            }
            for (int i = n - 4; i >= 0; i--) {
                if (abs.getName(i).toString().equals("repository") && i < n - 4) {
                    StringBuilder group = new StringBuilder();
                    for (int j = i + 1; j < n - 3; j++) {
                        group.append(j > i + 1 ? "." : "").append(abs.getName(j));
                    }
                    return group + ":" + artifact + ":" + version;
                }
            }
            return null;
        }

        private MavenCoordinates() {
        }
    }
}
