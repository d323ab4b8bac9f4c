package dev.kiln.kernel.install;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/** The JDK of version 20 or later the tests run the kernel on: Java's security manager is gone there. */
public final class Jdk20OrLater {

    /** Where a JDK is looked for, unless KILN_TEST_JDK names one. */
    static final Path JVMS = Path.of("/usr/lib/jvm");

    private Jdk20OrLater() {
    }

    /** The java of $KILN_TEST_JDK, else of the newest JDK of 20 or later under /usr/lib/jvm (e.g. Temurin 25). */
    public static Path java() throws IOException {
        String given = System.getenv("KILN_TEST_JDK");
        Optional<Path> home = given != null && !given.isBlank() ? Optional.of(Path.of(given)) : Optional.empty();
        if (home.isEmpty() && Files.isDirectory(JVMS)) {
            try (Stream<Path> jvms = Files.list(JVMS)) {
                home = jvms.filter(j -> KernelSpec.featureVersion(j) >= 20).max(Comparator.comparingInt(KernelSpec::featureVersion));
            }
        }
        Path java = home.map(h -> h.resolve("bin/java")).orElse(null);
        assertTrue(java != null && Files.isExecutable(java) && KernelSpec.featureVersion(home.get()) >= 20,
                "This test needs a JDK of version 20 or later: none under " + JVMS
                        + (given != null ? " and KILN_TEST_JDK=" + given + " is not one" : "")
                        + ". Install one (e.g. Temurin 25 under /usr/lib/jvm) or set KILN_TEST_JDK to its folder.");
        return java;
    }
}
