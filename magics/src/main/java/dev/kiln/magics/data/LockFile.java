package dev.kiln.magics.data;

import dev.kiln.magics.core.CanonicalJson;
import dev.kiln.magics.core.Sha256;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.kiln.magics.core.AtomicFiles;
import dev.kiln.magics.core.UserError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code kiln.lock}: the dataset versions a project pins, committed to git so another machine
 * pulls exactly the same data. JSON with sorted keys, one dataset per entry.
 */
public final class LockFile {

    public static final String NAME = "kiln.lock";

    /** One pinned dataset: where it lives in the project and which version it is. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Entry(String path, String version, String manifest, long size, long files) {
    }

    /** The file's shape on disk. */
    public record Content(int format, Map<String, Entry> datasets) {
    }

    private final Path file;
    private final TreeMap<String, Entry> datasets = new TreeMap<>();

    private LockFile(Path file) {
        this.file = file;
    }

    public static LockFile read(Path projectDir) {
        LockFile lf = new LockFile(projectDir.resolve(NAME));
        try {
            lf.datasets.putAll(parse(Files.readAllBytes(lf.file)));
        } catch (NoSuchFileException e) {
            // a project with no datasets yet
        } catch (IOException | UncheckedIOException e) {
            throw new UserError(lf.file + " cannot be read (" + e.getMessage() + "). Restore it from git "
                    + "('git checkout -- kiln.lock') or fix the JSON by hand.");
        }
        return lf;
    }

    /** Streaming read of {@code {"format":1,"datasets":{name:{path,version,manifest,size,files}}}}. */
    private static Map<String, Entry> parse(byte[] json) throws IOException {
        Map<String, Entry> m = new TreeMap<>();
        try (JsonParser p = CanonicalJson.factory().createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("expected a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                if (!field.equals("datasets") || t != JsonToken.START_OBJECT) {
                    p.skipChildren();
                    continue;
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    if (p.nextToken() != JsonToken.START_OBJECT) {
                        throw new IOException("dataset '" + name + "' is not an object");
                    }
                    String path = null;
                    String version = null;
                    String manifest = null;
                    long size = 0;
                    long files = 0;
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String f = p.currentName();
                        p.nextToken();
                        switch (f) {
                            case "path" -> path = p.getText();
                            case "version" -> version = p.getText();
                            case "manifest" -> manifest = p.getText();
                            case "size" -> size = p.getLongValue();
                            case "files" -> files = p.getLongValue();
                            default -> p.skipChildren();
                        }
                    }
                    if (path == null || version == null || manifest == null) {
                        throw new IOException("dataset '" + name + "' lacks path, version or manifest");
                    }
                    // a lock file comes through git: its names and ids become paths in the cache
                    if (!RemoteLayout.isName(name) || !Sha256.isHex(version) || !Sha256.isHex(manifest)) {
                        throw new IOException("dataset " + MalformedMetadataException.quoted(name)
                                + " has a name, version or manifest Kiln does not write");
                    }
                    m.put(name, new Entry(path, version, manifest, size, files));
                }
            }
        }
        return m;
    }

    public Map<String, Entry> datasets() {
        return java.util.Collections.unmodifiableMap(datasets);
    }

    public Entry get(String dataset) {
        return datasets.get(dataset);
    }

    public void put(String dataset, Entry e) {
        datasets.put(dataset, e);
    }

    /** Puts back an entry as it was before a {@link #put} that failed to be written: {@code was} null removes it. */
    void restore(String dataset, Entry was) {
        if (was == null) {
            datasets.remove(dataset);
        } else {
            datasets.put(dataset, was);
        }
    }

    /** Writes the file atomically (temporary file, then rename). */
    public void write() {
        try {
            byte[] json = CanonicalJson.DATA.prettyBytes(new Content(1, datasets));
            AtomicFiles.write(file, null, out -> {
                out.write(json);
                out.write('\n');
            });
        } catch (IOException e) {
            throw new DiskSpace.WriteFailed(file, e);
        }
    }
}
