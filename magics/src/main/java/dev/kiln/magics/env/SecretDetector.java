package dev.kiln.magics.env;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides what looks like a secret: names (KEY, SECRET, TOKEN, PASSWORD, CREDENTIAL, AWS_…) and
 * values (access key ids, GitHub/Slack/… tokens, URL passwords, long random strings). Errs on the
 * side of redacting: a false alarm only hides a value, a miss leaks one.
 */
public final class SecretDetector {

    public static final String REDACTED = "<redacted>";

    private static final Pattern SECRET_NAME = Pattern.compile(
            "(?i).*(KEY|SECRET|TOKEN|PASSWORD|PASSWD|PASSPHRASE|CREDENTIAL|PRIVATE|COOKIE|SIGNATURE).*"
                    + "|(?i)AWS_.*|(?i).*PASS|(?i)(.*[_.-])?(PASS|PWD|AUTH|SESSION_ID)([_.-].*)?");

    private static final Set<String> NOT_SECRET_NAMES = Set.of("PWD", "OLDPWD");

    private static final Pattern URL_PASSWORD =
            Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://[^/\\s:@]*):([^@\\s]+)@");

    private static final Pattern KEY_VALUE = Pattern.compile(
            "(?i)([A-Za-z0-9_.-]*(?:password|passwd|passphrase|pwd|secret|token|apikey|api_key|api-key"
                    + "|access_key|accesskey|private_key|privatekey|credential|auth|key)[A-Za-z0-9_.-]*)"
                    + "(\\s*[=:]\\s*)([^\\s&;,]+)");

    /** A kind of credential whose form gives it away wherever it appears. */
    public record TokenKind(String name, Pattern pattern) {
    }

    private static final List<TokenKind> KNOWN_TOKENS = List.of(
            new TokenKind("an AWS access key id", Pattern.compile("\\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA|A3T[A-Z0-9])[A-Z0-9]{16}\\b")),
            new TokenKind("a GitHub token", Pattern.compile("\\bgh[pousr]_[A-Za-z0-9]{20,}")),
            new TokenKind("a GitHub token", Pattern.compile("\\bgithub_pat_[A-Za-z0-9_]{20,}")),
            new TokenKind("a GitLab token", Pattern.compile("\\bglpat-[A-Za-z0-9_-]{20,}")),
            new TokenKind("a Slack token", Pattern.compile("\\bxox[abposr]-[A-Za-z0-9-]{10,}")),
            new TokenKind("a Stripe key", Pattern.compile("\\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}")),
            new TokenKind("an API secret key", Pattern.compile("\\bsk-[A-Za-z0-9_-]{20,}")),
            new TokenKind("a Google API key", Pattern.compile("\\bAIza[0-9A-Za-z_-]{35}")),
            new TokenKind("a JSON web token", Pattern.compile("\\beyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]*")),
            new TokenKind("an npm token", Pattern.compile("\\bnpm_[A-Za-z0-9]{30,}")),
            new TokenKind("a private key", Pattern.compile("-----BEGIN [A-Z ]*PRIVATE KEY-----[\\s\\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)")));

    /** Pieces of text a random token cannot span; '/' and '+' stay inside (base64). */
    private static final Pattern TOKEN_SEPARATORS = Pattern.compile("[\\s,;=:@?&.\"'()\\[\\]{}<>]+");

    private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{32,}");

    /** Whether an environment variable or property with this name holds a secret. */
    public static boolean isSecretName(String name) {
        return !NOT_SECRET_NAMES.contains(name) && SECRET_NAME.matcher(name).matches();
    }

    /** Whether the value contains anything that looks like a key, token or password. */
    public static boolean looksSecret(String value) {
        if (value == null || value.length() < 8) {
            return false; // too short to hold a key, a token or a URL with a password
        }
        return !redact(value).equals(value);
    }

