package dev.kiln.magics.data;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A directory's listing, sorted by path; its hash is the SHA-256 of its canonical JSON. */
public record Manifest(List<ManifestEntry> files) {

    public Manifest {
        List<ManifestEntry> sorted = new ArrayList<>(files);
        Collections.sort(sorted);
        files = List.copyOf(sorted);
    }

    public byte[] canonicalBytes() {
        return CanonicalJson.bytes(this);
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

    /** Reads a manifest's JSON with the streaming parser: manifests of many files load in a blink. */
    public static Manifest parse(byte[] json) {
        try (JsonParser p = CanonicalJson.FACTORY.createParser(json)) {
            List<ManifestEntry> files = new ArrayList<>();
            expect(p.nextToken(), JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                if (!field.equals("files")) {
                    p.skipChildren();
                    continue;
                }
                expect(t, JsonToken.START_ARRAY);
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    String path = null;
                    String sha = null;
                    long size = -1;
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String f = p.currentName();
                        p.nextToken();
                        switch (f) {
                            case "path" -> path = p.getText();
                            case "sha256" -> sha = p.getText();
                            case "size" -> size = p.getLongValue();
                            default -> p.skipChildren();
                        }
                    }
                    if (path == null || sha == null || size < 0) {
                        throw new IOException("a manifest entry lacks path, sha256 or size");
                    }
                    files.add(new ManifestEntry(path, sha, size));
                }
            }
            return new Manifest(files);
        } catch (IOException e) {
            throw new UncheckedIOException("not a manifest: " + e.getMessage(), e);
        }
    }

    private static void expect(JsonToken actual, JsonToken wanted) throws IOException {
        if (actual != wanted) {
            throw new IOException("expected " + wanted + ", found " + actual);
        }
    }
}
