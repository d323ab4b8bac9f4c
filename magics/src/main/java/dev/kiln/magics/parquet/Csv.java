package dev.kiln.magics.parquet;

import dev.kiln.magics.core.UserError;
import dev.kiln.magics.data.DataRepository;
import dev.kiln.magics.data.ManifestEntry;
import dev.kiln.magics.data.ObjectReader;
import dev.kiln.magics.data.VersionObjects;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvReadOptions;

/**
 * Reads a CSV file of a dataset version in place into a Tablesaw table, the counterpart of
 * {@link Parquet#read(String, String...)}: {@code Table t = Csv.read("pems@v3/stations.csv", "station", "tmax");}.
 * A CSV file has no column chunks, so the whole object is read, block by verified block, through
 * the cache, never into the workspace.
 */
public final class Csv {

    /** Reads the CSV file {@code spec} names ({@code NAME[@VERSION]/PATH}) in this project, all columns or only {@code columns}. */
    public static Table read(String spec, String... columns) {
        try (DataRepository repo = DataRepository.open(Path.of("").toAbsolutePath(), System.getenv())) {
            return read(repo, spec, columns);
        }
    }

    /** As {@link #read(String, String...)}, through {@code repo}. */
    public static Table read(DataRepository repo, String spec, String... columns) {
        VersionObjects.Listing l = repo.files(spec, null);
        ManifestEntry e = l.file();
        String lower = e.path().toLowerCase(Locale.ROOT);
        if (!lower.endsWith(".csv") && !lower.endsWith(".csv.gz")) {
            throw new UserError("'" + spec + "' is " + e.path() + ", not a .csv or .csv.gz file."
                    + (lower.endsWith(".parquet") ? " Read it with Parquet.read." : ""));
        }
        String name = e.path().substring(e.path().lastIndexOf('/') + 1);
        Table t;
        try (ObjectReader object = repo.reader(e, null);
             InputStream raw = object.stream();
             InputStream in = lower.endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw) {
            t = Table.read().usingOptions(CsvReadOptions.builder(in).tableName(name));
        } catch (IOException ex) {
            throw new UncheckedIOException("Cannot read " + spec + ": " + ex.getMessage(), ex);
        }
        if (columns.length == 0) {
            return t;
        }
        List<String> names = t.columnNames();
        for (String c : columns) {
            if (!names.contains(c)) {
                throw new UserError("No column '" + c + "' in " + l.dataset() + "@" + l.version().substring(0, 12) + "/"
                        + e.path() + ". Its columns are: " + String.join(", ", names) + ".");
            }
        }
        return t.selectColumns(columns).setName(name);
    }

    private Csv() {
    }
}
