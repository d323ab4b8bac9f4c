package dev.kiln.magics.share;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The variables a cell of Java declares at its top level ({@code int n = 10;},
 * {@code final String city = "Oslo", country = "NO";}), as a parameters cell holds its defaults.
 * A reader of declarations, not a Java parser: comments, strings, magic lines and anything that is
 * not a declaration (a method, an assignment, a call) are passed over.
 */
final class JavaDeclarations {

    /**
     * One declared variable.
     *
     * @param type        the type as written, {@code var} included
     * @param initializer the default's expression as written, or null when it has none
     */
    record Declaration(String type, String name, String initializer) {
    }

    private static final Set<String> MODIFIERS = Set.of("final", "static", "public", "private", "protected", "transient", "volatile");
    /** Words that begin a statement where a type would: no variable is declared there. */
    private static final Set<String> NOT_TYPES = Set.of("import", "return", "package", "new", "throw", "yield", "if", "else", "for",
            "while", "do", "switch", "case", "default", "try", "catch", "finally", "class", "interface", "enum", "record", "break",
            "continue", "assert", "synchronized", "this", "super", "void", "abstract", "extends", "implements", "instanceof");
    private static final Set<String> KEYWORDS = Set.of("abstract", "assert", "boolean", "break", "byte", "case", "catch", "char",
            "class", "const", "continue", "default", "do", "double", "else", "enum", "extends", "final", "finally", "float", "for",
            "goto", "if", "implements", "import", "instanceof", "int", "interface", "long", "native", "new", "package", "private",
            "protected", "public", "return", "short", "static", "strictfp", "super", "switch", "synchronized", "this", "throw",
            "throws", "transient", "try", "void", "volatile", "while", "true", "false", "null", "var", "_");

    /** The variables {@code source} declares, by name, in the order declared (a later one of the same name wins). */
    static Map<String, Declaration> of(String source) {
        Map<String, Declaration> found = new LinkedHashMap<>();
        for (String statement : statements(source)) {
            for (Declaration d : declarations(statement)) {
                found.remove(d.name());
                found.put(d.name(), d);
            }
        }
        return found;
    }

    /** Whether {@code name} can name a Java variable. */
    static boolean isIdentifier(String name) {
        if (name.isEmpty() || KEYWORDS.contains(name) || !Character.isJavaIdentifierStart(name.codePointAt(0))) {
            return false;
        }
        return name.codePoints().allMatch(Character::isJavaIdentifierPart);
    }

