package dev.kiln.magics.env;

import dev.kiln.magics.core.AtomicFiles;
import dev.kiln.magics.core.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What rebuilds a recorded environment: the image to run, the JVM it had, the {@code %maven}
 * lines for the jars added in the notebook, a {@code pom.xml} dependencies fragment for every jar
 * with Maven coordinates, the commit to check out and the dataset versions to pull.
 */
public record RestorePlan(EnvSnapshot snapshot, String imageReference, String jvm, List<String> mavenLines,
                          String pomFragment, List<String> unresolvedJars, String gitCheckout,
                          List<String> dataLines) {

    /** Kiln's own jars come with Kiln (the image), not from a dependency list. */
    private static final String KILN_GROUP = "dev.kiln";

    public static RestorePlan of(EnvSnapshot snapshot) {
        Environment env = snapshot.environment();
        String image = env.image() == null ? null : env.image().reference();
        String jvm = env.jvm() == null ? null : "Java " + env.jvm().version() + " (" + env.jvm().vendor() + ")";

        List<String> maven = new ArrayList<>();
        List<String> unresolved = new ArrayList<>();
        Set<String> pomCoords = new LinkedHashSet<>();
        for (Environment.Jar j : env.jars() == null ? List.<Environment.Jar>of() : env.jars()) {
            boolean runtime = "runtime".equals(j.source());
            if (j.coordinates() != null) {
                if (runtime) {
                    maven.add("%maven " + j.coordinates());
                }
                if (!j.coordinates().startsWith(KILN_GROUP + ":")) {
                    pomCoords.add(j.coordinates());
                }
            } else if (runtime || !j.name().endsWith("/")) {
                unresolved.add(j.name() + " (sha256 " + SnapshotDiff.shortHash(j.sha256()) + ", " + j.source() + ")");
            }
        }
        StringBuilder pom = new StringBuilder("<dependencies>\n");
        for (String c : pomCoords) {
            String[] p = c.split(":");
            if (p.length < 3) {
                continue;
            }
            pom.append("  <dependency>\n")
                    .append("    <groupId>").append(xml(p[0])).append("</groupId>\n")
                    .append("    <artifactId>").append(xml(p[1])).append("</artifactId>\n")
                    .append("    <version>").append(xml(p[p.length - 1])).append("</version>\n")
                    .append("  </dependency>\n");
        }
        pom.append("</dependencies>\n");

        String checkout = null;
        if (env.git() != null && env.git().commit() != null) {
            checkout = "git checkout " + env.git().commit()
                    + (Boolean.TRUE.equals(env.git().dirty()) ? "   # the tree had uncommitted changes, which were not recorded" : "");
        }
        List<String> data = new ArrayList<>();
        if (env.datasets() != null && env.datasets().entries() != null) {
            for (Map.Entry<String, Map<String, Object>> e : env.datasets().entries().entrySet()) {
                data.add(LockFileDatasets.pullLine(e.getKey(), e.getValue()));
            }
        }
        return new RestorePlan(snapshot, image, jvm, List.copyOf(maven), pom.toString(), List.copyOf(unresolved),
                checkout, List.copyOf(data));
    }

    /** The whole plan as text, in the order one rebuilds. */
    public String text() {
        StringBuilder s = new StringBuilder();
        s.append("Restore environment ").append(snapshot.shortId()).append('\n');
        s.append("\nImage: ").append(imageReference != null ? imageReference
                : "none recorded (not run in a Kiln image); Kiln " + kilnVersion()).append('\n');
        if (jvm != null) {
            s.append("JVM:   ").append(jvm).append('\n');
        }
        if (gitCheckout != null) {
            s.append("\nProject:\n  ").append(gitCheckout).append('\n');
        }
        s.append("\nIn the notebook (jars added with %maven):\n");
        if (mavenLines.isEmpty()) {
            s.append("  (none: every jar came with the kernel's class path)\n");
        }
        mavenLines.forEach(l -> s.append("  ").append(l).append('\n'));
        if (!dataLines.isEmpty()) {
            s.append("\nDatasets (kiln.lock):\n");
            dataLines.forEach(l -> s.append("  ").append(l).append('\n'));
        }
        if (!unresolvedJars.isEmpty()) {
            s.append("\nJars without Maven coordinates (copy them by hand; the hash tells the right file):\n");
            unresolvedJars.forEach(l -> s.append("  ").append(l).append('\n'));
        }
        s.append("\npom.xml fragment (every jar with coordinates, Kiln's own excepted):\n");
        s.append(pomFragment);
        return s.toString();
    }

    /**
     * Writes restore.txt, maven.txt, pom-dependencies.xml, image.txt (when an image was recorded) and
     * the snapshot's JSON into {@code dir}, each file whole.
     */
    public void writeTo(Path dir) {
        try {
            Files.createDirectories(dir);
            AtomicFiles.writeString(dir.resolve("restore.txt"), text());
            AtomicFiles.writeString(dir.resolve("maven.txt"), mavenLines.isEmpty() ? "" : String.join("\n", mavenLines) + "\n");
            AtomicFiles.writeString(dir.resolve("pom-dependencies.xml"), pomFragment);
            if (imageReference != null) {
                AtomicFiles.writeString(dir.resolve("image.txt"), imageReference + "\n");
            }
            AtomicFiles.write(dir.resolve(snapshot.id() + ".json"), snapshot.canonicalBytes());
        } catch (IOException e) {
            throw new UserError("Could not write the restore files to " + dir + ": " + e.getMessage()
                    + ". Choose a writable directory with --write.", e);
        }
    }

    private String kilnVersion() {
        Environment.Kiln k = snapshot.environment().kiln();
        return k == null ? "unknown" : k.version();
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
