package dev.kiln.magics.data.remote;

import dev.kiln.magics.core.UserError;
import dev.kiln.magics.data.RemoteConfig;
import dev.kiln.magics.core.Sha256;
import java.io.InputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A remote in an S3 bucket (AWS or any S3-compatible server), through the SDK's own Java HTTP
 * stack. Uploads carry {@code x-amz-checksum-sha256} so the store checks what it received; objects
 * are written with {@code If-None-Match: *} and refs with {@code If-Match}. Large files move in
 * parts, in parallel ({@link MultipartUploads}, {@link RangedDownloads}).
 */
public final class S3Remote implements Remote {

    /** Files above this go in parts. */
    public static final long MULTIPART_THRESHOLD = 64L << 20;
    public static final long PART_SIZE = 16L << 20;

    /** Above which size a file goes in parts, and of what size (as aws s3's {@code multipart_threshold} and {@code multipart_chunksize}). */
    public record Parts(long multipartThreshold, long partSize) {
        public static final Parts DEFAULT = new Parts(MULTIPART_THRESHOLD, PART_SIZE);
    }

    private final S3Bucket bucket;
    private final ExecutorService transfers;
    private final long multipartThreshold;
    private final MultipartUploads uploads;
    private final RangedDownloads downloads;

    public S3Remote(RemoteConfig config, Map<String, String> env, int jobs) {
        this(config, env, jobs, Parts.DEFAULT, null);
    }

    /**
     * @param journal where multipart uploads in progress are noted (one file each, named after this
     *                process), so that a later run aborts those a killed one left; null: not noted
     */
    public S3Remote(RemoteConfig config, Map<String, String> env, int jobs, Path journal) {
        this(config, env, jobs, Parts.DEFAULT, journal);
    }

