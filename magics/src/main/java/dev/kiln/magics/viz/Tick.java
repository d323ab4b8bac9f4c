package dev.kiln.magics.viz;

/**
 * A tick of a chart's axis: where it stands, in the axis's units (epoch milliseconds, UTC, on an
 * axis of dates or times), and what its label says.
 */
public record Tick(double value, String label) {
}
