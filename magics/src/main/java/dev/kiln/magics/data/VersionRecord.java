package dev.kiln.magics.data;

import dev.kiln.magics.core.CanonicalJson;
import dev.kiln.magics.core.Sha256;
import com.fasterxml.jackson.core.JacksonException;
import java.io.IOException;
import java.util.List;

/**
 * One version of a dataset, commit-like: its manifest, its parent version, who made it, when and
 * why, and what it was derived from. Its id is the SHA-256 of its canonical JSON.
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

    /**
     * Reads a record and checks the ids it leads to (its manifest, its parent, what it was derived
     * from): they become paths in the cache and keys on the remote.
     *
     * @throws MalformedMetadataException naming what is wrong (the caller adds whose record it is)
     */
    public static VersionRecord parse(byte[] json) {
        VersionRecord r;
        try {
            r = CanonicalJson.mapper().readValue(json, VersionRecord.class);
        } catch (JacksonException e) {
            String why = e.getOriginalMessage();
            throw new MalformedMetadataException(MalformedMetadataException.Defect.NOT_JSON,
                    why == null ? "unreadable" : why.lines().findFirst().orElse("unreadable"));
        } catch (IOException e) {
            throw new MalformedMetadataException(MalformedMetadataException.Defect.NOT_JSON, String.valueOf(e.getMessage()));
        }
        if (r == null || r.manifest() == null) {
            throw new MalformedMetadataException(MalformedMetadataException.Defect.MISSING_FIELD, "manifest");
        }
        checkId(r.manifest(), "manifest");
        if (r.parent() != null) {
            checkId(r.parent(), "parent");
        }
        for (Lineage l : r.lineage()) {
            if (l == null || l.version() == null) {
                throw new MalformedMetadataException(MalformedMetadataException.Defect.MISSING_FIELD, "lineage version");
            }
            checkId(l.version(), "lineage");
        }
        return r;
    }

    private static void checkId(String id, String field) {
        if (!Sha256.isHex(id)) {
            throw new MalformedMetadataException(MalformedMetadataException.Defect.NOT_AN_ID,
                    MalformedMetadataException.quoted(id) + " (its " + field + ")");
        }
    }
}