    public S3Remote(RemoteConfig config, Map<String, String> env, int jobs, Parts parts, Path journal) {
        int threads = Math.max(1, jobs);
        this.bucket = new S3Bucket(config, env, jobs);
        this.multipartThreshold = parts.multipartThreshold();
        this.transfers = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "kiln-s3-part");
            t.setDaemon(true);
            return t;
        });
        this.uploads = new MultipartUploads(bucket, transfers, parts.partSize(), journal);
        this.downloads = new RangedDownloads(bucket, transfers, parts.multipartThreshold(), parts.partSize(), threads);
    }

    S3Bucket bucket() {
        return bucket;
    }

    @Override
    public String name() {
        return bucket.config().name();
    }

    @Override
    public String describe() {
        return bucket.describe();
    }

    @Override
    public void checkAccess() {
        try {
            bucket.client().headBucket(b -> b.bucket(bucket.bucket()));
        } catch (SdkException e) {
            throw bucket.explain("open the bucket", e);
        }
        uploads.abortAbandoned();
    }

    @Override
    public boolean exists(String k) {
        try {
            bucket.client().headObject(b -> b.bucket(bucket.bucket()).key(bucket.key(k)));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw bucket.explain("read " + k, e);
        } catch (SdkException e) {
            throw bucket.explain("read " + k, e);
        }
    }

    @Override
    public Set<String> list(String p) {
        Set<String> keys = new HashSet<>();
        try {
            for (S3Object o : bucket.client().listObjectsV2Paginator(b -> b.bucket(bucket.bucket()).prefix(bucket.key(p)))
                    .contents()) {
                keys.add(bucket.layoutKey(o.key()));
            }
        } catch (SdkException e) {
            throw bucket.explain("list " + p, e);
        }
        return keys;
    }

    @Override
    public java.util.List<Listed> listDetailed(String p) {
        java.util.List<Listed> keys = new java.util.ArrayList<>();
        try {
            for (S3Object o : bucket.client().listObjectsV2Paginator(b -> b.bucket(bucket.bucket()).prefix(bucket.key(p)))
                    .contents()) {
                keys.add(new Listed(bucket.layoutKey(o.key()), o.size(), o.lastModified()));
            }
        } catch (SdkException e) {
            throw bucket.explain("list " + p, e);
        }
        return keys;
    }

    /** Largest object one CopyObject copies (S3's limit); a larger one travels through the cache. */
    public static final long MAX_COPY = 5L << 30;

    /** Whether the server that holds {@code other} holds this remote too, so it can copy between them itself. */
    public boolean sameServerAs(S3Remote other) {
        RemoteConfig a = bucket.config();
        RemoteConfig b = other.bucket.config();
        return java.util.Objects.equals(a.endpoint(), b.endpoint()) && java.util.Objects.equals(a.region(), b.region())
                && java.util.Objects.equals(a.profile(), b.profile());
    }

    /**
     * Has the server copy {@code source}'s object at {@code k} to the same key here (CopyObject: no byte
     * passes through this machine), unless it is here already.
     *
     * @return false when it was here already
     */
    public boolean copyIfAbsent(S3Remote source, String k) {
        if (exists(k)) {
            return false;
        }
        try {
            bucket.client().copyObject(b -> b.sourceBucket(source.bucket.bucket()).sourceKey(source.bucket.key(k))
                    .destinationBucket(bucket.bucket()).destinationKey(bucket.key(k)));
            return true;
        } catch (SdkException e) {
            throw bucket.explain("copy " + k + " from " + source.describe(), e);
        }
    }

    @Override
    public void delete(String k) {
        try {
            bucket.client().deleteObject(b -> b.bucket(bucket.bucket()).key(bucket.key(k)));
        } catch (SdkException e) {
            throw bucket.explain("delete " + k, e);
        }
    }

    @Override
    public boolean putFileIfAbsent(String k, Path file, String sha256, long size) {
        try {
            if (size > multipartThreshold) {
                try {
                    return bucket.retryingConflicts(() -> !exists(k) && uploads.put(k, file, size));
                } catch (S3Exception e) {
                    throw bucket.explain("upload " + k, e);
                }
            }
            byte[] bytes = Files.readAllBytes(file);
            if (sha256 != null && !Sha256.hex(bytes).equals(sha256)) {
                throw new UserError(file + " changed since it was added (its SHA-256 is no longer " + sha256
                        + "). Run 'kiln data add' again before pushing.");
            }
            return putIfAbsent(k, bytes, sha256);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean putBytesIfAbsent(String k, byte[] bytes) {
        return putIfAbsent(k, bytes, Sha256.hex(bytes));
    }

    private boolean putIfAbsent(String k, byte[] bytes, String sha256) {
        try {
            bucket.retryingConflicts(() -> bucket.client().putObject(b -> b.bucket(bucket.bucket()).key(bucket.key(k))
                            .ifNoneMatch("*").contentLength((long) bytes.length).checksumSHA256(Sha256.base64OfHex(sha256)),
                    RequestBody.fromContentProvider(() -> new ByteArrayInputStream(bytes), bytes.length,
                            "application/octet-stream")));
            return true;
        } catch (S3Exception e) {
            if (S3Bucket.preconditionFailed(e)) {
                return false;
            }
            throw bucket.explain("upload " + k, e);
        } catch (SdkException e) {
            throw bucket.explain("upload " + k, e);
        }
    }

    @Override
    public String download(String k, Path target, long expectedSize) {
        return downloads.download(k, target, expectedSize);
    }

    @Override
    public InputStream openRange(String k, long position, long length) {
        try {
            // the body streams to the reader: getObjectAsBytes copied each range two or three times first
            return bucket.client().getObject(r -> r.bucket(bucket.bucket()).key(bucket.key(k))
                    .range("bytes=" + position + "-" + (position + length - 1)));
        } catch (NoSuchKeyException e) {
            throw new UserError(bucket.describe() + ": " + k + " is missing. Was the version pushed? "
                    + "Run 'kiln data push' from the project that made it.", e);
        } catch (SdkException e) {
            throw bucket.explain("read " + k, e);
        }
    }

    @Override
    public Optional<byte[]> getBytes(String k) {
        return readRef(k).map(Ref::content);
    }

    @Override
    public Optional<Ref> readRef(String k) {
        try {
            ResponseBytes<GetObjectResponse> r = bucket.client().getObjectAsBytes(
                    b -> b.bucket(bucket.bucket()).key(bucket.key(k)));
            return Optional.of(new Ref(r.asByteArray(), r.response().eTag()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404 && !"NoSuchBucket".equals(S3Bucket.code(e))) {
                return Optional.empty();
            }
            throw bucket.explain("read " + k, e);
        } catch (SdkException e) {
            throw bucket.explain("read " + k, e);
        }
    }

    @Override
    public void writeRef(String k, byte[] content, String expectedEtag) {
        try {
            bucket.retryingConflicts(() -> bucket.client().putObject(b -> {
                b.bucket(bucket.bucket()).key(bucket.key(k)).contentLength((long) content.length)
                        .checksumSHA256(Base64.getEncoder().encodeToString(Sha256.of(content, 0, content.length)));
                if (expectedEtag == null) {
                    b.ifNoneMatch("*");
                } else {
                    b.ifMatch(expectedEtag);
                }
            }, RequestBody.fromBytes(content)));
        } catch (S3Exception e) {
            // a ref another writer kept writing is as changed as one it wrote; one removed since it was
            // read answers If-Match with 404, as S3 does (nothing there to match)
            if (S3Bucket.preconditionFailed(e) || S3Bucket.conflicted(e)
                    || (expectedEtag != null && e.statusCode() == 404 && !"NoSuchBucket".equals(S3Bucket.code(e)))) {
                throw new RefConflictException(k);
            }
            throw bucket.explain("update " + k, e);
        } catch (SdkException e) {
            throw bucket.explain("update " + k, e);
        }
    }

    @Override
    public void close() {
        transfers.shutdownNow();
        bucket.close();
    }
}
