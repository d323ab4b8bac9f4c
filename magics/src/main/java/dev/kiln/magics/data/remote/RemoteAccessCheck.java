package dev.kiln.magics.data.remote;

import dev.kiln.magics.core.Sha256;
import dev.kiln.magics.core.UserError;
import dev.kiln.magics.data.RemoteConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * {@code kiln data remote check}: what the configured credentials may do on a remote, found by
 * probes that change nothing anyone relies on. Reading lists {@code refs/} and asks for an object
 * that does not exist (404 when allowed, 403 when not); writing stores one small content-addressed
 * object (it may stay: its key is its hash, like every object); moving refs writes a ref under a
 * condition that cannot hold (412 or 404 when allowed, nothing written); deleting deletes a key that
 * does not exist. A directory remote is probed with a file created and removed in each folder.
 */
public final class RemoteAccessCheck {

    /** What the probe object holds; its key is objects/sha256/ of its hash, as for any object. */
    static final byte[] PROBE = "kiln remote check\n".getBytes(StandardCharsets.UTF_8);

    /**
     * What credentials may do on one remote.
     *
     * @param describe how messages name the remote
     */
    public record Access(String remote, String describe, boolean read, boolean writeObjects, boolean moveRefs, boolean delete) {

        /** The role of the project's least-privilege policies these rights amount to. */
        public String role() {
            if (!read) {
                return "none";
            }
            if (!writeObjects && !moveRefs && !delete) {
                return "reader";
            }
            if (writeObjects && moveRefs && !delete) {
                return "writer";
            }
            if (writeObjects && moveRefs) {
                return "garbage collector";
            }
            return "partial";
        }

        /** One line per right, then the role and what it is for. */
        public String text() {
            StringBuilder t = new StringBuilder("What these credentials may do on ").append(describe).append(":\n");
            t.append(String.format("  %-14s %s%n", "read", read ? "yes" : "no"));
            t.append(String.format("  %-14s %s%n", "write objects", writeObjects ? "yes" : "no"));
            t.append(String.format("  %-14s %s%n", "move refs", moveRefs ? "yes" : "no"));
            t.append(String.format("  %-14s %s%n", "delete", delete ? "yes" : "no"));
            t.append(switch (role()) {
                case "none" -> "No access: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE) to a key of the reader "
                        + "role at least (see docs/remote-access.md).";
                case "reader" -> "Role: reader. Enough to pull and reproduce; 'kiln data push' and 'kiln data tag' need the writer role.";
                case "writer" -> "Role: writer. Can push versions and move tags; cannot delete (garbage collection needs its own role).";
                case "garbage collector" -> "Role: garbage collector (every right). Keep such a key for collecting garbage, not for daily work.";
                default -> "Partial rights: not one of the roles in docs/remote-access.md; pushes may fail half-way.";
            });
            return t.toString();
        }
    }

    /** Probes the remote {@code config} names with the credentials {@code env} gives; never fails for a refusal. */
    public static Access check(RemoteConfig config, Map<String, String> env, Path projectDir) {
        if (config.isS3()) {
            try (S3Remote r = new S3Remote(config, env, 1)) {
                return s3(config.name(), r);
            }
        }
        return directory(new DirectoryRemote(config.name(), config.directory(projectDir)));
    }

    private static Access s3(String name, S3Remote r) {
        S3Bucket b = r.bucket();
        if (credentialsRejected(b)) {
            return new Access(name, r.describe(), false, false, false, false); // no probe past authentication means anything
        }
        String missing = "objects/sha256/00/kiln-check-" + UUID.randomUUID();
        boolean read = allowed(() -> {
            b.client().listObjectsV2(q -> q.bucket(b.bucket()).prefix(b.key("refs/")).maxKeys(1));
            try {
                b.client().headObject(q -> q.bucket(b.bucket()).key(b.key(missing)));
            } catch (NoSuchKeyException e) {
                return; // allowed, and absent as expected
            } catch (S3Exception e) {
                if (e.statusCode() != 404) {
                    throw e;
                }
            }
        });
        String hash = Sha256.hex(PROBE);
        boolean write = allowed(() -> r.putBytesIfAbsent("objects/sha256/" + hash.substring(0, 2) + "/" + hash.substring(2), PROBE));
        String probeRef = "refs/.kiln-check/" + UUID.randomUUID();
        boolean refs = allowed(() -> {
            try {
                b.client().putObject(q -> q.bucket(b.bucket()).key(b.key(probeRef)).ifMatch("\"kiln-check-no-such-etag\""),
                        RequestBody.fromBytes(PROBE));
                // a server that ignores If-Match wrote it: take it back
                b.client().deleteObject(q -> q.bucket(b.bucket()).key(b.key(probeRef)));
            } catch (S3Exception e) {
                if (e.statusCode() != 412 && e.statusCode() != 404 && e.statusCode() != 409) {
                    throw e;
                }
            }
        });
        boolean delete = allowed(() -> b.client().deleteObject(q -> q.bucket(b.bucket()).key(b.key(missing))));
        return new Access(name, r.describe(), read, write, refs, delete);
    }

    private static Access directory(DirectoryRemote r) {
        Path root = r.root();
        boolean read = Files.isDirectory(root) && Files.isReadable(root) && allowed(() -> r.list("refs/"));
        boolean objects = canCreateIn(root.resolve("objects"), root);
        boolean refs = canCreateIn(root.resolve("refs"), root);
        // deleting a file needs the same right on its folder as creating one
        return new Access(r.name(), r.describe(), read, objects, refs, objects && refs);
    }

    /** Whether a file can be created (and so removed) in {@code dir}, or in {@code root} while {@code dir} does not exist yet. */
    private static boolean canCreateIn(Path dir, Path root) {
        Path in = Files.isDirectory(dir) ? dir : root;
        try {
            Path f = Files.createTempFile(in, ".kiln-check-", "");
            Files.delete(f);
            return true;
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    /** Whether the store refuses these credentials themselves (unknown key, wrong secret, none at all). */
    private static boolean credentialsRejected(S3Bucket b) {
        try {
            b.client().listObjectsV2(q -> q.bucket(b.bucket()).prefix(b.key("refs/")).maxKeys(1));
            return false;
        } catch (S3Exception e) {
            String code = S3Bucket.code(e);
            return "InvalidAccessKeyId".equals(code) || "SignatureDoesNotMatch".equals(code) || "InvalidToken".equals(code)
                    || "ExpiredToken".equals(code);
        } catch (SdkException e) {
            return e.getMessage() != null && e.getMessage().contains("credentials");
        }
    }

    private static boolean allowed(Runnable probe) {
        try {
            probe.run();
            return true;
        } catch (RemoteAccessDenied e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 403) {
                return false;
            }
            throw new UserError("Could not check the remote: S3 answered HTTP " + e.statusCode() + " (" + S3Bucket.code(e)
                    + "). Check the endpoint and the bucket with 'kiln data remote list'.", e);
        } catch (SdkException e) {
            if (e.getMessage() != null && e.getMessage().contains("credentials")) {
                return false;
            }
            throw new UserError("Could not check the remote: " + e.getMessage() + ". Check the endpoint and that the server runs.", e);
        } catch (java.io.UncheckedIOException e) {
            return false;
        }
    }

    private RemoteAccessCheck() {
    }
}
