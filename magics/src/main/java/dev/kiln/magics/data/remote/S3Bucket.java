package dev.kiln.magics.data.remote;

import dev.kiln.magics.core.UserError;
import dev.kiln.magics.data.RemoteConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLException;
import org.apache.http.HttpHost;
import org.apache.http.conn.socket.ConnectionSocketFactory;
import org.apache.http.protocol.HttpContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The bucket and key prefix of an S3 remote with the client that reaches it: built from the
 * remote's entry in {@code kiln.yaml} and the session's credentials, and the one place that turns
 * what S3 said into what the user should do.
 */
final class S3Bucket implements AutoCloseable {

    private final RemoteConfig config;
    private final S3Client s3;
    private final String bucket;
    private final String prefix;

    S3Bucket(RemoteConfig config, Map<String, String> env, int jobs) {
        this.config = config;
        this.bucket = config.bucket();
        this.prefix = config.prefix();
        String region = config.region() != null ? config.region()
                : env.getOrDefault("AWS_REGION", env.getOrDefault("AWS_DEFAULT_REGION", "us-east-1"));
        ApacheHttpClient.Builder http = ApacheHttpClient.builder()
                .maxConnections(Math.max(64, jobs * 4))
                .connectionTimeout(Duration.ofSeconds(10))
                .socketTimeout(Duration.ofSeconds(60));
        if (config.endpoint() != null && config.endpoint().startsWith("http://")) {
            // a plain-HTTP endpoint never opens TLS: the client need not set up the JDK's TLS
            // (its trust store, providers and ciphers: a tenth of a second of every command)
            http.socketFactory(new NoTls(config.endpoint()));
        }
        var builder = S3Client.builder()
                .region(Region.of(region))
                .credentialsProvider(credentials(config, env))
                .putAuthScheme(new ChecksummedBodySigner())
                .httpClientBuilder(http)
                // we send x-amz-checksum-sha256 ourselves and verify every download by its hash
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .serviceConfiguration(S3Configuration.builder()
                        .pathStyleAccessEnabled(config.pathStyle() != null ? config.pathStyle() : config.endpoint() != null)
                        .expectContinueThresholdInBytes(1L << 20)
                        // bodies go as they are (their SHA-256 signed), not re-framed as aws-chunked
                        .chunkedEncodingEnabled(false)
                        .build());
        if (config.endpoint() != null) {
            builder.endpointOverride(URI.create(config.endpoint()));
        }
        this.s3 = builder.build();
    }

    /** The standard chain, with the session's environment taking the place of the process's. */
    private static AwsCredentialsProvider credentials(RemoteConfig config, Map<String, String> env) {
        String profile = config.profile() != null ? config.profile() : env.get("AWS_PROFILE");
        String id = env.get("AWS_ACCESS_KEY_ID");
        String secret = env.get("AWS_SECRET_ACCESS_KEY");
        if (config.profile() == null && id != null && secret != null) {
            String token = env.get("AWS_SESSION_TOKEN");
            return StaticCredentialsProvider.create(token == null
                    ? AwsBasicCredentials.create(id, secret)
                    : AwsSessionCredentials.create(id, secret, token));
        }
        if (profile != null) {
            return ProfileCredentialsProvider.builder().profileName(profile).build();
        }
        return DefaultCredentialsProvider.builder().build();
    }

    S3Client client() {
        return s3;
    }

    String bucket() {
        return bucket;
    }

    RemoteConfig config() {
        return config;
    }

    /** The object's key in the bucket: the remote layout's key under the remote's prefix. */
    String key(String k) {
        return prefix.isEmpty() ? k : prefix + "/" + k;
    }

    /** The remote layout's key of an object key of the bucket. */
    String layoutKey(String fullKey) {
        return prefix.isEmpty() ? fullKey : fullKey.substring(prefix.length() + 1);
    }

    /** How error messages name it: {@code remote 'team' (s3://bucket/prefix at http://…)}. */
    String describe() {
        return "remote '" + config.name() + "' (" + config.url()
                + (config.endpoint() != null ? " at " + config.endpoint() : "") + ")";
    }

