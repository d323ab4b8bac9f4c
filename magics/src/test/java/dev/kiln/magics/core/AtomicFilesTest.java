package dev.kiln.magics.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path tmp;

    @Test
    void aFailedWriteLeavesTheFileAsItWasAndNoTemporaryBehind() throws Exception {
        Path f = tmp.resolve("kiln.lock");
        AtomicFiles.writeString(f, "v1\n");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(f, null, out -> {
            out.write("half of v2".getBytes());
            throw new IOException("No space left on device");
        }));
        assertEquals("No space left on device", e.getMessage());
        assertEquals("v1\n", Files.readString(f));
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of(f), s.toList(), "no temporary file left");
        }
    }

    @Test
    void permissionsAreKeptOrChosen() throws Exception {
        Path fresh = tmp.resolve("sub/dir/new.txt");
        AtomicFiles.writeString(fresh, "x");
        // what the umask leaves of rw-r--r--, as for a file an editor makes; not private like a temporary file
        var expected = Files.getPosixFilePermissions(Files.createFile(tmp.resolve("reference")));
        expected.retainAll(PosixFilePermissions.fromString("rw-r--r--"));
        assertEquals(expected, Files.getPosixFilePermissions(fresh));
        Files.delete(tmp.resolve("reference"));

        Files.setPosixFilePermissions(fresh, PosixFilePermissions.fromString("rw-rw----"));
        AtomicFiles.writeString(fresh, "y");
        assertEquals("y", Files.readString(fresh));
        assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh)));

        Path secret = tmp.resolve("token.json");
        AtomicFiles.writeString(secret, PosixFilePermissions.fromString("rw-------"), "{}");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secret)));
    }
}
