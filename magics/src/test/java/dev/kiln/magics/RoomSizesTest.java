package dev.kiln.magics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The data engine's rooms stay small: a verb that outgrows its room gets one of its own, and
 * {@code DataRepository} stays a facade over them.
 */
class RoomSizesTest {

    /** The data engine's sources, from the module's directory (where Maven runs the tests). */
    private static final Path DATA = Path.of("src/main/java/dev/kiln/magics/data");
    private static final int MAX_CLASS_LINES = 400;
    private static final int MAX_FACADE_LINES = 300;

    /** Every source file of the data engine and its sub-packages, by path, with its line count. */
    private static Map<String, Long> lineCounts() throws IOException {
        assertTrue(Files.isDirectory(DATA), "run from the magics module: " + DATA.toAbsolutePath());
        Map<String, Long> lines = new TreeMap<>();
        try (Stream<Path> files = Files.walk(DATA)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                try (Stream<String> l = Files.lines(f)) {
                    lines.put(DATA.relativize(f).toString().replace('\\', '/'), l.count());
                }
            }
        }
        return lines;
    }

    @Test
    void noClassOfTheDataEngineIsOver400Lines() throws IOException {
        Map<String, Long> lines = lineCounts();
        assertTrue(lines.size() > 20 && lines.containsKey("remote/S3Remote.java"),
                "the data engine and its sub-packages were found: " + lines.keySet());
        Map<String, Long> over = new TreeMap<>(lines);
        over.values().removeIf(n -> n <= MAX_CLASS_LINES);
        assertEquals(Map.of(), over, "classes over " + MAX_CLASS_LINES + " lines: split them along their seams");
    }

    @Test
    void dataRepositoryStaysAFacadeUnder300Lines() throws IOException {
        long lines = lineCounts().get("DataRepository.java");
        assertTrue(lines < MAX_FACADE_LINES, "DataRepository has " + lines + " lines; its verbs belong in their rooms");
    }
}
