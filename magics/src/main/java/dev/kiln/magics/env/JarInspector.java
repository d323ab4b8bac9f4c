package dev.kiln.magics.env;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Hashes class path entries and reads their Maven coordinates. A jar's hash and coordinates are
 * cached by (path, size, mtime, inode) in {@code jar-hashes.json} of the cache directory, so a
 * snapshot of an unchanged class path only stats its files.
 */
public final class JarInspector {

    /** What a jar was last seen as, and what it held. */
    record Cached(long size, long mtimeNanos, String fileKey, String sha256, String coordinates) {
    }

    /** One inspected entry; {@code sha256} null when the path does not exist. */
    record Inspected(Path path, boolean directory, String sha256, long size, String coordinates) {
    }

    private static final String CACHE_FILE = "jar-hashes.json";
    private static final int MAX_CACHED = 20_000;

    private final Path cacheFile;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private volatile boolean changed;

    /** @param cacheDir where the hash cache lives; {@code null}: no cache */
    public JarInspector(Path cacheDir) {
        this.cacheFile = cacheDir == null ? null : cacheDir.resolve(CACHE_FILE);
        load();
    }

    /** Inspects every path, in parallel, keeping their order. */
    List<Inspected> inspectAll(List<Path> paths) {
        return paths.parallelStream().map(this::inspect).toList();
    }

    Inspected inspect(Path path) {
        try {
            BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class);
            if (attrs.isDirectory()) {
                return inspectDirectory(path);
            }
            String key = path.toAbsolutePath().normalize().toString();
            long mtime = attrs.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS);
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
            Map<String, Cached> toSave = cache;
            if (toSave.size() > MAX_CACHED) {
                toSave = Map.of();
            }
            Path tmp = Files.createTempFile(cacheFile.getParent(), CACHE_FILE, ".tmp");
            try {
                Files.write(tmp, CanonicalJson.MAPPER.writeValueAsBytes(toSave));
                Files.move(tmp, cacheFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
            changed = false;
        } catch (IOException e) {
            // A cache that cannot be written only makes the next snapshot slower.
        }
    }

    private void load() {
        if (cacheFile == null || !Files.isRegularFile(cacheFile)) {
            return;
        }
        try {
            Map<String, Cached> read = CanonicalJson.MAPPER.readValue(cacheFile.toFile(), new TypeReference<>() {
            });
            read.forEach((k, v) -> {
                if (v != null && v.sha256() != null && v.fileKey() != null) {
                    cache.put(k, v);
                }
            });
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
            md.update(rel.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            md.update((byte) 0);
            md.update(sha256(f).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
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