    /** The top-level statements of {@code source}, comments blanked, magic lines left out. */
    private static List<String> statements(String source) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int depth = 0;
        int i = 0;
        int n = source.length();
        boolean lineStart = true;
        while (i < n) {
            char c = source.charAt(i);
            if (lineStart && depth == 0 && current.toString().isBlank() && c == '%') {
                i = lineEnd(source, i); // a magic line (%maven …) is no Java
                continue;
            }
            lineStart = c == '\n' || (lineStart && Character.isWhitespace(c));
            if (c == '/' && i + 1 < n && source.charAt(i + 1) == '/') {
                i = lineEnd(source, i);
                current.append(' ');
            } else if (c == '/' && i + 1 < n && source.charAt(i + 1) == '*') {
                int end = source.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
                current.append(' ');
            } else if (c == '"' || c == '\'') {
                int end = quotedEnd(source, i);
                current.append(source, i, end);
                i = end;
            } else {
                current.append(c);
                i++;
                if (c == '(' || c == '{' || c == '[') {
                    depth++;
                } else if (c == ')' || c == '}' || c == ']') {
                    depth = Math.max(0, depth - 1);
                    if (c == '}' && depth == 0) { // a method or class ends at its brace
                        out.add(current.toString());
                        current.setLength(0);
                    }
                } else if (c == ';' && depth == 0) {
                    current.setLength(current.length() - 1);
                    out.add(current.toString());
                    current.setLength(0);
                }
            }
        }
        if (!current.toString().isBlank()) {
            out.add(current.toString()); // JShell takes a last statement without its semicolon
        }
        return out;
    }

    private static int lineEnd(String s, int from) {
        int end = s.indexOf('\n', from);
        return end < 0 ? s.length() : end;
    }

    /** The index after the string, text block or char literal opening at {@code start}. */
    private static int quotedEnd(String s, int start) {
        char q = s.charAt(start);
        if (q == '"' && s.startsWith("\"\"\"", start)) {
            int i = start + 3;
            while (i < s.length()) {
                if (s.charAt(i) == '\\') {
                    i += 2;
                } else if (s.startsWith("\"\"\"", i)) {
                    return i + 3;
                } else {
                    i++;
                }
            }
            return s.length();
        }
        int i = start + 1;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (c == q || c == '\n') {
                return i + 1;
            } else {
                i++;
            }
        }
        return s.length();
    }

    /** The variables one statement declares; none when it is no declaration. */
    private static List<Declaration> declarations(String statement) {
        Cursor c = new Cursor(statement.strip());
        while (c.peekAnnotation()) {
            c.skipAnnotation();
        }
        String word = c.identifier();
        while (word != null && MODIFIERS.contains(word)) {
            word = c.identifier();
        }
        if (word == null || NOT_TYPES.contains(word)) {
            return List.of();
        }
        StringBuilder type = new StringBuilder(word);
        while (c.skip('.')) {
            String part = c.identifier();
            if (part == null) {
                return List.of();
            }
            type.append('.').append(part);
        }
        if (c.peek('<')) {
            String args = c.balanced('<', '>');
            if (args == null) {
                return List.of();
            }
            type.append(args);
        }
        while (c.skip('[')) {
            if (!c.skip(']')) {
                return List.of();
            }
            type.append("[]");
        }
        List<Declaration> out = new ArrayList<>();
        for (String declarator : topLevelSplit(c.rest(), ',')) {
            Cursor d = new Cursor(declarator.strip());
            String name = d.identifier();
            if (name == null || !isIdentifier(name)) {
                return List.of();
            }
            String rest = d.rest().strip();
            if (rest.isEmpty()) {
                out.add(new Declaration(type.toString(), name, null));
            } else if (rest.startsWith("=") && !rest.startsWith("==")) {
                out.add(new Declaration(type.toString(), name, rest.substring(1).strip()));
            } else {
                return List.of(); // a call, a method, an assignment: no declaration
            }
        }
        return out;
    }

    /** {@code s} split at {@code sep} outside brackets and quotes. */
    private static List<String> topLevelSplit(String s, char sep) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int from = 0;
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '"' || c == '\'') {
                i = quotedEnd(s, i);
                continue;
            }
            if (c == '(' || c == '{' || c == '[') {
                depth++;
            } else if (c == ')' || c == '}' || c == ']') {
                depth--;
            } else if (c == sep && depth == 0) {
                parts.add(s.substring(from, i));
                from = i + 1;
            }
            i++;
        }
        parts.add(s.substring(from));
        return parts;
    }

    /** Reads words and brackets from the start of a statement, past white space. */
    private static final class Cursor {
        private final String s;
        private int i;

        Cursor(String s) {
            this.s = s;
        }

        private void space() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        String identifier() {
            space();
            if (i >= s.length() || !Character.isJavaIdentifierStart(s.charAt(i))) {
                return null;
            }
            int start = i;
            while (i < s.length() && Character.isJavaIdentifierPart(s.charAt(i))) {
                i++;
            }
            return s.substring(start, i);
        }

        boolean peek(char c) {
            space();
            return i < s.length() && s.charAt(i) == c;
        }

        boolean skip(char c) {
            if (peek(c)) {
                i++;
                return true;
            }
            return false;
        }

        boolean peekAnnotation() {
            return peek('@');
        }

        void skipAnnotation() {
            i++;
            identifier();
            while (skip('.')) {
                identifier();
            }
            if (peek('(')) {
                balanced('(', ')');
            }
        }

        /** The bracketed text from here to its matching close, white space removed; null when it never closes. */
        String balanced(char open, char close) {
            StringBuilder sb = new StringBuilder();
            int depth = 0;
            while (i < s.length()) {
                char c = s.charAt(i++);
                if (!Character.isWhitespace(c)) {
                    sb.append(c);
                }
                if (c == open) {
                    depth++;
                } else if (c == close && --depth == 0) {
                    return sb.toString();
                }
            }
            return null;
        }

        String rest() {
            return s.substring(i);
        }
    }

    private JavaDeclarations() {
    }
}
