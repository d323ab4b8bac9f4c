import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/**
 * DuckDB's CSV → Parquet in a process of its own, for the cold comparison: {@code CSV OUT THREADS}.
 * Only DuckDB's JDBC jar is on its class path, as a user's one-off JDBC program would have.
 */
public class DuckCopy {

    public static void main(String[] args) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("SET threads=" + Integer.parseInt(args[2]));
            s.execute("COPY (SELECT * FROM read_csv('" + args[0] + "')) TO '" + args[1] + "' (FORMAT parquet, COMPRESSION zstd)");
        }
    }
}
