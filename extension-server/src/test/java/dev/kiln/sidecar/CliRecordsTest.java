package dev.kiln.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.magics.record.Recorder;
import dev.kiln.magics.record.SpooledProjects;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code kiln env snapshot} in a JVM of its own, as from a shell: its record reaches the sidecar. */
class CliRecordsTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** A finished {@code kiln} command. */
    record Run(int exit, String out, String err, long millis) {
    }

    /** Runs {@code kiln args} in {@code project} with the sidecar's info file at {@code info}. */
    Run kiln(Path project, Path info, String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", SidecarProcess.classPath(), "dev.kiln.magics.cli.Main"));
        argv.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "out-", ".txt");
        Path err = Files.createTempFile(dir, "err-", ".txt");
        ProcessBuilder pb = new ProcessBuilder(argv).directory(project.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().remove("KILN_SIDECAR_URL");
        pb.environment().remove("KILN_SIDECAR_TOKEN");
        pb.environment().putAll(Map.of("KILN_SIDECAR_FILE", info.toString(), "HOME", dir.toString(),
                "KILN_CACHE_DIR", dir.resolve("cache").toString()));
        long start = System.nanoTime();
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("kiln " + String.join(" ", args) + " did not end within 120 s");
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err), (System.nanoTime() - start) / 1_000_000);
    }

    @Test
    @Timeout(300)
    void kilnEnvSnapshotDeliversItsRecordBeforeItExitsAndTheSameEnvironmentAgainIsNotRefused() throws Exception {
        Path project = Files.createDirectories(dir.resolve("project"));
        Path info = dir.resolve("run/sidecar.json");
        try (SidecarProcess sidecar = SidecarProcess.start(info, Map.of(), "--db", dir.resolve("db").toString())) {
            Run first = kiln(project, info, "env", "snapshot");
            assertEquals(0, first.exit(), first.err());
            String id = onlySnapshotId(project);
            // no waiting: the process has exited, so the record either arrived or is lost
            Http.Response got = sidecar.http().get("/api/snapshots/" + id);
            assertEquals(200, got.status(), "delivered before the command exited: " + got.body());
            assertEquals(id, JSON.readTree(got.body()).get("id").asText());
            assertEquals(0, Recorder.pendingIn(project));

            Run second = kiln(project, info, "env", "snapshot");
            assertEquals(0, second.exit(), second.err());
            assertEquals(id, onlySnapshotId(project), "the same environment, the same id");
            assertEquals(0, Recorder.pendingIn(project), "delivered, not left waiting");
            assertFalse(Files.exists(project.resolve(".kiln/spool/rejected")), "not set aside: " + second.err());
            assertTrue(second.err().isBlank(), second.err());
            JsonNode all = JSON.readTree(sidecar.http().get("/api/snapshots").body());
            assertEquals(1, all.size(), "kept once");
        }
    }

    @Test
    @Timeout(300)
    void aCommandRunWhileTheSidecarIsDownIsDeliveredWhenItStartsAgain() throws Exception {
        Path project = Files.createDirectories(dir.resolve("project"));
        Path info = dir.resolve("run/sidecar.json");
        try (SidecarProcess earlier = SidecarProcess.start(info, Map.of(), "--db", dir.resolve("db").toString())) {
            earlier.stop(); // SIGTERM, as Ctrl-C stops it
        }
        Run offline = kiln(project, info, "env", "snapshot");
        assertEquals(0, offline.exit(), offline.err());
        assertTrue(offline.err().isBlank(), "no sidecar is no error: " + offline.err());
        assertEquals(1, Recorder.pendingIn(project), "the record waits in the project's spool");
        assertEquals(List.of(project.toRealPath()), SpooledProjects.beside(info).projects(), "and the project is named for the sidecar");
        String id = onlySnapshotId(project);

        try (SidecarProcess sidecar = SidecarProcess.start(info, Map.of(), "--db", dir.resolve("db").toString())) {
            RecorderDeliveryTest.poll(sidecar, "/api/snapshots", n -> n.size() == 1);
            assertEquals(200, sidecar.http().get("/api/snapshots/" + id).status());
            assertEquals(0, Recorder.pendingIn(project));
        }
    }

    @Test
    @Timeout(600)
    void twoProjectsWithADatasetOfTheSameNameAreTwoHistoriesAndTheirVersionsCarryTheirRows() throws Exception {
        Path remoteA = Files.createDirectories(dir.resolve("remote-a"));
        Path a = Files.createDirectories(dir.resolve("a"));
        Path b = Files.createDirectories(dir.resolve("b"));
        Path info = dir.resolve("run/sidecar.json");
        try (SidecarProcess sidecar = SidecarProcess.start(info, Map.of(), "--db", dir.resolve("db").toString())) {
            Run remote = kiln(a, info, "data", "remote", "add", "origin", remoteA.toString());
            assertEquals(0, remote.exit(), remote.err());
            Files.createDirectories(a.resolve("raw"));
            Files.writeString(a.resolve("raw/weather.csv"), "date,temp_max\n2012-01-01,12.8\n2012-01-02,10.6\n2012-01-03,11.7\n"
                    + "2012-01-04,12.2\n2012-01-05,8.9\n");
            Run convert = kiln(a, info, "parquet", "convert", "raw/weather.csv", "--to", "data/weather/weather.parquet");
            assertEquals(0, convert.exit(), convert.err());
            Files.writeString(a.resolve("data/weather/README.txt"), "daily weather, Seattle\n");
            Run addA = kiln(a, info, "data", "add", "data/weather", "-m", "weather in A");
            assertEquals(0, addA.exit(), addA.err());
            Files.createDirectories(b.resolve("data/weather"));
            Files.writeString(b.resolve("data/weather/weather.csv"), "date,temp_max\n2015-12-31,5.6\n");
            Run addB = kiln(b, info, "data", "add", "data/weather", "-m", "weather in B");
            assertEquals(0, addB.exit(), addB.err());

            String projectA = remoteA.toRealPath().toUri().toString().replaceAll("/$", "");
            String projectB = b.toRealPath().toString();
            JsonNode datasets = RecorderDeliveryTest.poll(sidecar, "/api/datasets", n -> n.size() == 2);
            assertEquals(2, datasets.size(), "one name, two histories: " + datasets);
            JsonNode ofA = JSON.readTree(sidecar.http().get("/api/datasets?project=" + SidecarApiContract.enc(projectA)).body());
            assertEquals(1, ofA.size(), "A is its remote's URL: " + datasets);
            assertEquals("weather", ofA.get(0).get("dataset").asText());
            assertEquals(5, ofA.get(0).get("latestRows").asLong(), "the Parquet file's rows");
            JsonNode ofB = JSON.readTree(sidecar.http().get("/api/datasets?project=" + SidecarApiContract.enc(projectB)).body());
            assertEquals(1, ofB.size(), "B, without a remote, is its folder: " + datasets);
            assertEquals(1, ofB.get(0).path("latestRows").asLong(-1), "the CSV's records, as add counted them: " + ofB);
            JsonNode versionsOfB = JSON.readTree(sidecar.http().get("/api/datasets/weather/versions?project="
                    + SidecarApiContract.enc(projectB)).body());
            assertEquals(List.of("weather in B"), versionsOfB.findValuesAsText("message"));
            String pageOfB = sidecar.http().get("/datasets/weather?project=" + SidecarApiContract.enc(projectB)).body();
            Matcher rowsCell = Pattern.compile("<td class=\"num rows\">([^<]*)</td>").matcher(pageOfB);
            assertTrue(rowsCell.find(), pageOfB);
            assertEquals("1", rowsCell.group(1), "the dataset page's rows column");
            // the version record in the remote is what it always was: rows are the sidecar's alone
            Run push = kiln(a, info, "data", "push");
            assertEquals(0, push.exit(), push.err());
            try (Stream<Path> records = Files.walk(remoteA.resolve("versions"))) {
                for (Path r : records.filter(Files::isRegularFile).toList()) {
                    assertFalse(JSON.readTree(r.toFile()).has("rows"), r.toString());
                }
            }
        }
    }

    private static String onlySnapshotId(Path project) throws IOException {
        try (Stream<Path> files = Files.list(project.resolve(".kiln/snapshots"))) {
            List<String> ids = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json"))
                    .map(n -> n.substring(0, n.length() - ".json".length())).toList();
            assertEquals(1, ids.size(), ids.toString());
            return ids.get(0);
        }
    }
}
