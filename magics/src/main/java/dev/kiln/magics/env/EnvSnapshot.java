package dev.kiln.magics.env;

import dev.kiln.magics.core.CanonicalJson;
import dev.kiln.magics.core.Provenance;

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

    /** This snapshot as a result's provenance carries it (under {@code metadata.kiln.snapshot} of a cell's output). */
    public Provenance.Snapshot provenance() {
        return new Provenance.Snapshot(id, CanonicalJson.ENVIRONMENT.asMap(environment));
    }

    /** The snapshot a result's provenance carries; null when it carries none or without its environment. */
    public static EnvSnapshot of(Provenance.Snapshot s) {
        if (s == null || s.environment() == null) {
            return null;
        }
        return of(CanonicalJson.mapper().convertValue(s.environment(), Environment.class));
    }
}
