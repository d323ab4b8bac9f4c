package dev.kiln.magics.env;

import static dev.kiln.magics.env.EnvTestSupport.childJvm;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Snapshots taken by separate JVMs, as two kernel runs or two colleagues' machines take them. */
@Timeout(180) // each test; it waits on a process or a socket
class EnvAcrossJvmsTest {

    private static final String MAIN = "dev.kiln.magics.cli.Main";

    @TempDir
    Path project;

    private Map<String, String> env() {
        return Map.of("KILN_CACHE_DIR", project.resolve("cache").toString(), "LANG", "C.UTF-8", "TZ", "UTC");
    }

    private String snapshotId(List<Path> classpath) throws Exception {
        EnvTestSupport.Run r = childJvm(project, env(), List.of("-Xmx256m"), classpath, MAIN, "env", "snapshot", "--json");
        assertEquals(0, r.exit(), r.err());
        JsonNode json = EnvTestSupport.JSON.readTree(r.out());
        return json.get("id").asText();
    }

    @Test
    void twoJvmsWithTheSameClasspathGiveTheSameId() throws Exception {
        List<Path> cp = new ArrayList<>(EnvTestSupport.moduleClasspath());
        cp.add(EnvTestSupport.jar(project.resolve("libs"), "org.example", "alpha", "1.0", "alpha"));

        String cold = snapshotId(cp);  // hashes every jar
        String warm = snapshotId(cp);  // from the hash cache
        assertEquals(cold, warm);
        assertTrue(Files.exists(project.resolve("cache/env/jar-hashes.tsv")));
        assertEquals(2, new SnapshotStore(project).runs().size());
    }

    @Test
    void aChangedJarIsDetectedAndNamedByDiffAndCheck() throws Exception {
        Path libs = project.resolve("libs");
        List<Path> base = EnvTestSupport.moduleClasspath();
        Path alpha = EnvTestSupport.jar(libs, "org.example", "alpha", "1.0", "alpha");
        Path beta = EnvTestSupport.jar(libs, "org.example", "beta", "1.0", "beta original");
        Path gamma10 = EnvTestSupport.jar(libs, "org.example", "gamma", "1.0", "gamma");
        List<Path> before = new ArrayList<>(base);
        before.addAll(List.of(alpha, beta, gamma10));
        String a = snapshotId(before);

        // beta is rebuilt in place under the same name and version; gamma is upgraded
        EnvTestSupport.jar(libs, "org.example", "beta", "1.0", "beta REBUILT!");
        Path gamma11 = EnvTestSupport.jar(libs, "org.example", "gamma", "1.1", "gamma");
        List<Path> after = new ArrayList<>(base);
        after.addAll(List.of(alpha, beta, gamma11));

        EnvTestSupport.Run check = childJvm(project, env(), List.of("-Xmx256m"), after, MAIN, "env", "check", "--against", a);
        assertEquals(0, check.exit(), check.err());
        assertTrue(check.out().startsWith("Environment check: differs"), check.out());
        assertTrue(check.out().contains("~ beta-1.0.jar content sha256"), check.out());
        assertTrue(check.out().contains("same version 1.0"), check.out());
        assertTrue(check.out().contains("~ org.example:gamma 1.0 (gamma-1.0.jar) → 1.1 (gamma-1.1.jar)"), check.out());

        String b = snapshotId(after);
        assertNotEquals(a, b);
        EnvTestSupport.Run diff = childJvm(project, env(), List.of(), base, MAIN, "env", "diff", a.substring(0, 8), b.substring(0, 8));
        assertEquals(0, diff.exit(), diff.err());
        assertTrue(diff.out().contains("differs"), diff.out());
        assertTrue(diff.out().contains("beta-1.0.jar"), diff.out());
        assertTrue(diff.out().contains("org.example:gamma 1.0"), diff.out());
        assertTrue(!diff.out().contains("alpha"), "an unchanged jar is not mentioned: " + diff.out());
    }
}
