package dev.kiln.magics.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.magics.core.Progress;
import dev.kiln.magics.core.UserError;
import dev.kiln.magics.sql.SqlResult;
import dev.kiln.magics.sql.SqlSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code %%sql} over a dataset version a colleague pushed, on s3proxy (signatures checked) and on a
 * directory remote: the query reads the version from Kiln's cache, its values are the file's, and
 * nothing lands in the workspace or kiln.lock.
 */
@Timeout(300)
class SqlOverRemotesTest {

    @RegisterExtension
    static final S3ProxyServer.Lab s3 = new S3ProxyServer.Lab();

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"s3", "directory"})
    void aColleaguesVersionIsQueriedFromTheCacheAndTheWorkspaceIsUntouched(String kind) throws Exception {
        String remote = kind.equals("s3") ? "s3://lab/traffic --endpoint " + s3.endpoint() : tmp.resolve("remote").toString();
        DataProjects projects = new DataProjects(tmp, S3ProxyServer.credentials());
        DataProjects.Project alice = projects.project("alice");
        alice.run("data remote add team " + remote);
        alice.write("data/pems/stations.csv", "station,tmax\nA,12.5\nB,30.0\nA,14.5\nC,\n");
        alice.run("data add data/pems");
        alice.run("data push --tag v3");

        DataProjects.Project bob = projects.project("bob");
        bob.run("data remote add team " + remote);
        try (SqlSession sql = new SqlSession(bob.dir(), bob.env(), Progress.NONE)) {
            SqlResult r = sql.run("SELECT station, count(*) AS n, max(tmax) AS top FROM 'pems@v3/stations.csv' "
                    + "GROUP BY station ORDER BY station", SqlSession.Options.DEFAULT, () -> false);
            assertEquals(List.of("station", "n", "top"), r.columns());
            assertEquals(List.of(List.of("A", "2", "14.5"), List.of("B", "1", "30.0"), List.of("C", "1", "NULL")),
                    r.firstRows().stream().map(row -> row.stream().map(v -> v == null ? "NULL" : v).toList()).toList());
            assertEquals(3, r.rowCount());

            UserError unknown = assertThrows(UserError.class,
                    () -> sql.run("SELECT * FROM 'pems@v3/nosuch.csv'", SqlSession.Options.DEFAULT, () -> false));
            assertTrue(unknown.getMessage().contains("stations.csv"), unknown.getMessage());
        }
        assertFalse(Files.exists(bob.dir().resolve("data")), "nothing pulled into the workspace");
        assertFalse(Files.exists(bob.dir().resolve("kiln.lock")), "nothing pinned");
    }
}
