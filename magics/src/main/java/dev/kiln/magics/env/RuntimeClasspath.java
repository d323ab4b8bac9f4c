package dev.kiln.magics.env;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Jars added to the running JVM after start ({@code %maven}, {@code %classpath} in the kernel), so
 * that snapshots list them with the coordinates they were resolved from. Thread-safe.
 */
public final class RuntimeClasspath {

    /** A jar added at run time; {@code coordinates} is {@code null} when it came from a plain path. */
    public record Entry(Path jar, String coordinates) {
    }

    private static final Map<Path, Entry> ENTRIES = new LinkedHashMap<>();

    /**
     * Records a jar the kernel added to its class path.
     *
     * @param jar              the jar file
     * @param mavenCoordinates {@code groupId:artifactId:version} it was resolved from, or {@code null}
     */
    public static synchronized void add(Path jar, String mavenCoordinates) {
        Path p = jar.toAbsolutePath().normalize();
        Entry old = ENTRIES.get(p);
        String coords = mavenCoordinates != null ? mavenCoordinates : old == null ? null : old.coordinates();
        ENTRIES.put(p, new Entry(p, coords));
    }

    /** The jars added so far, in the order they were added. */
    public static synchronized List<Entry> entries() {
        return new ArrayList<>(ENTRIES.values());
    }

    /** Forgets every addition (a kernel restart starts a new JVM; tests use this). */
    public static synchronized void clear() {
        ENTRIES.clear();
    }

    private RuntimeClasspath() {
    }
}
