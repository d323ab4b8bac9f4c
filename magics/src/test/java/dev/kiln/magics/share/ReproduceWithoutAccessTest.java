package dev.kiln.magics.share;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.magics.cli.CommandRunner;
import dev.kiln.magics.cli.ReproduceCommand;
import dev.kiln.magics.core.Progress;
import dev.kiln.magics.core.MimeBundle;
import dev.kiln.magics.core.Result;
import dev.kiln.magics.core.Session;
import dev.kiln.magics.data.S3ProxyServer;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A colleague's first run: the notebook pulled a dataset from the team's S3 remote (s3proxy), and
 * the colleague's key is not accepted there. Reproduce names the remote and the version it needed,
 * still writes its report, and --no-data skips the pull. The kernelspec named does not exist, so
 * no cell runs and the report says why.
 */
@Timeout(120)
class ReproduceWithoutAccessTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    @RegisterExtension
    static final S3ProxyServer.Lab s3 = new S3ProxyServer.Lab();

    @TempDir
    Path tmp;

    @Test
    void aColleagueWithoutAccessIsToldWhichRemoteAndVersionsAndStillGetsTheReport() throws Exception {
        Path alice = Files.createDirectories(tmp.resolve("alice"));
        Files.createDirectories(alice.resolve("data/sales"));
        Files.writeString(alice.resolve("data/sales/sales.csv"), "region,amount\nnorth,10\n");
        run(alice, S3ProxyServer.credentials(), "data", "remote", "add", "team", "s3://lab/team", "--endpoint", s3.endpoint());
        run(alice, S3ProxyServer.credentials(), "data", "add", "data/sales");
        run(alice, S3ProxyServer.credentials(), "data", "push");
        Result pulled = run(alice, S3ProxyServer.credentials(), "data", "pull", "sales");
        String version = pulled.provenance().datasets().get(0).version();

        Path bob = Files.createDirectories(tmp.resolve("bob"));
        Files.copy(alice.resolve("kiln.yaml"), bob.resolve("kiln.yaml"));
        Files.copy(alice.resolve("kiln.lock"), bob.resolve("kiln.lock"));
        ObjectNode nb = JSON.createObjectNode();
        ObjectNode cell = ((ArrayNode) nb.putArray("cells")).addObject();
        cell.put("cell_type", "code").put("execution_count", 1).put("source", "%data pull sales");
        cell.putObject("metadata");
        ObjectNode out = cell.putArray("outputs").addObject();
        out.put("output_type", "display_data").putObject("data").put("text/plain", pulled.text());
        out.putObject("metadata").set("kiln", JSON.valueToTree(MimeBundle.of(pulled).metadata().get("kiln")));
        nb.putObject("metadata");
        nb.put("nbformat", 4).put("nbformat_minor", 5);
        Files.writeString(bob.resolve("analysis.ipynb"), JSON.writeValueAsString(nb));

        Map<String, String> wrongKey = new HashMap<>(S3ProxyServer.credentials());
        wrongKey.put("AWS_SECRET_ACCESS_KEY", "not-the-secret");
        ReproduceCommand.Differs d = assertThrows(ReproduceCommand.Differs.class,
                () -> run(bob, wrongKey, "reproduce", "analysis.ipynb", "--kernel", "kiln-no-such-kernel"));
        Reproduction r = d.reproduction();
        Reproduction.Difference sales = r.differences().get(0);
        assertEquals(List.of("datasets", "sales", "@" + version.substring(0, 12), "could not be pulled: no access to remote 'team'"),
                List.of(sales.area(), sales.name(), sales.before(), sales.after()), r.text());
        String advice = r.notes().stream().filter(n -> n.startsWith("the data remote 'team'")).findFirst().orElseThrow();
        assertTrue(advice.contains("sales@" + version.substring(0, 12)) || advice.contains("sales@" + version), advice);
        assertTrue(advice.contains("AWS_ACCESS_KEY_ID") && advice.contains("--no-data"), advice);
        assertTrue(r.ending().startsWith("the kernel did not start"), r.ending());
        assertEquals(Reproduction.Verdict.NOT_RUN, r.cells().get(0).verdict());
        assertTrue(Files.isRegularFile(bob.resolve("analysis.reproduce.html")) && Files.isRegularFile(bob.resolve("analysis.reproduced.ipynb")));

        ReproduceCommand.Differs noData = assertThrows(ReproduceCommand.Differs.class,
                () -> run(bob, wrongKey, "reproduce", "analysis.ipynb", "--kernel", "kiln-no-such-kernel", "--no-data"));
        assertEquals(List.of(), noData.reproduction().differences(), noData.reproduction().text());
        try (Stream<Path> files = Files.list(bob)) {
            assertEquals(List.of("analysis.ipynb", "analysis.reproduce.html", "analysis.reproduced.ipynb", "kiln.lock", "kiln.yaml"),
                    files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".kiln")).sorted().toList());
        }
    }

    private Result run(Path project, Map<String, String> credentials, String... args) throws Exception {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.putAll(credentials);
        env.put("KILN_CACHE_DIR", tmp.resolve("cache-" + project.getFileName()).toString());
        env.put("KILN_SIDECAR_FILE", tmp.resolve("no-sidecar.json").toString());
        env.remove("KILN_SIDECAR_URL");
        env.put("JUPYTER_PATH", tmp.resolve("no-kernels").toString());
        env.put("JUPYTER_DATA_DIR", tmp.resolve("jupyter-data").toString());
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        return new CommandRunner(new Session(project, quiet, quiet, Progress.NONE, env, "cli")).run(List.of(args));
    }
}
