package dev.kiln.kernel.install;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The file a kernel maps its classes from instead of loading them: on Java 25 and later an AOT
 * cache ({@code -XX:AOTCache}: classes loaded and linked, and method profiles), before that a
 * dynamic class-data-sharing archive. Either is trained by running the kernel's {@code --train}
 * workload into a temporary file that is then renamed into place, so a kernel starting meanwhile
 * never maps half a file; a JVM finding it stale (another JDK build, other jars) starts without it.
 */
final class StartupArchive {

    private final Path file;
    private final boolean aotCache;

    /** The archive in {@code dir} for a kernel on Java {@code feature}. */
    StartupArchive(Path dir, int feature) {
        this.aotCache = feature >= 25;
        this.file = dir.resolve(aotCache ? "kiln.aot" : "kiln.jsa");
    }

    Path file() {
        return file;
    }

    /**
     * The JVM options that make a kernel use the archive, and stay quiet when it is stale: every
     * tag set with cds or aot in it ({@code cds=off} alone left Java 17's
     * {@code [cds,dynamic] Unable to use shared archive} on the kernel's stderr once jars changed).
     */
    List<String> runOptions() {
        return aotCache
                ? List.of("-XX:AOTCache=" + file, "-Xlog:aot*=off", "-Xlog:cds*=off")
                : List.of("-Xshare:auto", "-XX:SharedArchiveFile=" + file, "-Xlog:cds*=off");
    }

    /**
     * Runs {@code trainingCommand} (java, its JVM options, then the class path and main class) with
     * the options that write the archive, at most three minutes; returns whether it was written.
     * An AOT cache is trained with the kernel's agent, whose module (java.instrument) it must
     * find at run time; a CDS archive without it, since Java 17 archives nothing with an agent.
     */
    boolean train(List<String> javaAndOptions, Path agentJar, List<String> classpathAndMain, Path workDir)
            throws IOException {
        Path temp = Files.createTempFile(file.getParent(), file.getFileName() + ".", ".tmp");
        Files.delete(temp); // the JVM writes it afresh
        List<String> cmd = new ArrayList<>(javaAndOptions);
        if (aotCache) {
            cmd.addAll(List.of("-javaagent:" + agentJar, "-XX:AOTCacheOutput=" + temp));
        } else {
            cmd.addAll(List.of("-Xshare:auto", "-XX:ArchiveClassesAtExit=" + temp));
        }
        cmd.addAll(classpathAndMain);
        try {
            Process p = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            boolean done = p.waitFor(180, TimeUnit.SECONDS);
            if (!done) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
            if (done && p.exitValue() == 0 && Files.isRegularFile(temp)) {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                return true;
            }
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while training the kernel's archive", e);
        } finally {
            Files.deleteIfExists(temp);
            Files.deleteIfExists(Path.of(temp + ".config")); // the AOT training's own, if it was cut short
        }
    }
}
