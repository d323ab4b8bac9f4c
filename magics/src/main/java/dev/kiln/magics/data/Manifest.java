package dev.kiln.magics.data;

import com.fasterxml.jackson.annotation.JsonIgnore;
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

    public static Manifest parse(byte[] json) {
        return CanonicalJson.read(json, Manifest.class);
    }
}
