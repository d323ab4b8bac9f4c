package dev.kiln.magics.viz;

/**
 * A chart that says in words what it shows (the {@code text/plain} of its output) and how many
 * marks it draws (few marks: an SVG copy is small enough to add to the output).
 */
public interface DescribedChart {

    String description();

    /** Marks drawn; {@link Long#MAX_VALUE} when the chart holds a raster. */
    long marks();
}
