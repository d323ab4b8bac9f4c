package dev.kiln.magics.data;

import dev.kiln.magics.core.CanonicalJson;
import dev.kiln.magics.core.Sha256;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.kiln.magics.core.TempFiles;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A directory's listing, sorted by path; its hash is the SHA-256 of its canonical JSON. */
public record Manifest(List<ManifestEntry> files) {

    public Manifest {
        List<ManifestEntry> sorted = new ArrayList<>(files);
        Collections.sort(sorted);
        files = List.copyOf(sorted);
    }

    public byte[] canonicalBytes() {
        return CanonicalJson.DATA.bytes(this);
    }

    public String hash() {
        return Sha256.hex(canonicalBytes());
    }

    @JsonIgnore
    public long totalSize() {
        long n = 0;
        for (ManifestEntry e : files) {
            n += e.size();
        }
        return n;
    }

    @JsonIgnore
    public Map<String, ManifestEntry> byPath() {
        Map<String, ManifestEntry> m = new LinkedHashMap<>();
        for (ManifestEntry e : files) {
            m.put(e.path(), e);
        }
        return m;
    }

    /** Only the files under {@code subpath} ('/'-separated, relative to the dataset); all when empty. */
    public Manifest under(String subpath) {
        if (subpath == null || subpath.isEmpty()) {
            return this;
        }
        String prefix = subpath.endsWith("/") ? subpath : subpath + "/";
        return new Manifest(files.stream()
                .filter(e -> e.path().equals(subpath) || e.path().startsWith(prefix)).toList());
    }

    /**
     * Reads a manifest's JSON with the streaming parser (manifests of many files load in a blink)
     * and checks every path and hash: a manifest names files to write, so one from a tampered
     * remote must not lead anywhere but into its dataset's directory.
     *
     * @throws MalformedMetadataException naming what is wrong (the caller adds whose manifest it is)
     */
    public static Manifest parse(byte[] json) {
        List<ManifestEntry> files = new ArrayList<>();
        try (JsonParser p = CanonicalJson.factory().createParser(json)) {
            expect(p.nextToken(), JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                if (!field.equals("files")) {
                    p.skipChildren();
                    continue;
                }
                expect(t, JsonToken.START_ARRAY);
                for (JsonToken e; (e = p.nextToken()) != JsonToken.END_ARRAY; ) {
                    expect(e, JsonToken.START_OBJECT);
                    String path = null;
                    String sha = null;
                    long size = -1;
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String f = p.currentName();
                        JsonToken v = p.nextToken();
                        switch (f) {
                            case "path" -> path = text(p, v, f);
                            case "sha256" -> sha = text(p, v, f);
                            case "size" -> {
                                expect(v, JsonToken.VALUE_NUMBER_INT);
                                size = p.getLongValue();
                            }
                            default -> p.skipChildren();
                        }
                    }
                    if (path == null || sha == null || size < 0) {
                        throw new MalformedMetadataException(MalformedMetadataException.Defect.MISSING_FIELD,
                                "entry " + (files.size() + 1) + " lacks its path, sha256 or size");
                    }
                    files.add(new ManifestEntry(path, sha, size));
                }
            }
            if (p.nextToken() != null) {
                throw new IOException("more after the manifest's end");
            }
        } catch (IOException e) {
            throw new MalformedMetadataException(MalformedMetadataException.Defect.NOT_JSON, e.getMessage().lines()
                    .findFirst().orElse("unreadable"));
        }
        Manifest m = new Manifest(files);
        m.check();
        return m;
    }

    /** Every path safe to put under a directory, every hash an id, no path twice or a file and a directory at once. */
    private void check() {
        Set<String> dirs = new HashSet<>();
        String previous = null;
        for (ManifestEntry e : files) {
            String path = e.path();
            if (!isSafePath(path)) {
                throw new MalformedMetadataException(MalformedMetadataException.Defect.UNSAFE_PATH,
                        MalformedMetadataException.quoted(path));
            }
            if (!Sha256.isHex(e.sha256())) {
                throw new MalformedMetadataException(MalformedMetadataException.Defect.NOT_AN_ID,
                        MalformedMetadataException.quoted(e.sha256()) + " (the hash of " + MalformedMetadataException.quoted(path) + ")");
            }
            if (path.equals(previous)) {
                throw new MalformedMetadataException(MalformedMetadataException.Defect.DUPLICATE_PATH,
                        MalformedMetadataException.quoted(path));
            }
            previous = path;
            for (int slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
                dirs.add(path.substring(0, slash));
            }
        }
        if (dirs.isEmpty()) {
            return;
        }
        for (ManifestEntry e : files) {
            if (dirs.contains(e.path())) {
                String under = files.stream().map(ManifestEntry::path).filter(p -> p.startsWith(e.path() + "/"))
                        .findFirst().orElse("");
                throw new MalformedMetadataException(MalformedMetadataException.Defect.FILE_AND_DIRECTORY,
                        MalformedMetadataException.quoted(e.path()) + " and " + MalformedMetadataException.quoted(under));
            }
        }
    }

    /**
     * A relative '/'-separated path of plain names: none empty, '.' or '..', no backslash or NUL,
     * and none a name Kiln gives its own temporary files (the workspace scan skips those).
     */
    static boolean isSafePath(String path) {
        int start = 0;
        int n = path.length();
        if (n == 0) {
            return false;
        }
        for (int i = 0; i <= n; i++) {
            char c = i < n ? path.charAt(i) : '/';
            if (c == '\\' || c == 0) {
                return false;
            }
            if (c == '/') {
                int len = i - start;
                if (len == 0 || (len == 1 && path.charAt(start) == '.')
                        || (len == 2 && path.charAt(start) == '.' && path.charAt(start + 1) == '.')
                        || path.startsWith(TempFiles.MARK, start)) {
                    return false;
                }
                start = i + 1;
            }
        }
        return true;
    }

    private static String text(JsonParser p, JsonToken t, String field) throws IOException {
        if (t != JsonToken.VALUE_STRING) {
            throw new IOException(field + " is not a string");
        }
        return p.getText();
    }

    private static void expect(JsonToken actual, JsonToken wanted) throws IOException {
        if (actual != wanted) {
            throw new IOException("expected " + wanted + ", found " + actual);
        }
    }
}
