package dev.kiln.magics.data;

import dev.kiln.magics.core.UserError;
import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A remote as {@code kiln.yaml} records it.
 *
 * @param url      {@code s3://bucket/prefix}, or a directory ({@code /mnt/shared/data}, {@code file:///…})
 * @param endpoint S3 endpoint override (S3-compatible servers), or {@code null} for AWS
 * @param region   S3 region, or {@code null} for the environment's ({@code AWS_REGION}) or us-east-1
 * @param profile  AWS profile for credentials, or {@code null} for the standard chain
 * @param pathStyle path-style addressing (bucket in the path, as S3-compatible servers want)
 */
public record RemoteConfig(String name, String url, String endpoint, String region, String profile,
                           Boolean pathStyle) {

    public boolean isS3() {
        return url.startsWith("s3://");
    }

    public String bucket() {
        String rest = url.substring("s3://".length());
        int slash = rest.indexOf('/');
        return slash < 0 ? rest : rest.substring(0, slash);
    }

    /** The key prefix inside the bucket, without leading or trailing '/'. */
    public String prefix() {
        String rest = url.substring("s3://".length());
        int slash = rest.indexOf('/');
        String p = slash < 0 ? "" : rest.substring(slash + 1);
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    /** The directory of a directory remote, relative paths taken from the project directory. */
    public Path directory(Path projectDir) {
        if (url.startsWith("file:")) {
            return Path.of(URI.create(url));
        }
        return projectDir.resolve(url).normalize();
    }

    /** The same remote, however written: the same bucket and prefix or directory, and the same connection settings. */
    public boolean sameAs(RemoteConfig o, Path projectDir) {
        boolean sameLocation = isS3()
                ? o.isS3() && bucket().equals(o.bucket()) && prefix().equals(o.prefix())
                : !o.isS3() && directory(projectDir).equals(o.directory(projectDir));
        return name.equals(o.name) && sameLocation && Objects.equals(endpoint, o.endpoint)
                && Objects.equals(region, o.region) && Objects.equals(profile, o.profile) && Objects.equals(pathStyle, o.pathStyle);
    }

    public void validate() {
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new UserError("Remote name '" + name + "' is not valid: use letters, digits, '.', '_' and '-'.");
        }
        if (isS3()) {
            if (bucket().isEmpty()) {
                throw new UserError("Remote URL '" + url + "' names no bucket: write it as s3://BUCKET/PREFIX.");
            }
        } else if (url.contains("://") && !url.startsWith("file:")) {
            throw new UserError("Remote URL '" + url + "' is not supported: use s3://BUCKET/PREFIX or a directory path.");
        }
        if (endpoint != null) {
            try {
                URI u = URI.create(endpoint);
                if (u.getScheme() == null || u.getHost() == null) {
                    throw new IllegalArgumentException();
                }
            } catch (IllegalArgumentException e) {
                throw new UserError("Endpoint '" + endpoint + "' is not a URL: write it as http://HOST:PORT.");
            }
        }
    }
}
