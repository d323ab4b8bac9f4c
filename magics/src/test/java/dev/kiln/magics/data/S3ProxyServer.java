package dev.kiln.magics.data;

import com.google.common.io.ByteSource;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.HttpResponse;
import org.gaul.s3proxy.blobstore.HttpResponseException;
import org.gaul.s3proxy.blobstore.domain.Blob;
import org.gaul.s3proxy.blobstore.domain.BlobMetadata;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import org.gaul.s3proxy.blobstore.domain.PageSet;
import org.gaul.s3proxy.blobstore.domain.StorageMetadata;
import org.gaul.s3proxy.blobstore.options.CreateContainerOptions;
import org.gaul.s3proxy.blobstore.options.GetOptions;
import org.gaul.s3proxy.blobstore.options.ListContainerOptions;
import org.gaul.s3proxy.blobstore.options.PutOptions;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.gaul.shaded.org.eclipse.jetty.server.Handler;
import org.gaul.shaded.org.eclipse.jetty.server.Request;
import org.gaul.shaded.org.eclipse.jetty.server.Response;
import org.gaul.shaded.org.eclipse.jetty.server.Server;
import org.gaul.shaded.org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * s3proxy 4 in this JVM on a random loopback port, with SigV4 authentication and its nio2 store, in
 * memory or under a directory. The server answers conditional writes itself: {@code If-None-Match:
 * *} on PUT and on completing a multipart upload is decided by the store as it publishes the object
 * (a hard link, which fails when the key exists), {@code If-Match} by comparing the ETag. s3proxy
 * 4.0.0's store has no compare-and-swap for an ETag, so its {@code If-Match} is a check followed by a
 * write; {@link IfMatchAtomic} makes the two one step per key, as S3's own store does.
 */
public final class S3ProxyServer implements AutoCloseable {

    public static final String ACCESS_KEY = "kiln-test-access";
    public static final String SECRET_KEY = "kiln-test-secret-0123456789";

    private final BlobStore backend;
    private final S3Proxy proxy;
    private final Queue<Seen> seen = new ConcurrentLinkedQueue<>();
    private volatile boolean recording;

    /** A request as the server received it: what a test checks of the client's signing and checksums. */
    public record Seen(String method, String path, String query, String contentSha256, String checksumSha256, String range) {
    }

    private S3ProxyServer(BlobStore backend, BlobStore served) throws Exception {
        this.backend = backend;
        this.proxy = S3Proxy.builder()
                .blobStore(served)
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .ignoreUnknownHeaders(true)
                .build();
        Field f = S3Proxy.class.getDeclaredField("server");
        f.setAccessible(true);
        Server jetty = (Server) f.get(proxy);
        jetty.setHandler(new Recording(jetty.getHandler()));
        proxy.start();
        while (!"STARTED".equals(proxy.getState())) {
            Thread.onSpinWait();
        }
    }

    /** A server keeping objects in memory. */
    public static S3ProxyServer transientStore() throws Exception {
        return start(null, Function.identity());
    }

    /**
     * A server keeping objects under {@code dir} (null: in memory), serving them through {@code wrap}
     * (a {@link ForwardingBlobStore}, so that s3proxy still sees the nio2 store and its conditional writes).
     */
    public static S3ProxyServer start(Path dir, Function<BlobStore, BlobStore> wrap) throws Exception {
        BlobStore backend = dir == null ? new TransientNio2BlobStore() : new FilesystemNio2BlobStore(dir.toString());
        return new S3ProxyServer(backend, wrap.apply(new IfMatchAtomic(backend)));
    }

    public String endpoint() {
        return "http://127.0.0.1:" + proxy.getPort();
    }

    public int port() {
        return proxy.getPort();
    }

    /** From now on, remembers every request's method, path and SigV4/checksum headers. */
    public void record() {
        seen.clear();
        recording = true;
    }

    /** The requests received since {@link #record()}. */
    public List<Seen> requests() {
        return List.copyOf(seen);
    }

    public void createBucket(String bucket) {
        backend.createContainer(bucket, CreateContainerOptions.NONE);
    }

    /** Writes {@code content} at {@code key} behind the server's back: how a test damages an object. */
    public void putObject(String bucket, String key, byte[] content) {
        backend.putBlob(bucket, Blob.builder(key).payload(ByteSource.wrap(content)).build(), PutOptions.NONE);
    }

    /** The object at {@code key} as the store holds it, or null. */
    public byte[] object(String bucket, String key) throws IOException {
        Blob b = backend.getBlob(bucket, key, GetOptions.NONE);
        return b == null ? null : readAll(b.getPayload());
    }

