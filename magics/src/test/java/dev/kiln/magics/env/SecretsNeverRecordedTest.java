package dev.kiln.magics.env;

import static dev.kiln.magics.env.EnvTestSupport.childJvm;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.magics.core.Result;
import dev.kiln.magics.core.Session;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real-looking secrets in the environment and the JVM's options never reach a snapshot, a cell's
 * output (text, HTML, provenance), the CLI's output or any file Kiln writes.
 */
class SecretsNeverRecordedTest {

    private static final Map<String, String> SECRET_ENV = Map.of(
            "AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE",
            "AWS_SESSION_TOKEN", "IQoJb3JpZ2luX2VjEJrFakeSessionToken0123456789abcdefXYZ",
            "GITHUB_TOKEN", "ghp_16C7e42F292c6912E7710c838347Ae178B4a",
            "DATABASE_URL", "postgresql://kiln:Sup3rS3cretPw@db.internal:5432/app",
            "KILN_DB_URL", "postgresql://analyst:An4lystPassw0rd@db.internal:5432/warehouse",
            "MAVEN_OPTS", "-Xmx1g -Dnexus.password=N3xusPa55word",
            "KILN_SEED", "xK9mP2qL7vN4wR8tY3zA6bC1dE5fG0hJ",
            "KILN_REMOTE_TOKEN", "plainlookingvalue");

    private static final List<String> SECRET_OPTIONS = List.of(
            "-Ddb.url=jdbc:postgresql://db:5432/app?user=kiln&password=JdbcPa55word42",
            "-Dapi.token=ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789",
            "-Daws.secretAccessKey=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "-Dslack.hook=xoxb-123456789012-abcdefghijkl",
            "-Dservice.endpoint=https://svc:Sv5pa55w0rdZ@api.internal/v1");

    /** Distinctive pieces of every seeded secret: none may appear anywhere. */
    private static final List<String> MUST_NOT_APPEAR = List.of("wJalrXUtnFEMI", "bPxRfiCYEXAMPLEKEY", "AKIAIOSFODNN7EXAMPLE",
            "IQoJb3JpZ2luX2VjEJr", "ghp_16C7e42F292c", "Sup3rS3cretPw", "An4lystPassw0rd", "N3xusPa55word",
            "xK9mP2qL7vN4wR8tY3zA6bC1dE5fG0hJ", "plainlookingvalue", "JdbcPa55word42", "ghp_aBcDeFgHiJk",
            "xoxb-123456789012", "Sv5pa55w0rdZ");

    @TempDir
    Path project;

    private static void assertNoSecret(String where, String text) {
        for (String secret : MUST_NOT_APPEAR) {
            if (text.contains(secret)) {
                // name the secret by position only: the failure message must not leak it either
                fail("secret #" + MUST_NOT_APPEAR.indexOf(secret) + " appears in " + where);
            }
        }
    }

