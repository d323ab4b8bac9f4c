package dev.kiln.magics.data;

/** Where things live in a remote (and in the cache, which mirrors it). */
public final class RemoteLayout {

    public static String object(String sha256) {
        return "objects/sha256/" + sha256.substring(0, 2) + "/" + sha256.substring(2);
    }

    public static String objectsPrefix(String twoHex) {
        return "objects/sha256/" + twoHex + "/";
    }

    public static String manifest(String sha256) {
        return "manifests/sha256/" + sha256.substring(0, 2) + "/" + sha256.substring(2);
    }

    public static String version(String dataset, String id) {
        return "versions/" + dataset + "/" + id + ".json";
    }

    public static String versionsPrefix(String dataset) {
        return "versions/" + dataset + "/";
    }

    public static String ref(String dataset, String tag) {
        return "refs/" + dataset + "/" + tag;
    }

    public static String refsPrefix(String dataset) {
        return "refs/" + dataset + "/";
    }

    private RemoteLayout() {
    }
}
