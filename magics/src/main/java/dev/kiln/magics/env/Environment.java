package dev.kiln.magics.env;

import dev.kiln.magics.core.CanonicalJson;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a run's environment was: the JVM, the machine, the image, the project's commit, every jar
 * on the class path and the pinned datasets. Plain values, so the kernel, the sidecar and an
 * exported notebook all read the same JSON ({@link CanonicalJson}). Fields that are unknown are
 * {@code null} and left out of the JSON.
 *
 * @param format     version of this layout
 * @param kiln       Kiln's version and the kernel's, when run in the kernel
 * @param jvm        the Java runtime
 * @param os         the machine
 * @param image      the Kiln image, when running in one
 * @param git        the project's commit
 * @param notebook   the notebook's path, when Jupyter tells it ({@link dev.kiln.magics.core.JupyterNotebook})
 * @param variables  allow-listed environment variables; secret-looking ones by name only
 * @param jars       the class path in order, then the jars added at run time
 * @param datasets   dataset versions pinned in {@code kiln.lock}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Environment(int format, Kiln kiln, Jvm jvm, Os os, Image image, Git git, String notebook,
                          Variables variables, List<Jar> jars, Datasets datasets) {

    public static final int FORMAT = 1;

    /** @param kernel the kernel's version, {@code null} outside the kernel */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Kiln(String version, String kernel) {
    }

    /** @param options the JVM's input arguments, secret parts redacted */
    public record Jvm(String vendor, String version, String runtime, String vm, List<String> options) {
    }

    public record Os(String name, String version, String arch, int cpus, long memoryBytes) {
    }

    /** From {@code KILN_IMAGE}, {@code KILN_IMAGE_REVISION}, {@code KILN_IMAGE_DIGEST}, {@code KILN_VERSION}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Image(String name, String revision, String digest, String version) {

        /** How to pull exactly this image: {@code name@digest}, else {@code name:revision}, else the name. */
        public String reference() {
            if (name == null) {
                return digest;
            }
            if (digest != null) {
                return name.replaceFirst(":[^/:]+$", "") + "@" + digest;
            }
            return name;
        }
    }

    /**
     * @param commit the commit checked out; {@code null} outside a repository or before the first commit
     * @param dirty  uncommitted changes; {@code null} when unknown
     * @param note   how it was read when not by the git CLI, or why it is missing
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Git(String commit, Boolean dirty, String note) {
    }

    /**
     * @param values   allow-listed variables whose values are safe to record
     * @param redacted names of variables whose values look secret: recorded by name only
     */
    public record Variables(Map<String, String> values, List<String> redacted) {
    }

    /**
     * One class path entry.
     *
     * @param name        file name (a directory: its path, relative to the project when inside it, ending in /)
     * @param coordinates {@code groupId:artifactId:version} when known
     * @param sha256      of the file's bytes (a directory: of its sorted files and their hashes); null when missing
     * @param size        bytes
     * @param source      {@code classpath} or {@code runtime} (added by %maven / %classpath)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Jar(String name, String coordinates, String sha256, long size, String source) {

        private static final Pattern VERSION_IN_NAME = Pattern.compile("-(\\d[^/]*)\\.jar$");

        /** What identifies "the same library" across two snapshots: groupId:artifactId, else the name without version. */
        public String key() {
            if (coordinates != null) {
                String[] p = coordinates.split(":");
                if (p.length >= 2) {
                    return p[0] + ":" + p[1];
                }
            }
            return name.replaceFirst("-\\d[^/]*\\.jar$", "").replaceFirst("\\.jar$", "");
        }

        /** The version from the coordinates, else from the file name; null when neither says. */
        public String version() {
            if (coordinates != null) {
                String[] p = coordinates.split(":");
                if (p.length >= 3) {
                    return p[p.length - 1];
                }
            }
            Matcher m = VERSION_IN_NAME.matcher(name);
            return m.find() ? m.group(1) : null;
        }
    }

    /**
     * @param lockFile the lock file read, relative to the project
     * @param entries  dataset name to its pinned fields (version, manifest, …)
     * @param error    why the lock file could not be read, when it could not
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Datasets(String lockFile, Map<String, Map<String, Object>> entries, String error) {
    }
}