    public void removeObject(String bucket, String key) {
        backend.removeBlob(bucket, key);
    }

    /** Every key under {@code prefix}, at any depth. */
    public Set<String> keys(String bucket, String prefix) {
        Set<String> keys = new TreeSet<>();
        ListContainerOptions options = ListContainerOptions.builder().prefix(prefix).build();
        while (true) {
            PageSet<? extends StorageMetadata> page = backend.list(bucket, options);
            for (StorageMetadata m : page) {
                if (m instanceof BlobMetadata && !m.name().endsWith("/")) {
                    keys.add(m.name());
                }
            }
            if (page.nextMarker() == null) {
                return keys;
            }
            options = options.toBuilder().afterMarker(page.nextMarker()).build();
        }
    }

    /** The multipart uploads started and neither completed nor aborted. */
    public List<MultipartUpload> multipartUploads(String bucket) {
        return backend.listMultipartUploads(bucket);
    }

    /** Credentials and region as a session's environment carries them. */
    public static Map<String, String> credentials() {
        return Map.of("AWS_ACCESS_KEY_ID", ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", SECRET_KEY, "AWS_REGION", "us-east-1");
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
        backend.close();
    }

    /** For bench/data: runs a filesystem-backed server until killed; prints its port. */
    public static void main(String[] args) throws Exception {
        S3ProxyServer s = start(Path.of(args[0]), Function.identity());
        for (int i = 1; i < args.length; i++) {
            s.createBucket(args[i]);
        }
        System.out.println(s.port());
        System.out.flush();
        while (System.in.read() >= 0) {
            // run until stdin closes
        }
        s.close();
    }

    /**
     * One server with a bucket {@code lab} for a test class: started before its first test, closed
     * after its last ({@code @RegisterExtension static final S3ProxyServer.Lab s3 = new S3ProxyServer.Lab();}).
     */
    public static final class Lab implements BeforeAllCallback, AfterAllCallback {
        private S3ProxyServer server;

        @Override
        public void beforeAll(ExtensionContext context) throws Exception {
            server = transientStore();
            server.createBucket("lab");
        }

        @Override
        public void afterAll(ExtensionContext context) throws Exception {
            server.close();
        }

        public S3ProxyServer server() {
            return server;
        }

        public String endpoint() {
            return server.endpoint();
        }
    }

    /** Notes each request before s3proxy handles it, while {@link #record()} is on. */
    private final class Recording extends Handler.Wrapper {
        Recording(Handler s3proxy) {
            super(s3proxy);
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            if (recording) {
                var h = request.getHeaders();
                seen.add(new Seen(request.getMethod(), request.getHttpURI().getPath(), request.getHttpURI().getQuery(),
                        h.get("x-amz-content-sha256"), h.get("x-amz-checksum-sha256"), h.get("Range")));
            }
            return super.handle(request, response, callback);
        }
    }

    /**
     * Makes an {@code If-Match} PUT's comparison and write one step for each key. s3proxy compares
     * the ETag itself before it writes, and passes the condition down with the write for a store that
     * can hold it; the nio2 store cannot, so two writers that read the same ETag could both pass the
     * comparison. Here the condition is checked again under the key's lock, and the write happens
     * under it. {@code If-None-Match} is left to the nio2 store, which holds it on its own.
     */
    static final class IfMatchAtomic extends ForwardingBlobStore {
        private final Object[] locks = new Object[64];

        IfMatchAtomic(BlobStore delegate) {
            super(delegate);
            for (int i = 0; i < locks.length; i++) {
                locks[i] = new Object();
            }
        }

        @Override
        public String putBlob(String container, Blob blob, PutOptions options) {
            if (options.ifMatch() == null) {
                return delegate().putBlob(container, blob, options);
            }
            String key = blob.getMetadata().name();
            synchronized (locks[Math.floorMod((container + "/" + key).hashCode(), locks.length)]) {
                BlobMetadata current = delegate().blobMetadata(container, key);
                boolean matches = current != null
                        && (options.ifMatch().equals("*") || unquote(current.eTag()).equals(unquote(options.ifMatch())));
                if (!matches) {
                    throw new HttpResponseException(new HttpResponse(412));
                }
                return delegate().putBlob(container, blob, options);
            }
        }

        private static String unquote(String etag) {
            String e = etag == null ? "" : etag.strip();
            return e.startsWith("\"") && e.endsWith("\"") && e.length() >= 2 ? e.substring(1, e.length() - 1) : e;
        }
    }

    /** Reads the whole stream; for tests comparing content. */
    static byte[] readAll(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }
}
