package dev.kiln.magics.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class TempFilesTest {

    @TempDir
    Path tmp;

    /** The id of a process that has ended. */
    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertFalse(ProcessHandle.of(p.pid()).map(ProcessHandle::isAlive).orElse(false));
        return p.pid();
    }

    @Test
    @Timeout(60)
    void aSharedTemporaryFileIsAbandonedOnceItsProcessOfThisBootIsGone() throws Exception {
        Path mine = Files.writeString(TempFiles.sharedIn(tmp), "being written");
        String[] tag = mine.getFileName().toString().split("\\.");
        assertEquals(3, tag.length, mine.toString());
        assertEquals(String.valueOf(ProcessHandle.current().pid()), tag[1]);
        assertFalse(TempFiles.abandonedShared(mine), "this process is alive");

        Path dead = Files.writeString(tmp.resolve(tag[0] + "." + deadPid() + ".00c0ffee"), "left by a killed push");
        assertTrue(TempFiles.abandonedShared(dead), "its process is gone: removed at once, however fresh");
    }

    @Test
    void aSharedTemporaryFileOfAnotherMachineIsAbandonedOnlyWhenIdleForADay() throws Exception {
        // another boot's (or machine's) process cannot be looked up: its file's age decides
        Path other = Files.writeString(tmp.resolve("0a1b2c3d-another-boot.4242.00c0ffee"), "being written elsewhere");
        assertFalse(TempFiles.abandonedShared(other), "fresh: its writer may be running on another machine");
        Files.setLastModifiedTime(other, FileTime.from(Instant.now().minus(TempFiles.IDLE).minus(Duration.ofMinutes(5))));
        assertTrue(TempFiles.abandonedShared(other), "untouched for a day");

        Path foreign = Files.writeString(tmp.resolve("notes.txt"), "a name of another shape");
        assertFalse(TempFiles.abandonedShared(foreign));
        Files.setLastModifiedTime(foreign, FileTime.from(Instant.now().minus(Duration.ofDays(2))));
        assertTrue(TempFiles.abandonedShared(foreign), "judged by age alone");
    }

    @Test
    @Timeout(60)
    void aTemporaryNameBesideItsTargetIsAbandonedOnceItsProcessIsGone() throws Exception {
        Path target = tmp.resolve("out.parquet");
        Path mine = Files.writeString(TempFiles.beside(target), "being written");
        assertEquals("out.parquet", TempFiles.targetName(mine.getFileName().toString()));
        assertTrue(mine.getFileName().toString().startsWith(TempFiles.ownPrefix()));
        assertFalse(TempFiles.abandoned(mine.getFileName().toString()));
        String dead = TempFiles.MARK + deadPid() + "-00c0ffee-out.parquet";
        assertTrue(TempFiles.abandoned(dead));
        assertFalse(TempFiles.abandoned("out.parquet"), "not a temporary name");
    }

    @Test
    void deleteQuietlyRemovesATreeAndAMissingPathIsNoError() throws Exception {
        Path stash = Files.createDirectories(tmp.resolve(TempFiles.ownPrefix() + "stash/a/b"));
        Files.writeString(stash.resolve("f"), "x");
        Files.writeString(tmp.resolve(TempFiles.ownPrefix() + "stash/g"), "y");
        Path kept = Files.writeString(tmp.resolve("kept"), "z");
        TempFiles.deleteQuietly(tmp.resolve(TempFiles.ownPrefix() + "stash"));
        TempFiles.deleteQuietly(tmp.resolve("missing"));
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of(kept), s.toList());
        }
    }
}
