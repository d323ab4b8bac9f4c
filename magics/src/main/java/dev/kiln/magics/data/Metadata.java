package dev.kiln.magics.data;

import dev.kiln.magics.core.UserError;
import dev.kiln.magics.data.remote.Remote;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Function;

/**
 * Version records, manifests and refs: read from the cache, or else from a remote (verified against
 * their ids, checked, and kept in the cache). Every id they hold is checked before it becomes a path.
 */
final class Metadata {

    private final Cache cache;
    private final Function<String, Optional<Remote>> remotes;

    /** @param remotes the remote of a name (null: the default), empty when none is configured */
    Metadata(Cache cache, Function<String, Optional<Remote>> remotes) {
        this.cache = cache;
        this.remotes = remotes;
    }

    /**
     * A version's record, from the cache or else the remote (verified against its id, checked, and
     * kept in the cache).
     *
     * @throws MalformedMetadataException when it cannot be used, naming it
     */
    VersionRecord version(String dataset, String id, String remoteName) {
        String key = RemoteLayout.version(dataset, id);
        try {
            Optional<VersionRecord> v = cache.version(dataset, id);
            if (v.isPresent()) {
                return v.get();
            }
        } catch (MalformedMetadataException e) {
            throw e.inCache(cache.root(), key, dataset, id);
        }
        Optional<Remote> remote = remotes.apply(remoteName);
        if (remote.isPresent()) {
            Remote r = remote.get();
            Optional<byte[]> b = r.getBytes(key);
            if (b.isPresent()) {
                String actual = Sha256.hex(b.get());
                if (!actual.equals(id)) {
                    throw new CorruptObjectException(r, key, id, actual);
                }
                VersionRecord record;
                try {
                    record = VersionRecord.parse(b.get());
                } catch (MalformedMetadataException e) {
                    throw e.on(r, key, dataset, id);
                }
                keepInCache(() -> cache.putVersion(dataset, id, b.get()));
                return record;
            }
        }
        throw new UserError("Unknown version " + id + " of dataset '" + dataset + "': it is neither in the cache nor "
                + "on the remote. Run 'kiln data version " + dataset + "' to list its versions.");
    }

    /**
     * A manifest, from the cache or else the remote (verified against its hash, every path and hash
     * checked, and kept in the cache).
     *
     * @param dataset, version whose manifest it is, for messages
     * @throws MalformedMetadataException when it cannot be used, naming it and its version
     */
    Manifest manifest(String hash, String remoteName, String dataset, String version) {
        String key = RemoteLayout.manifest(hash);
        try {
            Optional<Manifest> m = cache.manifest(hash);
            if (m.isPresent()) {
                return m.get();
            }
        } catch (MalformedMetadataException e) {
            throw e.inCache(cache.root(), key, dataset, version);
        }
        Optional<Remote> remote = remotes.apply(remoteName);
        if (remote.isPresent()) {
            Remote r = remote.get();
            Optional<byte[]> b = r.getBytes(key);
            if (b.isPresent()) {
                String actual = Sha256.hex(b.get());
                if (!actual.equals(hash)) {
                    throw new CorruptObjectException(r, key, hash, actual);
                }
                Manifest manifest;
                try {
                    manifest = Manifest.parse(b.get());
                } catch (MalformedMetadataException e) {
                    throw e.on(r, key, dataset, version);
                }
                keepInCache(() -> cache.putManifest(hash, b.get()));
                return manifest;
            }
        }
        throw new UserError("Manifest " + hash + " is neither in the cache nor on "
                + "the remote. Push it from the project that made the version.");
    }

    /** Keeps metadata read from a remote in the cache; a full disk is reported, with the bytes it lacks, by the command's own check. */
    private static void keepInCache(Runnable put) {
        try {
            put.run();
        } catch (UncheckedIOException e) {
            // the remote still has it: the next command fetches it again
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
