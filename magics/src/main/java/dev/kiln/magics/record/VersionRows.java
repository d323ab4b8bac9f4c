package dev.kiln.magics.record;

import dev.kiln.magics.core.VersionRecord;
import dev.kiln.magics.data.IndexedRows;
import dev.kiln.magics.parquet.ParquetSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * How many rows a dataset version holds, where that is cheap to know: its files are in the
 * workspace (as many and as large as the version says) and its tables are Parquet files, whose
 * footers count their rows. A version with a CSV file (counting its lines means reading all of it)
 * or with no table at all has no row count here.
 */
final class VersionRows {

    /** Beyond this many files, listing and opening footers is no longer a small price for a nicety. */
    static final long MAX_FILES = 10_000;

    /** The rows of version {@code v} at {@code path} in the project, or {@code null} when they are not known cheaply. */
    static Long inWorkspace(Path projectDir, String path, VersionRecord v) {
        if (path == null || v.files() > MAX_FILES) {
            return null;
        }
        Path root = projectDir.resolve(path).normalize();
        if (!root.startsWith(projectDir.normalize())) {
            return null;
        }
        try {
            List<Path> files = new ArrayList<>();
            long size = 0;
            if (Files.isRegularFile(root, LinkOption.NOFOLLOW_LINKS)) {
                files.add(root);
            } else if (Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
                try (Stream<Path> walk = Files.walk(root)) {
                    walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).limit(MAX_FILES + 1).forEach(files::add);
                }
            }
            for (Path f : files) {
                size += Files.size(f);
            }
            if (files.size() != v.files() || size != v.size()) {
                return null; // the workspace holds something else now: its footers would count another version
            }
            long rows = 0;
            boolean anyTable = false;
            for (Path f : files) {
                String name = f.getFileName().toString().toLowerCase(Locale.ROOT);
                if (name.endsWith(".parquet")) {
                    rows += ParquetSummary.of(f).rows();
                    anyTable = true;
                } else if (name.endsWith(".csv") || name.endsWith(".csv.gz") || IndexedRows.uncountedTable(name)) {
                    return null; // counting a CSV file's rows means reading all of it
                }
            }
            return anyTable ? rows : null;
        } catch (IOException | RuntimeException e) {
            return null; // a file that cannot be read as Parquet: its rows stay unknown, the record goes out
        }
    }

    private VersionRows() {
    }
}
