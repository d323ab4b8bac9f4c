package dev.kiln.magics.env;

import dev.kiln.magics.core.CanonicalJson;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A recorded environment and its id, the SHA-256 of the environment's canonical JSON. This is the
 * record other parts of Kiln pass on (the sidecar posts {@link #toJson()}; a cell's output carries
 * {@link #provenance()}).
 */
public record EnvSnapshot(String id, Environment environment) {

    /** How many hex digits of an id people see. */
    public static final int SHORT = 12;

    public static EnvSnapshot of(Environment environment) {
        return new EnvSnapshot(CanonicalJson.ENVIRONMENT.id(environment), environment);
    }

    public String shortId() {
        return id.substring(0, SHORT);
    }

    /** The canonical bytes the id is the hash of (what {@code .kiln/snapshots/<id>.json} holds). */
    public byte[] canonicalBytes() {
        return CanonicalJson.ENVIRONMENT.bytes(environment);
    }

    /** {@code {"id": …, "environment": {…}}} as one JSON document. */
    public String toJson() {
        return CanonicalJson.ENVIRONMENT.string(this);
    }

    /** What goes under {@code metadata.kiln.snapshot} of a cell's output. */
    public Map<String, Object> provenance() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("id", id);
        p.put("environment", CanonicalJson.ENVIRONMENT.asMap(environment));
        return p;
    }
}
