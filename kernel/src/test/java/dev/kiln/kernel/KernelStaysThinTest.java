package dev.kiln.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * KilnKernel stays a bridge of language hooks: start-up lives in KernelLauncher, the protocol in
 * ProtocolKernel, and the list of magics in one place, where the launcher assembles the kernel.
 */
class KernelStaysThinTest {

    static final Path SOURCES = Path.of("src/main/java");
    static final Path KERNEL = SOURCES.resolve("dev/kiln/kernel/KilnKernel.java");

    @Test
    void kilnKernelIsUnder300LinesWithNoMainAndNoProtocolHandler() throws IOException {
        List<String> lines = Files.readAllLines(KERNEL);
        assertTrue(lines.size() < 300, "KilnKernel has " + lines.size() + " lines");
        String source = String.join("\n", lines);
        assertFalse(Pattern.compile("static\\s+void\\s+main\\s*\\(").matcher(source).find(), "main belongs to KernelLauncher");
        assertFalse(Pattern.compile("void\\s+handle\\w+Request\\s*\\(").matcher(source).find(), "requests are ProtocolKernel's");
    }

    @Test
    void magicsAreDeclaredOnlyWhereTheKernelIsAssembled() throws IOException {
        Pattern declaration = Pattern.compile("\\.(line|cell)Magic\\(\\s*\"");
        try (Stream<Path> files = Files.walk(SOURCES)) {
            List<String> declaring = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> declaration.matcher(read(p)).find())
                    .map(p -> p.getFileName().toString())
                    .toList();
            assertEquals(List.of("KernelLauncher.java"), declaring);
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
