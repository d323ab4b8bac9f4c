package dev.kiln.kernel.eval;

/**
 * What a cell's last snippet evaluated to. {@code present} is false for statements and
 * declarations, which show nothing; {@code object} is null when the engine could only report the
 * value as text.
 *
 * @param text JShell's rendering ({@code "str"} quoted, numbers as written)
 */
public record Value(boolean present, Object object, String text) {

    public static final Value NONE = new Value(false, null, "");
}
