package dev.kiln.magics.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry beside the sidecar's info file of projects whose records wait in their spools. */
class SpooledProjectsTest {

    @TempDir
    Path dir;

    @Test
    void namesEachProjectOnceReadableByTheUserAloneAndForgetsProjectsSinceRemoved() throws Exception {
        Path a = Files.createDirectories(dir.resolve("a"));
        Path b = Files.createDirectories(dir.resolve("b"));
        SpooledProjects registry = SpooledProjects.beside(dir.resolve("run/sidecar.json"));
        registry.create();
        registry.add(b);
        registry.add(a);
        registry.add(a.resolve("x/.."));
        assertEquals(List.of(a, b), registry.projects());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(registry.dir())));
        try (var entries = Files.list(registry.dir())) {
            for (Path e : entries.toList()) {
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(e)));
            }
        }
        Files.delete(b);
        assertEquals(List.of(a), registry.projects());
        try (var entries = Files.list(registry.dir())) {
            assertEquals(1, entries.count(), "the entry of the removed project is gone");
        }
    }

    @Test
    void whereNoSidecarMadeTheRegistryNothingIsWritten() throws Exception {
        SpooledProjects registry = SpooledProjects.beside(dir.resolve("home/.local/share/kiln/sidecar.json"));
        registry.add(Files.createDirectories(dir.resolve("a")));
        assertFalse(Files.exists(dir.resolve("home")), "a command with no sidecar ever started leaves nothing in the home folder");
        assertEquals(List.of(), registry.projects());
    }

    @Test
    void aRegistryOthersCouldWriteIsNotTrusted() throws Exception {
        Path a = Files.createDirectories(dir.resolve("a"));
        SpooledProjects registry = SpooledProjects.beside(dir.resolve("shared/sidecar.json"));
        registry.create();
        registry.add(a);
        Files.setPosixFilePermissions(registry.dir(), PosixFilePermissions.fromString("rwxrwxrwx"));
        assertEquals(List.of(), registry.projects(), "anyone could have named a project there");
        Files.setPosixFilePermissions(registry.dir(), PosixFilePermissions.fromString("rwx------"));
        assertEquals(List.of(a), registry.projects());
    }
}
