package dev.kiln.magics.record;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Sends one record to the sidecar's REST API ({@code POST /api/<kind>}) with its token. It finds
 * the sidecar again for every send, so a sidecar that restarted on another port or with another
 * token is found without restarting the kernel.
 */
public final class SidecarClient {

    /** How a send went. */
    public enum Outcome {
        /** The sidecar has the record (new, or the same record again). */
        DELIVERED,
        /** The sidecar refused the record for what it holds (400, 409, 413, 422): sending it again cannot help. */
        REJECTED,
        /** A sidecar is there but could not take the record now (starting, restarting, overloaded, stale token): try again later. */
        UNAVAILABLE,
        /** No sidecar announced, or none listens where one was: the record waits for the next delivery. */
        ABSENT
    }

    /** An outcome and, for a rejection, the sidecar's reason. */
    public record Delivery(Outcome outcome, String detail) {
    }

    /** Bad record (400), a different record under its id (409), too large (413), unprocessable (422). */
    private static final Set<Integer> REFUSES_CONTENT = Set.of(400, 409, 413, 422);

    private final Supplier<Optional<SidecarEndpoint>> endpoints;

    public SidecarClient(Supplier<Optional<SidecarEndpoint>> endpoints) {
        this.endpoints = endpoints;
    }

    /** A client for the sidecar this environment announces (see {@link SidecarEndpoint#find}). */
    public static SidecarClient forEnvironment(Map<String, String> env) {
        Map<String, String> copy = Map.copyOf(env);
        return new SidecarClient(() -> SidecarEndpoint.find(copy));
    }

    /**
     * Posts {@code json} to {@code /api/<kind>} and says how it went; never throws for a network failure.
     * With {@link HttpURLConnection}, not the JDK's HttpClient, whose selector thread and trust store a
     * CLI command sending its records before it exits would pay for on every start.
     */
    public Delivery send(String kind, byte[] json) {
        Optional<SidecarEndpoint> found = endpoints.get();
        if (found.isEmpty()) {
            return new Delivery(Outcome.ABSENT, "no sidecar announced");
        }
        SidecarEndpoint ep = found.get();
        HttpURLConnection c = null;
        try {
            // never through a proxy: the token is for the sidecar alone
            c = (HttpURLConnection) resolve(ep.url(), "api/" + kind).toURL().openConnection(Proxy.NO_PROXY);
            c.setConnectTimeout(2_000);
            c.setReadTimeout(10_000);
            c.setInstanceFollowRedirects(false);
            c.setRequestMethod("POST");
            c.setRequestProperty("Authorization", "Bearer " + ep.token());
            c.setRequestProperty("Content-Type", "application/json");
            c.setDoOutput(true);
            c.setFixedLengthStreamingMode(json.length);
            try (OutputStream out = c.getOutputStream()) {
                out.write(json);
            }
            int s = c.getResponseCode();
            String body = body(c, s);
            if (s >= 200 && s < 300) {
                return new Delivery(Outcome.DELIVERED, "");
            }
            // only a refusal of the record's content is final; anything else (a 404 from a sidecar
            // still starting or from the wrong address, a 5xx, a stale token) fixes itself in time
            if (REFUSES_CONTENT.contains(s)) {
                return new Delivery(Outcome.REJECTED, "HTTP " + s + ": " + body);
            }
            return new Delivery(Outcome.UNAVAILABLE, "HTTP " + s);
        } catch (ConnectException e) {
            return new Delivery(Outcome.ABSENT, e.toString());
        } catch (IOException | IllegalArgumentException e) {
            if (c != null) {
                c.disconnect();
            }
            return new Delivery(Outcome.UNAVAILABLE, e.toString());
        }
    }

    /** The answer's body, read whole so the connection can serve the next record. */
    private static String body(HttpURLConnection c, int status) throws IOException {
        InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
        if (in == null) {
            return "";
        }
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static URI resolve(URI base, String path) {
        String s = base.toString();
        return URI.create(s.endsWith("/") ? s + path : s + "/" + path);
    }
}
