package dev.kiln.magics.core;

import java.util.List;

/**
 * One version of a dataset, commit-like: its manifest, its parent version, who made it, when and
 * why, and what it was derived from. Its id is the SHA-256 of its canonical JSON. The data engine
 * writes it, a result's {@link Provenance} carries it, the sidecar records it.
 *
 * @param parent  the previous version's id, or {@code null} for the first
 * @param time    ISO-8601 instant
 * @param lineage versions of other datasets this one was derived from (empty for raw data)
 */
public record VersionRecord(String dataset, String parent, String manifest, long files, long size,
                            String message, String author, String time, List<Lineage> lineage) {

    public VersionRecord {
        lineage = lineage == null ? List.of() : List.copyOf(lineage);
    }

    public byte[] canonicalBytes() {
        return CanonicalJson.DATA.bytes(this);
    }

    public String id() {
        return Sha256.hex(canonicalBytes());
    }
}
