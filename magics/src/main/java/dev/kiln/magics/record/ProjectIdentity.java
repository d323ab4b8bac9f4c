package dev.kiln.magics.record;

import dev.kiln.magics.data.ProjectConfig;
import dev.kiln.magics.data.RemoteConfig;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The project a record belongs to, so that the sidecar keeps projects apart: the URL of its default
 * data remote (clones of one project share it, and so their history), or, where it has none, its
 * folder's canonical absolute path. Two projects with a dataset of the same name are then two
 * histories.
 */
public final class ProjectIdentity {

    /**
     * {@code s3://bucket/prefix} (with {@code ?endpoint=…} for an S3-compatible server), a directory
     * remote's {@code file:} URL, or the project folder; never throws (a broken {@code kiln.yaml}
     * names no remote).
     */
    public static String of(Path projectDir) {
        Path dir = canonical(projectDir);
        RemoteConfig remote = null;
        try {
            ProjectConfig config = ProjectConfig.read(dir);
            String name = config.defaultRemote();
            remote = name == null ? null : config.remotes().get(name);
        } catch (RuntimeException e) {
            // a kiln.yaml that cannot be read says nothing of a remote: the folder names the project
        }
        if (remote == null || remote.url() == null || remote.url().isBlank()) {
            return dir.toString();
        }
        if (remote.isS3()) {
            String url = "s3://" + remote.bucket() + (remote.prefix().isEmpty() ? "" : "/" + remote.prefix());
            return remote.endpoint() == null ? url : url + "?endpoint=" + remote.endpoint();
        }
        String url = canonical(remote.directory(dir)).toUri().toString();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url; // the same before the folder exists and after
    }

    /** The real path where it exists (links resolved), else the absolute normalized one. */
    private static Path canonical(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        try {
            return abs.toRealPath();
        } catch (IOException | SecurityException e) {
            return abs;
        }
    }

    private ProjectIdentity() {
    }
}
