package dev.kiln.magics.record;

import dev.kiln.magics.core.AtomicFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;

/**
 * Where the sidecar listens and the token it wants. The sidecar writes it to an info file only its
 * user can read ({@code $XDG_RUNTIME_DIR/kiln/sidecar.json}, else
 * {@code ~/.local/share/kiln/sidecar.json}); the kernel reads it from there, or from
 * {@code KILN_SIDECAR_URL} + {@code KILN_SIDECAR_TOKEN}. {@code KILN_SIDECAR_FILE} names another file.
 * Both places are the user's own: one sidecar's history per user, shared by all their Jupyter
 * servers, never by two users.
 */
public record SidecarEndpoint(URI url, String token) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The info file the sidecar writes and the kernel reads, for this environment. */
    public static Path infoFile(Map<String, String> env) {
        String explicit = env.get("KILN_SIDECAR_FILE");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String runtime = env.get("XDG_RUNTIME_DIR");
        // only a runtime folder of this user's alone, as the XDG spec has it (not /tmp, not one inherited through su)
        if (runtime != null && !runtime.isBlank() && Path.of(runtime).isAbsolute() && isPrivate(Path.of(runtime))) {
            return Path.of(runtime, "kiln", "sidecar.json");
        }
        return dataDir(env).resolve("sidecar.json");
    }

    /**
     * Kiln's folder in the user's own data directory: {@code $XDG_DATA_HOME/kiln}, else
     * {@code ~/.local/share/kiln}; under the home of the account running this process when those
     * name another user's folder (a {@code sudo} that kept {@code HOME}).
     */
    public static Path dataDir(Map<String, String> env) {
        String data = env.get("XDG_DATA_HOME");
        String home = env.get("HOME");
        Path base = data != null && !data.isBlank() && Path.of(data).isAbsolute() ? Path.of(data)
                : Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"), ".local", "share");
        Path dir = base.resolve("kiln");
        return ownedByThisUser(nearestExisting(dir)) ? dir : Path.of(System.getProperty("user.home"), ".local", "share", "kiln");
    }

    /** Owned by the user running this process, who alone may read, write or enter it (0700). */
    static boolean isPrivate(Path dir) {
        try {
            return Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) && ownedByThisUser(dir)
                    && Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS).stream()
                    .allMatch(p -> p.name().startsWith("OWNER_"));
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** Whether the user running this process owns {@code p}. */
    public static boolean ownedByThisUser(Path p) {
        try {
            return Files.getOwner(p, LinkOption.NOFOLLOW_LINKS).getName().equals(System.getProperty("user.name"));
        } catch (UnsupportedOperationException e) {
            return true; // no owners on this file system: nothing to tell users apart by
        } catch (IOException e) {
            return false;
        }
    }

    private static Path nearestExisting(Path p) {
        Path q = p.toAbsolutePath();
        while (q.getParent() != null && !Files.exists(q, LinkOption.NOFOLLOW_LINKS)) {
            q = q.getParent();
        }
        return q;
    }

    /** The sidecar of this environment, if one announced itself; never throws for a missing or torn file. */
    public static Optional<SidecarEndpoint> find(Map<String, String> env) {
        String url = env.get("KILN_SIDECAR_URL");
        String token = env.get("KILN_SIDECAR_TOKEN");
        if (url != null && !url.isBlank() && token != null && !token.isBlank()) {
            return Optional.of(new SidecarEndpoint(URI.create(url), token));
        }
        return read(infoFile(env));
    }

    /** The endpoint in an info file; empty when the file is missing or not an endpoint. */
    public static Optional<SidecarEndpoint> read(Path file) {
        try {
            JsonNode n = JSON.readTree(Files.readAllBytes(file));
            if (n.path("url").isTextual() && n.path("token").isTextual()) {
                return Optional.of(new SidecarEndpoint(URI.create(n.get("url").asText()), n.get("token").asText()));
            }
            return Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * Writes this endpoint to {@code file} readable by its owner only (0600, in a 0700 folder it
     * creates), atomically: a reader sees the old file or the new one, never half of one.
     */
    public void write(Path file, long pid) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            ObjectNode n = JSON.createObjectNode();
            n.put("url", url.toString());
            n.put("token", token);
            n.put("pid", pid);
            byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(n);
            // the token is a secret: readable by the user alone
            AtomicFiles.write(file, PosixFilePermissions.fromString("rw-------"), out -> out.write(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the sidecar's info file " + file, e);
        }
    }

    /** Never shows the token: endpoints end up in logs and error messages. */
    @Override
    public String toString() {
        return "SidecarEndpoint[" + url + "]";
    }
}
