package dev.kiln.magics.data;

import dev.kiln.magics.core.Sha256;
import java.util.regex.Pattern;

/**
 * Where things live in a remote (and in the cache, which mirrors it). Every key is built of a
 * checked name and SHA-256 ids, never of a value read from elsewhere unchecked.
 */
public final class RemoteLayout {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    /** A dataset or tag name: letters, digits, '.', '_' and '-', not starting with a punctuation mark. */
    public static boolean isName(String s) {
        return s != null && NAME.matcher(s).matches();
    }

    public static String object(String sha256) {
        return "objects/sha256/" + sha256.substring(0, 2) + "/" + id(sha256).substring(2);
    }

    public static String objectsPrefix(String twoHex) {
        return "objects/sha256/" + twoHex + "/";
    }

    /**
     * An object's index ({@link ObjectIndex}: its 8 MiB blocks' hashes, its rows and columns), written
     * by push beside the object; gc keeps it while it keeps the object.
     */
    public static String objectIndex(String sha256) {
        return "indexes/sha256/" + sha256.substring(0, 2) + "/" + id(sha256).substring(2) + ".json";
    }

    /** One verified block of an object, kept in the cache by a read in place (never on a remote). */
    public static String block(String sha256, int index) {
        return "blocks/sha256/" + sha256.substring(0, 2) + "/" + id(sha256).substring(2) + "/" + index;
    }

    public static String manifest(String sha256) {
        return "manifests/sha256/" + id(sha256).substring(0, 2) + "/" + sha256.substring(2);
    }

    public static String version(String dataset, String id) {
        return "versions/" + name(dataset) + "/" + id(id) + ".json";
    }

    public static String versionsPrefix(String dataset) {
        return "versions/" + name(dataset) + "/";
    }

    public static String ref(String dataset, String tag) {
        return "refs/" + name(dataset) + "/" + name(tag);
    }

    public static String refsPrefix(String dataset) {
        return "refs/" + name(dataset) + "/";
    }

    /** The last guard: callers check ids and names where they read them, with a message for the user. */
    private static String id(String sha256) {
        if (!Sha256.isHex(sha256)) {
            throw new IllegalArgumentException("not a SHA-256 id: " + MalformedMetadataException.quoted(sha256));
        }
        return sha256;
    }

    private static String name(String name) {
        if (!isName(name)) {
            throw new IllegalArgumentException("not a dataset or tag name: " + MalformedMetadataException.quoted(name));
        }
        return name;
    }

    private RemoteLayout() {
    }
}
