package dev.kiln.magics.core;

/**
 * Where a version came from: another dataset's version and how it was derived
 * (e.g. {@code parquet convert}).
 */
public record Lineage(String dataset, String version, String via) {
}
