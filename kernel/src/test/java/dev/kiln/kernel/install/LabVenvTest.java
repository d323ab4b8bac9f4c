package dev.kiln.kernel.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/lab-venv}: Kiln's JupyterLab environment is made once, then left alone until the
 * pinned requirements or Kiln's package change.
 */
class LabVenvTest {

    @TempDir
    Path tmp;

    /** A file's identity: a rewritten or re-created file gets a new inode or modification time. */
    record Identity(Object inode, FileTime modified) {
        static Identity of(Path file) throws IOException {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return new Identity(a.fileKey(), a.lastModifiedTime());
        }
    }

    @Test
    @Timeout(1800)
    void aSecondRunInstallsNothing() throws Exception {
        Path venv = LabVenvScript.sharedVenv();
        Path installed = kilnPackage(venv);
        List<Path> watched = List.of(venv.resolve("pyvenv.cfg"), venv.resolve(".kiln-requirements"),
                venv.resolve(".kiln-package"), installed, venv.resolve("bin/jupyter-lab"), overrides(venv));
        List<Identity> before = identities(watched);

        LabVenvScript.Run again = LabVenvScript.run(Map.of());

        assertEquals(0, again.exitCode(), again.said());
        assertEquals(venv.toString(), again.printed());
        assertEquals(before, identities(watched), "nothing in the environment was made again");
        assertEquals("", again.said(), "a run with nothing to do says nothing");
    }

    /** JupyterLab 4's notification settings, as its settings service gives them to the page (overrides applied). */
    private static final String NOTIFICATION_DEFAULTS = """
            import json, sys
            from jupyterlab_server.settings_utils import get_settings
            lab = sys.prefix + "/share/jupyter/lab"
            found, _ = get_settings(lab + "/settings", lab + "/schemas", sys.argv[1], "@jupyterlab/apputils-extension:notification")
            print(json.dumps({k: v.get("default") for k, v in found["schema"]["properties"].items()}))
            """;

    @Test
    @Timeout(1800)
    void labFetchesNoNewsAndChecksForNoUpdates() throws Exception {
        Path venv = LabVenvScript.sharedVenv();

        JsonNode notification = new ObjectMapper().readTree(overrides(venv).toFile()).get(NOTIFICATION);
        assertEquals(TextNode.valueOf("false"), notification.get("fetchNews"), "the schema's 'Never' is the string \"false\"");
        assertEquals(BooleanNode.FALSE, notification.get("checkForUpdates"));

        Process p = new ProcessBuilder(venv.resolve("bin/python").toString(), "-c", NOTIFICATION_DEFAULTS,
                Files.createDirectories(tmp.resolve("user-settings")).toString()).redirectErrorStream(true).start();
        assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), "the settings service answered");
        String said = new String(p.getInputStream().readAllBytes()).strip();
        assertEquals(0, p.exitValue(), said);
        assertEquals(Map.of("fetchNews", "false", "checkForUpdates", false, "doNotDisturbMode", false),
                new ObjectMapper().readValue(said, Map.class), "what JupyterLab's page is given");
    }

    @Test
    @Timeout(1800)
    void theEnvironmentIsMadeAgainWhenTheRequirementsChangeAndThePackageReinstalledWhenItChanges() throws Exception {
        LabVenvScript.sharedVenv(); // Kiln's wheel, built once
        Path venv = tmp.resolve("venv");
        Path requirements = tmp.resolve("requirements.txt");
        Files.writeString(requirements, "six==1.17.0\n");
        Map<String, String> env = Map.of("KILN_LAB_VENV", venv.toString(), "KILN_LAB_REQUIREMENTS", requirements.toString());

        LabVenvScript.Run first = LabVenvScript.run(env);
        assertEquals(0, first.exitCode(), first.said());
        assertEquals(venv.toString(), first.printed());
        assertTrue(Files.isDirectory(sitePackages(venv).resolve("six-1.17.0.dist-info")), "the pinned six is installed");
        Identity made = Identity.of(venv.resolve("pyvenv.cfg"));
        Identity wheel = Identity.of(kilnPackage(venv));

        assertEquals(made, Identity.of(rerun(env).resolve("pyvenv.cfg")), "unchanged requirements: the same environment");

        // settings of the user's own in the overrides stay; Kiln's come back if changed
        Files.writeString(overrides(venv), "{\"@jupyterlab/apputils-extension:themes\": {\"theme\": \"JupyterLab Dark\"},\n"
                + " \"" + NOTIFICATION + "\": {\"fetchNews\": \"none\", \"doNotDisturbMode\": true}}\n");
        rerun(env);
        JsonNode kept = new ObjectMapper().readTree(overrides(venv).toFile());
        assertEquals("JupyterLab Dark", kept.path("@jupyterlab/apputils-extension:themes").path("theme").textValue());
        assertEquals(Map.of("fetchNews", "false", "checkForUpdates", false, "doNotDisturbMode", true),
                new ObjectMapper().convertValue(kept.get(NOTIFICATION), Map.class));

        // Kiln's package changed (its stamp no longer matches the wheel): the package again, not the environment
        Files.writeString(venv.resolve(".kiln-package"), "an older wheel\n");
        Path same = rerun(env);
        assertEquals(made, Identity.of(same.resolve("pyvenv.cfg")), "the environment stays");
        assertNotEquals(wheel, Identity.of(kilnPackage(venv)), "Kiln's package is installed again");

        Files.writeString(requirements, "six==1.17.0\nidna==3.20\n");
        Path remade = rerun(env);
        assertNotEquals(made, Identity.of(remade.resolve("pyvenv.cfg")), "changed requirements: a new environment");
        assertTrue(Files.isDirectory(sitePackages(venv).resolve("idna-3.20.dist-info")), "with the added package");
        assertTrue(Files.isRegularFile(kilnPackage(venv)), "and Kiln's package");
    }

    @Test
    @Timeout(600)
    void aFolderThatIsNoEnvironmentIsLeftAlone() throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("work"));
        Files.writeString(folder.resolve("notes.txt"), "mine");

        LabVenvScript.Run run = LabVenvScript.run(Map.of("KILN_LAB_VENV", folder.toString()));

        assertNotEquals(0, run.exitCode());
        assertTrue(run.said().contains(folder + " is not a virtual environment"), run.said());
        assertEquals("mine", Files.readString(folder.resolve("notes.txt")));
        assertFalse(Files.exists(folder.resolve("pyvenv.cfg")));
    }

    private static final String NOTIFICATION = "@jupyterlab/apputils-extension:notification";

    /** JupyterLab's settings overrides in the environment (its application directory's settings). */
    private static Path overrides(Path venv) {
        return venv.resolve("share/jupyter/lab/settings/overrides.json");
    }

    private static Path rerun(Map<String, String> env) throws Exception {
        LabVenvScript.Run run = LabVenvScript.run(env);
        assertEquals(0, run.exitCode(), run.said());
        return Path.of(run.printed());
    }

    private static List<Identity> identities(List<Path> files) throws IOException {
        List<Identity> out = new java.util.ArrayList<>();
        for (Path f : files) {
            out.add(Identity.of(f));
        }
        return out;
    }

    private static Path sitePackages(Path venv) throws IOException {
        try (var lib = Files.list(venv.resolve("lib"))) {
            return lib.filter(p -> p.getFileName().toString().startsWith("python")).findFirst().orElseThrow()
                    .resolve("site-packages");
        }
    }

    private static Path kilnPackage(Path venv) throws IOException {
        return sitePackages(venv).resolve("kiln_jupyter/__init__.py");
    }
}