    @Test
    void noSecretReachesTheCliOutputTheCellOutputOrAnyFile() throws Exception {
        Map<String, String> env = new HashMap<>(SECRET_ENV);
        env.put("KILN_CACHE_DIR", project.resolve("cache").toString());
        env.put("JPY_SESSION_NAME", "notebooks/analysis.ipynb");
        env.put("KILN_IMAGE", "ghcr.io/kiln/kiln:0.1");
        List<Path> cp = EnvTestSupport.moduleClasspath();
        String main = "dev.kiln.magics.cli.Main";

        List<EnvTestSupport.Run> runs = new ArrayList<>();
        EnvTestSupport.Run json = childJvm(project, env, SECRET_OPTIONS, cp, main, "env", "snapshot", "--json", "--all-jars");
        assertEquals(0, json.exit(), "snapshot failed");
        runs.add(json);
        String id = EnvTestSupport.JSON.readTree(json.out()).get("id").asText();
        for (List<String> args : List.of(List.of("env", "snapshot"), List.of("env", "check"), List.of("env", "list"),
                List.of("env", "diff", id), List.of("env", "restore", id, "--write", "out"), List.of("env", "--help"))) {
            runs.add(childJvm(project, env, SECRET_OPTIONS, cp, main, args.toArray(String[]::new)));
        }
        String dump = ResultDump.class.getName();
        for (List<String> args : List.of(List.of("env", "snapshot"), List.of("env", "check"), List.of("env", "diff", id),
                List.of("env", "restore", id))) {
            runs.add(childJvm(project, env, SECRET_OPTIONS, cp, dump, args.toArray(String[]::new)));
        }
        for (int i = 0; i < runs.size(); i++) {
            assertEquals(0, runs.get(i).exit(), "run " + i + " failed");
            assertNoSecret("stdout/stderr of run " + i, runs.get(i).all());
        }
        assertNoSecret("files under .kiln/", EnvTestSupport.allFilesUnder(project.resolve(".kiln")));
        assertNoSecret("restore files", EnvTestSupport.allFilesUnder(project.resolve("out")));
        assertNoSecret("hash cache", EnvTestSupport.allFilesUnder(project.resolve("cache")));

        // what was recorded instead: names, and options with the secret part cut out
        JsonNode e = EnvTestSupport.JSON.readTree(json.out()).get("environment");
        String redacted = e.get("variables").get("redacted").toString();
        for (String name : List.of("AWS_SECRET_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "GITHUB_TOKEN", "KILN_DB_URL", "MAVEN_OPTS",
                "KILN_SEED", "KILN_REMOTE_TOKEN")) {
            assertTrue(redacted.contains("\"" + name + "\""), name + " recorded by name");
        }
        String options = e.get("jvm").get("options").toString();
        assertTrue(options.contains("-Ddb.url=jdbc:postgresql://db:5432/app?user=kiln&password=<redacted>"), options);
        assertTrue(options.contains("-Dservice.endpoint=https://svc:<redacted>@api.internal/v1"), options);
        assertTrue(options.contains("-Dapi.token=<redacted>"), options);
        assertEquals("notebooks/analysis.ipynb", e.get("notebook").asText());
    }

    @Test
    void aSecretValueIsRemovedWhereverElseItTurnsUp() throws Exception {
        // a password that looks like words, and then turns up in the notebook's path
        Session s = EnvTestSupport.session(project, Map.of("DB_PASSWORD", "correcthorsebattery",
                "JPY_SESSION_NAME", "work/correcthorsebattery/analysis.ipynb"));
        Result r = EnvTestSupport.run(s, "env", "snapshot");
        String all = EnvTestSupport.everything(r) + EnvTestSupport.allFilesUnder(project.resolve(".kiln"));
        assertTrue(!all.contains("correcthorsebattery"), "the password's value was recorded");
        assertTrue(all.contains("work/<redacted>/analysis.ipynb"), "the path is kept with the secret cut out");
        assertEquals(EnvTestSupport.snapshotId(r), new SnapshotStore(project).load(EnvTestSupport.snapshotId(r)).id());
    }

    @Test
    void noSecretFromTheSessionEnvironmentReachesAResult() throws Exception {
        Session s = EnvTestSupport.session(project, SECRET_ENV);
        Result snap = EnvTestSupport.run(s, "env", "snapshot", "--all-jars");
        String id = EnvTestSupport.snapshotId(snap);
        assertNoSecret("snapshot result", EnvTestSupport.everything(snap));
        assertNoSecret("json", EnvTestSupport.everything(EnvTestSupport.run(s, "env", "snapshot", "--json")));
        assertNoSecret("check result", EnvTestSupport.everything(EnvTestSupport.run(s, "env", "check")));
        assertNoSecret("diff result", EnvTestSupport.everything(EnvTestSupport.run(s, "env", "diff", id)));
        assertNoSecret("restore result", EnvTestSupport.everything(EnvTestSupport.run(s, "env", "restore", id)));
        assertNoSecret("snapshot files", EnvTestSupport.allFilesUnder(project.resolve(".kiln")));
        assertNoSecret("sidecar JSON", new SnapshotStore(project).load(id).toJson());
    }
}
