package dev.kiln.magics.sql;

import dev.kiln.magics.data.CachedVersion;
import dev.kiln.magics.data.DataRepository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The dataset versions a query names as string literals ({@code FROM 'pems@v3/stations.parquet'}),
 * found outside comments and quoted names, each resolved to its files in the cache. DuckDB reads a
 * file by its name's extension, and cached objects are named by hash, so each version gets a tree
 * of links to its objects under the cache ({@code sql/versions/MANIFEST/PATH}), never in the workspace.
 */
final class DatasetReferences {

    /** {@code NAME@VERSION/PATH}: what a literal must look like to be taken for a dataset version. */
    private static final Pattern REFERENCE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*@[^/@'\\s]+/[^'\\s]+");

    /** A literal of the query that names a dataset version: where it is and what it is. */
    record Reference(int start, int end, String spec) {
    }

    /**
     * One reference resolved.
     *
     * @param view  the name of the view that reads it, as the rewritten query writes it (quoted); null
     *              where the literal stays a literal (a function's argument) and became the path
     * @param path  the files in the version's tree of links: a file or a glob
     */
    record Resolved(Reference reference, CachedVersion.Files files, String path, String view) {
    }

    private DatasetReferences() {
    }

    /** The literals of {@code sql} that name dataset versions, in order. */
    static List<Reference> find(String sql) {
        List<Reference> found = new ArrayList<>();
        int n = sql.length();
        for (int i = 0; i < n; i++) {
            char c = sql.charAt(i);
            if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int eol = sql.indexOf('\n', i);
                i = eol < 0 ? n : eol;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int close = sql.indexOf("*/", i + 2);
                i = close < 0 ? n : close + 1;
            } else if (c == '"' || c == '\'') {
                int close = closing(sql, i, c);
                if (c == '\'') {
                    String text = sql.substring(i + 1, close).replace("''", "'");
                    if (REFERENCE.matcher(text).matches()) {
                        found.add(new Reference(i, Math.min(n, close + 1), text));
                    }
                }
                i = close;
            }
        }
        return found;
    }

    /** Where the quote opened at {@code open} closes (a doubled quote is part of the text), or the end. */
    private static int closing(String sql, int open, char quote) {
        int i = open + 1;
        while (i < sql.length()) {
            if (sql.charAt(i) == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i;
            }
            i++;
        }
        return sql.length();
    }

    /** Resolves every reference to files in the cache (fetching what it lacks) and links them into their tree. */
    static List<Resolved> resolve(String sql, List<Reference> refs, DataRepository repo, String remoteName) {
        Map<String, CachedVersion.Files> bySpec = new LinkedHashMap<>();
        List<Resolved> out = new ArrayList<>();
        for (Reference r : refs) {
            CachedVersion.Files files = bySpec.computeIfAbsent(r.spec(), s -> repo.cachedFiles(s, remoteName));
            Path tree = repo.cache().root().resolve("sql/versions").resolve(files.manifest());
            for (CachedVersion.File f : files.files()) {
                link(tree.resolve(f.path()), f.object());
            }
            String path = tree.resolve(files.pattern()).toString();
            out.add(new Resolved(r, files, path, isArgument(sql, r.start()) ? null : "\"" + r.spec().replace("\"", "\"\"") + "\""));
        }
        return out;
    }

    /**
     * The query DuckDB runs: a reference in a table's place becomes the quoted name of a view (as long
     * as the literal, so DuckDB's error positions still point into the user's text); one that is a
     * function's argument ({@code read_csv('ds@v1/a.csv', header = true)}) becomes the path itself.
     */
    static String rewrite(String sql, List<Resolved> resolved) {
        StringBuilder out = new StringBuilder(sql.length() + 256);
        int at = 0;
        for (Resolved r : resolved) {
            out.append(sql, at, r.reference().start());
            out.append(r.view() != null ? r.view() : "'" + r.path().replace("'", "''") + "'");
            at = r.reference().end();
        }
        return out.append(sql.substring(at)).toString();
    }

    /** A literal right after '(' or ',' is a function's argument, not a table. */
    private static boolean isArgument(String sql, int start) {
        int i = start - 1;
        while (i >= 0 && Character.isWhitespace(sql.charAt(i))) {
            i--;
        }
        return i >= 0 && (sql.charAt(i) == '(' || sql.charAt(i) == ',');
    }

    /** A hard link to the cached object (a symbolic one where the file system has no hard links). */
    private static void link(Path link, Path object) {
        if (Files.exists(link)) {
            return;
        }
        try {
            Files.createDirectories(link.getParent());
            try {
                Files.createLink(link, object);
            } catch (UnsupportedOperationException | IOException e) {
                if (e instanceof FileAlreadyExistsException) {
                    return;
                }
                Files.createSymbolicLink(link, object);
            }
        } catch (FileAlreadyExistsException e) {
            // another query linked it first: same object
        } catch (IOException e) {
            throw new UncheckedIOException("cannot link " + object + " as " + link, e);
        }
    }
}