    /** Turns what S3 said into what the user should do. */
    UserError explain(String what, SdkException e) {
        if (e instanceof S3Exception s) {
            String code = code(s);
            int status = s.statusCode();
            if (status == 403 || "InvalidAccessKeyId".equals(code) || "SignatureDoesNotMatch".equals(code)
                    || "AccessDenied".equals(code)) {
                return new RemoteAccessDenied(config.name(), describe() + ": access denied" + (code != null ? " (" + code + ")" : "")
                        + " while trying to " + what + ". The credentials were rejected or lack permission: check "
                        + "AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, AWS_PROFILE or the remote's --profile.", e);
            }
            if ("NoSuchBucket".equals(code) || (status == 404 && what.contains("bucket"))) {
                return new UserError(describe() + ": the bucket '" + bucket + "' does not exist. Create it, or "
                        + "fix the URL with 'kiln data remote add " + config.name() + " s3://BUCKET/PREFIX --force'.", e);
            }
            if (conflicted(s)) {
                return new UserError(describe() + ": S3 refused to " + what + " (HTTP 409" + (code != null ? ", " + code : "")
                        + "): another client kept writing the same key. Nothing was lost; run the command again.", e);
            }
            return new UserError(describe() + ": S3 refused to " + what + " (HTTP " + status
                    + (code != null ? ", " + code : "") + ").", e);
        }
        if (e instanceof SdkClientException && e.getMessage() != null && e.getMessage().contains("credentials")) {
            return new RemoteAccessDenied(config.name(), describe() + ": no AWS credentials found. Set AWS_ACCESS_KEY_ID and "
                    + "AWS_SECRET_ACCESS_KEY, or AWS_PROFILE, or give the remote a --profile.", e);
        }
        return new UserError(describe() + ": cannot " + what + ": " + e.getMessage()
                + ". Check the endpoint and that the server is running.", e);
    }

    static String code(S3Exception e) {
        return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    }

    /** Whether S3 refused a conditional write because its condition failed (the key exists, or changed). */
    static boolean preconditionFailed(S3Exception e) {
        return e.statusCode() == 412;
    }

    /**
     * Whether S3 refused a conditional write because another write of the key was in flight
     * (409 ConditionalRequestConflict): the condition was not decided, and S3 asks for the write again.
     */
    static boolean conflicted(S3Exception e) {
        return e.statusCode() == 409;
    }

    /** How often a conditional write answered 409 is sent, in all; the pauses between double from 50 ms (1.55 s in all). */
    static final int CONFLICT_ATTEMPTS = 6;

    interface ConditionalWrite<T> {
        T send();
    }

    /**
     * Sends {@code write} again while S3 answers 409, a few times with a growing pause: the write in
     * flight either lands (then the condition fails with 412) or does not (then this one can). The
     * last 409 is thrown.
     */
    <T> T retryingConflicts(ConditionalWrite<T> write) {
        for (int attempt = 1; ; attempt++) {
            try {
                return write.send();
            } catch (S3Exception e) {
                if (!conflicted(e) || attempt == CONFLICT_ATTEMPTS) {
                    throw e;
                }
                try {
                    Thread.sleep(25L << attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    interface Read {
        int read() throws IOException;
    }

    /**
     * Bytes from the server; a connection that breaks off is the network's fault, told apart from
     * the local disk's (whose errors come through as {@link IOException}s, for the caller to name).
     */
    int received(String k, Read read) {
        try {
            return read.read();
        } catch (IOException e) {
            throw new UserError(describe() + ": the download of " + k + " broke off (" + e.getMessage()
                    + "). What arrived was discarded; run the command again.", e);
        }
    }

    @Override
    public void close() {
        s3.close();
    }

    /** Where {@code https} would be: refuses, for a remote whose endpoint is plain HTTP. */
    private record NoTls(String endpoint) implements ConnectionSocketFactory {
        @Override
        public Socket createSocket(HttpContext context) throws IOException {
            throw new SSLException("the remote's endpoint is plain HTTP (" + endpoint + "); TLS is not set up for it");
        }

        @Override
        public Socket connectSocket(int connectTimeout, Socket socket, HttpHost host, InetSocketAddress remote,
                                    InetSocketAddress local, HttpContext context) throws IOException {
            return createSocket(context);
        }
    }
}
