package dev.kiln.magics.data;

import com.fasterxml.jackson.core.JacksonException;
import dev.kiln.magics.core.CanonicalJson;
import dev.kiln.magics.core.Lineage;
import dev.kiln.magics.core.Sha256;
import dev.kiln.magics.core.VersionRecord;
import dev.kiln.magics.core.UserError;
import dev.kiln.magics.data.remote.Remote;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Version records, manifests and refs: read from the cache, or else from a remote through the
 * {@link Transfer} (checked against their ids, parsed, and kept in the cache). Every id they hold
 * is checked before it becomes a path.
 */
final class Metadata {

    private final Cache cache;
    private final Transfer transfer;
    private final Function<String, Optional<Remote>> remotes;

    /** @param remotes the remote of a name (null: the default), empty when none is configured */
    Metadata(Cache cache, Transfer transfer, Function<String, Optional<Remote>> remotes) {
        this.cache = cache;
        this.transfer = transfer;
        this.remotes = remotes;
    }

    /**
     * A version's record.
     *
     * @throws MalformedMetadataException when it cannot be used, naming it
     */
    VersionRecord version(String dataset, String id, String remoteName) {
        String key = RemoteLayout.version(dataset, id);
        return read(key, id, dataset, id, remoteName, () -> cache.version(dataset, id), Metadata::parseVersion)
                .orElseThrow(() -> new UserError("Unknown version " + id + " of dataset '" + dataset + "': it is neither in "
                        + "the cache nor on the remote. Run 'kiln data version " + dataset + "' to list its versions."));
    }

    /**
     * A manifest, every path and hash in it checked.
     *
     * @param dataset, version whose manifest it is, for messages
     * @throws MalformedMetadataException when it cannot be used, naming it and its version
     */
    Manifest manifest(String hash, String remoteName, String dataset, String version) {
        String key = RemoteLayout.manifest(hash);
        return read(key, hash, dataset, version, remoteName, () -> cache.manifest(hash), Manifest::parse)
                .orElseThrow(() -> new UserError("Manifest " + hash + " is neither in the cache nor on "
                        + "the remote. Push it from the project that made the version."));
    }

    private <T> Optional<T> read(String key, String id, String dataset, String version, String remoteName,
                                 Supplier<Optional<T>> cached, Function<byte[], T> parse) {
        try {
            Optional<T> c = cached.get();
            if (c.isPresent()) {
                return c;
            }
        } catch (MalformedMetadataException e) {
            throw e.inCache(cache.root(), key, dataset, version);
        }
        Optional<Remote> remote = remotes.apply(remoteName);
        if (remote.isEmpty()) {
            return Optional.empty();
        }
        Remote r = remote.get();
        return transfer.fetchMetadata(r, key, id, bytes -> {
            try {
                return parse.apply(bytes);
            } catch (MalformedMetadataException e) {
                throw e.on(r, key, dataset, version);
            }
        });
    }

    /**
     * Reads a version record and checks the ids it leads to (its manifest, its parent, what it was
     * derived from): they become paths in the cache and keys on the remote.
     *
     * @throws MalformedMetadataException naming what is wrong (the caller adds whose record it is)
     */
    static VersionRecord parseVersion(byte[] json) {
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

    /**
     * The version a ref on the remote names.
     *
     * @throws MalformedMetadataException when it names something other than a version id
     */
    static Optional<String> refTarget(Remote r, String dataset, String tag) {
        return r.readRef(RemoteLayout.ref(dataset, tag)).map(ref -> refId(r, dataset, tag, ref));
    }

    static String refId(Remote r, String dataset, String tag, Remote.Ref ref) {
        String id = new String(ref.content(), StandardCharsets.UTF_8).strip();
        if (!Sha256.isHex(id)) {
            throw new MalformedMetadataException(MalformedMetadataException.Defect.NOT_AN_ID,
                    MalformedMetadataException.quoted(id)).on(r, RemoteLayout.ref(dataset, tag), dataset, null);
        }
        return id;
    }
}
