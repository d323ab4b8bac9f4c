package dev.kiln.magics.data;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.Properties;
import java.util.function.Function;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.shaded.org.eclipse.jetty.server.Request;
import org.gaul.shaded.org.eclipse.jetty.server.Server;
import org.gaul.shaded.org.eclipse.jetty.server.handler.HandlerWrapper;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.domain.BlobMetadata;

/**
 * s3proxy in this JVM on a random loopback port, with SigV4 authentication, a transient (memory) or
 * filesystem backend, and the conditional writes AWS S3 and MinIO have ({@code If-None-Match: *}
 * and {@code If-Match} on PUT and on completing a multipart upload), which s3proxy 2.6 ignores on
 * writes: without them a test could not tell a lost update from a correct one.
 */
public final class S3ProxyServer implements AutoCloseable {

    public static final String ACCESS_KEY = "kiln-test-access";
    public static final String SECRET_KEY = "kiln-test-secret-0123456789";

    private final BlobStoreContext context;
    private final BlobStore store;
    private final S3Proxy proxy;
    private final Queue<Seen> seen = new ConcurrentLinkedQueue<>();
    private volatile boolean recording;

    /** A request as the server received it: what a test checks of the client's signing and checksums. */
    public record Seen(String method, String path, String query, String contentSha256, String checksumSha256, String range) {
    }

    private S3ProxyServer(BlobStoreContext context, BlobStore served) throws Exception {
        this.context = context;
        this.store = served;
        this.proxy = S3Proxy.builder()
                .blobStore(served)
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .ignoreUnknownHeaders(true)
                .build();
        Field f = S3Proxy.class.getDeclaredField("server");
        f.setAccessible(true);
        ((Server) f.get(proxy)).insertHandler(new ConditionalWrites(served, this));
        proxy.start();
        while (!"STARTED".equals(proxy.getState())) {
            Thread.onSpinWait();
        }
    }

    /** A server keeping objects in memory. */
    public static S3ProxyServer transientStore() throws Exception {
        return start(null, Function.identity());
    }

    /** A server keeping objects under {@code dir} (null: in memory), serving them through {@code wrap}. */
    public static S3ProxyServer start(Path dir, Function<BlobStore, BlobStore> wrap) throws Exception {
        Properties p = new Properties();
        ContextBuilder b;
        if (dir == null) {
            b = ContextBuilder.newBuilder("transient");
        } else {
            p.setProperty("jclouds.filesystem.basedir", dir.toString());
            b = ContextBuilder.newBuilder("filesystem");
        }
        BlobStoreContext ctx = b.credentials("identity", "credential").overrides(p).build(BlobStoreContext.class);
        return new S3ProxyServer(ctx, wrap.apply(ctx.getBlobStore()));
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
        store.createContainerInLocation(null, bucket);
    }

    /** The backend, to damage objects behind the server's back. */
    public BlobStore store() {
        return context.getBlobStore();
    }

    /** Credentials and region as a session's environment carries them. */
    public static Map<String, String> credentials() {
        return Map.of("AWS_ACCESS_KEY_ID", ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", SECRET_KEY, "AWS_REGION", "us-east-1");
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
        context.close();
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

    /** If-None-Match / If-Match on writes, checked and applied under a per-key lock. */
    private static final class ConditionalWrites extends HandlerWrapper {
        private final BlobStore store;
        private final S3ProxyServer server;
        private final Object[] locks = new Object[64];

        ConditionalWrites(BlobStore store, S3ProxyServer server) {
            this.store = store;
            this.server = server;
            for (int i = 0; i < locks.length; i++) {
                locks[i] = new Object();
            }
        }

        @Override
        public void handle(String target, Request base, HttpServletRequest req, HttpServletResponse resp)
                throws IOException, jakarta.servlet.ServletException {
            if (server.recording) {
                server.seen.add(new Seen(req.getMethod(), req.getRequestURI(), req.getQueryString(),
                        req.getHeader("x-amz-content-sha256"), req.getHeader("x-amz-checksum-sha256"), req.getHeader("Range")));
            }
            String ifNoneMatch = req.getHeader("If-None-Match");
            String ifMatch = req.getHeader("If-Match");
            String q = req.getQueryString() == null ? "" : req.getQueryString();
            boolean write = ("PUT".equals(req.getMethod()) && !q.contains("partNumber=") && !q.contains("uploadId="))
                    || ("POST".equals(req.getMethod()) && q.contains("uploadId="));
            if (!write || (ifNoneMatch == null && ifMatch == null)) {
                super.handle(target, base, req, resp);
                return;
            }
            String path = URLDecoder.decode(req.getRequestURI(), StandardCharsets.UTF_8).substring(1);
            int slash = path.indexOf('/');
            String bucket = path.substring(0, slash);
            String key = path.substring(slash + 1);
            synchronized (locks[Math.floorMod(key.hashCode(), locks.length)]) {
                BlobMetadata md = store.blobMetadata(bucket, key);
                boolean fail = ifNoneMatch != null && ifNoneMatch.strip().equals("*") && md != null;
                if (ifMatch != null && (md == null || !unquote(md.getETag()).equals(unquote(ifMatch)))) {
                    fail = true;
                }
                if (fail) {
                    resp.setStatus(412);
                    resp.setContentType("application/xml");
                    resp.getOutputStream().write(("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>PreconditionFailed"
                            + "</Code><Message>At least one of the pre-conditions you specified did not hold</Message>"
                            + "</Error>").getBytes(StandardCharsets.UTF_8));
                    base.setHandled(true);
                    return;
                }
                super.handle(target, base, req, resp);
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
