package dev.kiln.magics.core;

/**
 * What a command gives back: text for a terminal, HTML for a notebook cell, and the provenance
 * that the cell's output metadata ({@code metadata.kiln}) records. The kernel and the CLI render
 * the same result.
 */
public interface Result {

    /** Plain text, as a terminal shows it. */
    String text();

    /** HTML for a notebook cell; {@code null} when the text says it all. */
    default String html() {
        return null;
    }

    /** Where the result came from, recorded in the output's {@code metadata.kiln}; {@link Provenance#NONE} when nothing is. */
    default Provenance provenance() {
        return Provenance.NONE;
    }

    /** A result that is only text. */
    static Result ofText(String text) {
        return () -> text;
    }

    /** A result with text, HTML ({@code null}: none) and provenance. */
    static Result of(String text, String html, Provenance provenance) {
        return new Simple(text, html, provenance);
    }

    /** The plain carrier behind {@link #of}. */
    record Simple(String text, String html, Provenance provenance) implements Result {
    }
}
