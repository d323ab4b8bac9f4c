package dev.kiln.magics.data;

/** One file of a dataset: its path relative to the dataset's directory ('/'-separated), hash and size. */
public record ManifestEntry(String path, String sha256, long size) implements Comparable<ManifestEntry> {

    @Override
    public int compareTo(ManifestEntry o) {
        return path.compareTo(o.path);
    }
}
