package dev.kiln.magics.cli;

import dev.kiln.magics.core.UserError;

import java.util.ArrayList;
import java.util.List;

/** Splits a magic's line into arguments the way a POSIX shell would for quotes and backslashes. */
public final class Args {

    public static List<String> split(String line) {
        List<String> args = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inArg = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"' && i + 1 < line.length()
                        && (line.charAt(i + 1) == '"' || line.charAt(i + 1) == '\\')) {
                    cur.append(line.charAt(++i));
                } else {
                    cur.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                inArg = true;
            } else if (c == '\\' && i + 1 < line.length()) {
                cur.append(line.charAt(++i));
                inArg = true;
            } else if (Character.isWhitespace(c)) {
                if (inArg) {
                    args.add(cur.toString());
                    cur.setLength(0);
                    inArg = false;
                }
            } else {
                cur.append(c);
                inArg = true;
            }
        }
        if (quote != 0) {
            throw new UserError("Unclosed " + quote + " quote in: " + line);
        }
        if (inArg) {
            args.add(cur.toString());
        }
        return args;
    }

    private Args() {
    }
}
