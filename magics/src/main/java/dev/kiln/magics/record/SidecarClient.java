package dev.kiln.magics.record;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
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
    private HttpClient http;

    public SidecarClient(Supplier<Optional<SidecarEndpoint>> endpoints) {
        this.endpoints = endpoints;
    }

    /**
     * Made on the first send to a sidecar that is there: a CLI command with no sidecar running
     * would otherwise start the JDK's HTTP client (a selector thread, the TLS trust store) for
     * nothing, in the tenth of a second before it exits.
     */
    private synchronized HttpClient http() {
        if (http == null) {
            http = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(2))
                    .version(HttpClient.Version.HTTP_1_1)
                    .build();
        }
        return http;
    }

    /** A client for the sidecar this environment announces (see {@link SidecarEndpoint#find}). */
    public static SidecarClient forEnvironment(Map<String, String> env) {
        Map<String, String> copy = Map.copyOf(env);
        return new SidecarClient(() -> SidecarEndpoint.find(copy));
    }

    /** Posts {@code json} to {@code /api/<kind>} and says how it went; never throws for a network failure. */
    public Delivery send(String kind, byte[] json) {
        Optional<SidecarEndpoint> found = endpoints.get();
        if (found.isEmpty()) {
            return new Delivery(Outcome.ABSENT, "no sidecar announced");
        }
        SidecarEndpoint ep = found.get();
        HttpRequest req = HttpRequest.newBuilder(resolve(ep.url(), "api/" + kind))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + ep.token())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json))
                .build();
        try {
            HttpResponse<String> resp = http().send(req, HttpResponse.BodyHandlers.ofString());
            int s = resp.statusCode();
            if (s >= 200 && s < 300) {
                return new Delivery(Outcome.DELIVERED, "");
            }
            // only a refusal of the record's content is final; anything else (a 404 from a sidecar
            // still starting or from the wrong address, a 5xx, a stale token) fixes itself in time
            if (REFUSES_CONTENT.contains(s)) {
                return new Delivery(Outcome.REJECTED, "HTTP " + s + ": " + resp.body());
            }
            return new Delivery(Outcome.UNAVAILABLE, "HTTP " + s);
        } catch (ConnectException e) {
            return new Delivery(Outcome.ABSENT, e.toString());
        } catch (HttpTimeoutException e) {
            return new Delivery(Outcome.UNAVAILABLE, e.toString());
        } catch (IOException e) {
            return new Delivery(Outcome.UNAVAILABLE, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Delivery(Outcome.UNAVAILABLE, "interrupted");
        }
    }

    private static URI resolve(URI base, String path) {
        String s = base.toString();
        return URI.create(s.endsWith("/") ? s + path : s + "/" + path);
    }
}
