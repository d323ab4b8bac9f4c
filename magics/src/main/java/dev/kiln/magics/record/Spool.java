package dev.kiln.magics.record;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Records waiting for the sidecar, one file per record in {@code .kiln/spool/}: written whole
 * (temp file + rename) before anyone tries to send them, removed only once the sidecar has them.
 * Names sort in the order records were made: {@code <millis>-<pid>-<seq>.<kind>.json}.
 */
final class Spool {

    private static final long PID = ProcessHandle.current().pid();

    private final Path dir;
    private final AtomicLong seq = new AtomicLong();

    Spool(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    /** Keeps one record on disk and returns its file. */
    Path add(String kind, byte[] json) {
        try {
            Files.createDirectories(dir);
            String name = String.format("%013d-%d-%09d.%s.json", System.currentTimeMillis(), PID, seq.incrementAndGet(), kind);
            Path tmp = Files.createTempFile(dir, ".spool-", ".tmp");
            Files.write(tmp, json);
            Path target = dir.resolve(name);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not keep a " + kind + " record in " + dir, e);
        }
    }

    /** Removes half-written temp files a killed process left behind (older than an hour, so never one in progress). */
    void sweep() {
        if (!Files.isDirectory(dir)) {
            return;
        }
        long cutoff = System.currentTimeMillis() - 3_600_000L;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, ".spool-*.tmp")) {
            for (Path p : ds) {
                if (Files.getLastModifiedTime(p).toMillis() < cutoff) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            // a leftover temp file is harmless: it is never read as a record
        }
    }

    /** Records waiting, oldest first. */
    List<Path> pending() {
        List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return files;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.json")) {
            for (Path p : ds) {
                files.add(p);
            }
        } catch (NoSuchFileException e) {
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not list the spool " + dir, e);
        }
        files.sort(null);
        return files;
    }

    /** The kind of record in a spool file ({@code snapshots}, {@code versions}, {@code runs}). */
    static String kind(Path file) {
        String name = file.getFileName().toString();
        String stem = name.substring(0, name.length() - ".json".length());
        return stem.substring(stem.lastIndexOf('.') + 1);
    }

    /** Delivered: gone. Another process may have delivered and removed it first. */
    void done(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not remove delivered record " + file, e);
        }
    }

    /** Refused by the sidecar: kept aside in {@code rejected/} with the reason, never retried. */
    void reject(Path file, String reason) {
        try {
            Path rejected = dir.resolve("rejected");
            Files.createDirectories(rejected);
            Files.writeString(rejected.resolve(file.getFileName() + ".reason.txt"), reason + "\n");
            Files.move(file, rejected.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        } catch (NoSuchFileException e) {
            // another process dealt with it
        } catch (IOException e) {
            throw new UncheckedIOException("Could not set aside rejected record " + file, e);
        }
    }
}
