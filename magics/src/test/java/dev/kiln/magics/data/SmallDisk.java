package dev.kiln.magics.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small file system for a test: a tmpfs of a given size and number of inodes mounted on a
 * directory (the tests run as root, here and in CI), unmounted on close.
 */
final class SmallDisk implements AutoCloseable {

    private final Path dir;

    private SmallDisk(Path dir) {
        this.dir = dir;
    }

    /** Mounts a tmpfs of {@code bytes} (rounded up to pages) and {@code inodes} files and directories (its root is one) on {@code dir}. */
    static SmallDisk mount(Path dir, long bytes, int inodes) throws Exception {
        Files.createDirectories(dir);
        run("mount", "-t", "tmpfs", "-o", "size=" + bytes + ",nr_inodes=" + inodes + ",mode=0755", "kiln-test", dir.toString());
        return new SmallDisk(dir);
    }

    Path dir() {
        return dir;
    }

    /** Leaves room for {@code more} files and directories beyond those it holds now. */
    void roomForFiles(int more) throws Exception {
        long used;
        try (java.util.stream.Stream<Path> s = Files.walk(dir)) {
            used = s.count(); // the root included, as tmpfs counts it
        }
        run("mount", "-o", "remount,nr_inodes=" + (used + more), dir.toString());
    }

    /** Makes it read-only: every write fails with EROFS. */
    void readOnly() throws Exception {
        run("mount", "-o", "remount,ro", dir.toString());
    }

    @Override
    public void close() throws Exception {
        try {
            run("umount", dir.toString());
        } catch (IOException e) {
            run("umount", "-l", dir.toString());
        }
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + " did not finish in 30 s");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed (" + p.exitValue() + "): " + out);
        }
    }
}
