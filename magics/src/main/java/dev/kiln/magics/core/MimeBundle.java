package dev.kiln.magics.core;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A value as a notebook shows it: MIME type to content ({@code text/plain} to a string,
 * {@code image/png} to base64, …) and per-output metadata (e.g. {@code {"image/png": {"width": 640}}}
 * or {@code {"kiln": {...}}}).
 */
public record MimeBundle(Map<String, Object> data, Map<String, Object> metadata) {

    public MimeBundle {
        data = new LinkedHashMap<>(data);
        metadata = new LinkedHashMap<>(metadata);
    }

    public static MimeBundle of(Map<String, Object> data) {
        return new MimeBundle(data, Map.of());
    }

    /** The bundle of a command's result: text, HTML when it has some, provenance under {@code kiln}. */
    public static MimeBundle of(Result r) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("text/plain", r.text());
        if (r.html() != null) {
            data.put("text/html", r.html());
        }
        return of(data, r.provenance());
    }

    /** {@code data} with {@code provenance} as the output's {@code metadata.kiln} (none when it is empty). */
    public static MimeBundle of(Map<String, Object> data, Provenance provenance) {
        Map<String, Object> meta = new LinkedHashMap<>();
        if (!provenance.isEmpty()) {
            meta.put("kiln", ProvenanceJson.write(provenance));
        }
        return new MimeBundle(data, meta);
    }
}
