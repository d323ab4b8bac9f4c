package dev.kiln.magics.data.remote;

import dev.kiln.magics.core.TempFiles;
import dev.kiln.magics.core.Sha256;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Large files into an S3 bucket in parts, in parallel, each part carrying its own SHA-256. Each
 * upload in progress is noted in a journal (a file named after its process), so that a later run
 * aborts the uploads a killed one left: their parts would stay in the bucket, unseen and paid for.
 */
final class MultipartUploads {

    /** Files are read a megabyte at a time: one system call, not 256 of the HTTP client's 4 KiB. */
    static final int READ_SIZE = 1 << 20;

    private final S3Bucket bucket;
    private final ExecutorService parts;
    private final long partSize;
    private final Path journal;
    /** More threads hashing than there are cores only take turns, and starve the compiler that makes hashing fast. */
    private final Semaphore hashing = new Semaphore(Runtime.getRuntime().availableProcessors());

    /** @param journal where uploads in progress are noted; null: not noted */
    MultipartUploads(S3Bucket bucket, ExecutorService parts, long partSize, Path journal) {
        this.bucket = bucket;
        this.parts = parts;
        this.partSize = partSize;
        this.journal = journal;
    }

    /**
     * Uploads {@code file} to {@code k} unless something is there when the upload completes.
     *
     * @return true when uploaded, false when the key was already present
     * @throws S3Exception a 409 at completion (another write of the key was in flight): the upload is
     *         aborted, and S3 asks for a new one ({@link S3Bucket#retryingConflicts})
     */
    boolean put(String k, Path file, long size) {
        String uploadId;
        try {
            uploadId = bucket.client().createMultipartUpload(b -> b.bucket(bucket.bucket()).key(bucket.key(k))
                    .checksumAlgorithm(ChecksumAlgorithm.SHA256)).uploadId();
        } catch (SdkException e) {
            throw bucket.explain("start uploading " + k, e);
        }
        return putParts(k, file, size, uploadId, note(bucket.key(k), uploadId));
    }

    /** Sends the parts and completes the upload, or aborts it; the note goes once the upload is done either way. */
    private boolean putParts(String k, Path file, long size, String uploadId, Path note) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            int count = (int) ((size + partSize - 1) / partSize);
            List<Future<CompletedPart>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int partNumber = i + 1;
                long offset = i * partSize;
                long len = Math.min(partSize, size - offset);
                futures.add(parts.submit(() -> {
                    // read where it lies (the page cache), never copied: a 16 MiB array per part costs the collector more than the upload
                    String sum;
                    hashing.acquire();
                    try (InputStream in = new FileRegion(ch, offset, len, file)) {
                        sum = Base64.getEncoder().encodeToString(Sha256.of(in));
                    } finally {
                        hashing.release();
                    }
                    String etag = bucket.client().uploadPart(b -> b.bucket(bucket.bucket()).key(bucket.key(k))
                                    .uploadId(uploadId).partNumber(partNumber).contentLength(len).checksumSHA256(sum),
                            RequestBody.fromContentProvider(() -> new BufferedInputStream(
                                    new FileRegion(ch, offset, len, file), READ_SIZE), len,
                                    "application/octet-stream")).eTag();
                    return CompletedPart.builder().partNumber(partNumber).eTag(etag).checksumSHA256(sum).build();
                }));
            }
            List<CompletedPart> done = new ArrayList<>();
            for (Future<CompletedPart> f : futures) {
                done.add(f.get());
            }
            bucket.client().completeMultipartUpload(b -> b.bucket(bucket.bucket()).key(bucket.key(k)).uploadId(uploadId)
                    .ifNoneMatch("*").multipartUpload(m -> m.parts(done)));
            if (note != null) {
                TempFiles.deleteQuietly(note);
            }
            return true;
        } catch (S3Exception e) {
            abort(k, uploadId, note);
            if (S3Bucket.preconditionFailed(e)) {
                return false;
            }
            if (S3Bucket.conflicted(e)) {
                throw e;
            }
            throw bucket.explain("upload " + k, e);
        } catch (ExecutionException e) {
            abort(k, uploadId, note);
            if (e.getCause() instanceof SdkException se) {
                throw bucket.explain("upload " + k, se);
            }
            if (e.getCause() instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            throw new IllegalStateException("uploading " + k + " failed", e.getCause());
        } catch (IOException e) {
            abort(k, uploadId, note);
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            abort(k, uploadId, note);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while uploading " + k, e);
        } catch (SdkException e) {
            abort(k, uploadId, note);
            throw bucket.explain("upload " + k, e);
        }
    }

    /** Aborts a failed upload; its note stays if that failed too, for a later run to try again. */
    private void abort(String k, String uploadId, Path note) {
        if (abort(bucket.key(k), uploadId) && note != null) {
            TempFiles.deleteQuietly(note);
        }
    }

    /** Aborts an upload; true when it is gone (aborted now, or before). */
    private boolean abort(String fullKey, String uploadId) {
        try {
            bucket.client().abortMultipartUpload(b -> b.bucket(bucket.bucket()).key(fullKey).uploadId(uploadId));
            return true;
        } catch (S3Exception e) {
            return e.statusCode() == 404;
        } catch (SdkException e) {
            return false;
        }
    }

    /** What a note says: the remote's endpoint (or AWS) and bucket, then the key and upload id. */
    private String noteText(String fullKey, String uploadId) {
        String endpoint = bucket.config().endpoint();
        return (endpoint == null ? "aws" : endpoint) + "\n" + bucket.bucket() + "\n" + fullKey + "\n" + uploadId + "\n";
    }

    /** A note of an upload in progress; null when there is no journal or the note cannot be written. */
    private Path note(String fullKey, String uploadId) {
        if (journal == null) {
            return null;
        }
        try {
            Files.createDirectories(journal);
            Path note = TempFiles.sharedIn(journal);
            Files.writeString(note, noteText(fullKey, uploadId), StandardCharsets.UTF_8);
            return note;
        } catch (IOException e) {
            return null; // the upload goes on; only its clean-up after a kill is lost
        }
    }

    /** Aborts the uploads to this bucket that processes now gone had started (a push killed midway). One directory read. */
    void abortAbandoned() {
        if (journal == null) {
            return;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(journal)) {
            for (Path note : ds) {
                if (!TempFiles.abandonedShared(note)) {
                    continue;
                }
                List<String> lines = Files.readAllLines(note, StandardCharsets.UTF_8);
                if (lines.size() == 4 && noteText(lines.get(2), lines.get(3)).equals(String.join("\n", lines) + "\n")
                        && abort(lines.get(2), lines.get(3))) {
                    Files.deleteIfExists(note);
                }
            }
        } catch (IOException ignored) {
            // no notes, or unreadable: cleaning up is best effort
        }
    }

    /** A stretch of a file read with positional reads, which other threads' reads do not disturb. */
    private static final class FileRegion extends InputStream {
        private final FileChannel ch;
        private final Path file;
        private long pos;
        private final long end;

        FileRegion(FileChannel ch, long offset, long length, Path file) {
            this.ch = ch;
            this.pos = offset;
            this.end = offset + length;
            this.file = file;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (pos >= end) {
                return -1;
            }
            int n = ch.read(ByteBuffer.wrap(b, off, (int) Math.min(len, end - pos)), pos);
            if (n < 0) {
                throw new IOException(file + " shrank while being transferred");
            }
            pos += n;
            return n;
        }

        @Override
        public void close() {
            // the channel belongs to the caller
        }
    }
}