    /** The text with every secret-looking part replaced by {@link #REDACTED}. */
    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        if (text.contains("PRIVATE KEY")) {
            return REDACTED;
        }
        String s = URL_PASSWORD.matcher(text).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + ":" + REDACTED + "@"));
        s = KEY_VALUE.matcher(s).replaceAll(m -> m.group(3).equals(REDACTED) ? Matcher.quoteReplacement(m.group())
                : Matcher.quoteReplacement(m.group(1) + m.group(2) + REDACTED));
        for (TokenKind k : KNOWN_TOKENS) {
            s = k.pattern().matcher(s).replaceAll(REDACTED);
        }
        for (String token : TOKEN_SEPARATORS.split(s)) {
            if (!token.equals(REDACTED) && !token.contains(REDACTED) && looksRandom(token)) {
                s = s.replace(token, REDACTED);
            }
        }
        return s;
    }

    /**
     * Values of the environment that are secrets, to be scrubbed wherever else they might turn up
     * (a path, a URL, an option): values of secret-named variables and values that look secret.
     */
    public static Set<String> secretValues(Map<String, String> env) {
        Set<String> values = new LinkedHashSet<>();
        env.forEach((name, value) -> {
            if (value != null && value.length() >= 8 && (strongSecretName(name) || looksSecret(value))) {
                values.add(value);
            }
        });
        return values;
    }

    /**
     * The variables of {@code env} whose names say they hold a secret (keys, tokens, passwords;
     * not {@code AWS_REGION} and the like), by name. Values are not judged here: a hash or an image
     * digest in an ordinary variable is not a secret.
     */
    public static SortedMap<String, String> secretNamedVariables(Map<String, String> env) {
        SortedMap<String, String> found = new TreeMap<>();
        env.forEach((name, value) -> {
            if (value != null && value.length() >= 8 && strongSecretName(name)) {
                found.put(name, value);
            }
        });
        return found;
    }

    /** The kinds of well-known credentials (AWS key ids, GitHub tokens, private keys…) that occur in {@code text}. */
    public static Set<String> knownTokenKinds(String text) {
        Set<String> kinds = new LinkedHashSet<>();
        for (TokenKind k : KNOWN_TOKENS) {
            if (k.pattern().matcher(text).find()) {
                kinds.add(k.name());
            }
        }
        return kinds;
    }

    /** The text with every well-known credential replaced by {@link #REDACTED}. */
    public static String redactKnownTokens(String text) {
        String s = text;
        for (TokenKind k : KNOWN_TOKENS) {
            s = k.pattern().matcher(s).replaceAll(REDACTED);
        }
        return s;
    }

    /** Replaces every occurrence of the known secret values. */
    public static String scrub(String text, Set<String> secrets) {
        if (text == null) {
            return null;
        }
        String s = text;
        for (String secret : secrets) {
            if (s.contains(secret)) {
                s = s.replace(secret, REDACTED);
            }
        }
        return s;
    }

    private static boolean strongSecretName(String name) {
        return isSecretName(name) && !name.toUpperCase(Locale.ROOT).matches(
                "AWS_(REGION|DEFAULT_REGION|PROFILE|DEFAULT_OUTPUT|CONFIG_FILE|SHARED_CREDENTIALS_FILE|ENDPOINT_URL.*|CA_BUNDLE)");
    }

    /** A long run mixing letters and digits with frequent class changes, as random keys do and words don't. */
    static boolean looksRandom(String token) {
        if (token.length() < 20) {
            return false;
        }
        if (HEX.matcher(token).find()) {
            return true;
        }
        boolean letter = false;
        boolean digit = false;
        int pairs = 0;
        int changes = 0;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            letter |= Character.isLetter(c);
            digit |= Character.isDigit(c);
            if (i > 0) {
                int a = charClass(token.charAt(i - 1));
                int b = charClass(c);
                if (a >= 0 && b >= 0) {
                    pairs++;
                    if (a != b) {
                        changes++;
                    }
                }
            }
        }
        return letter && digit && pairs >= 16 && changes >= 0.3 * pairs;
    }

    private static int charClass(char c) {
        if (c >= 'A' && c <= 'Z') {
            return 0;
        }
        if (c >= 'a' && c <= 'z') {
            return 1;
        }
        if (c >= '0' && c <= '9') {
            return 2;
        }
        return -1;
    }

    private SecretDetector() {
    }
}
