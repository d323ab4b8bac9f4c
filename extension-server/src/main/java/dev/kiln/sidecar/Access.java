package dev.kiln.sidecar;

import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpStatus;
import io.javalin.http.UnauthorizedResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Who may talk to the sidecar: whoever shows its token. Programs send
 * {@code Authorization: Bearer <token>}; a browser opens a page once with {@code ?token=}, gets an
 * HttpOnly cookie derived from the token and is redirected to the same page without it. Requests
 * that change something and come with the cookie must also carry the CSRF value the pages put in
 * their forms. The token itself is compared in constant time and never logged.
 */
final class Access {

    static final String VIA = "kiln.access";
    static final String CSRF_FIELD = "_csrf";
    static final String CSRF_HEADER = "X-Kiln-CSRF";
    private static final Pattern PREFIX = Pattern.compile("(/[A-Za-z0-9._~%-]+)*");

    private final byte[] token;
    private final String cookieValue;
    private final String csrf;

    Access(String token) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.cookieValue = hmac("cookie");
        this.csrf = hmac("csrf");
    }

    /** The value browser forms carry in {@value #CSRF_FIELD}. */
    String csrf() {
        return csrf;
    }

    /** Before every request: lets it through, redirects a token login, or refuses it (401/403). */
    void check(Context ctx) {
        // pages load nothing from elsewhere, run only their own time script, and never hand a URL with a token onwards
        ctx.header("Content-Security-Policy", "default-src 'none'; img-src 'self'; style-src 'unsafe-inline';"
                + " script-src " + HtmlPage.SCRIPT_SOURCE + ";"
                + " form-action 'self'; frame-ancestors 'self'; base-uri 'none'");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        String auth = ctx.header("Authorization");
        if (auth != null) {
            if (auth.startsWith("Bearer ") && same(auth.substring(7).strip().getBytes(StandardCharsets.UTF_8), token)) {
                ctx.attribute(VIA, "token");
                return;
            }
            throw new UnauthorizedResponse("Wrong token: send the token from the sidecar's info file as 'Authorization: Bearer …'");
        }
        String given = ctx.queryParam("token");
        if (given != null) {
            if (!same(given.getBytes(StandardCharsets.UTF_8), token)) {
                throw new UnauthorizedResponse("Wrong token in the link: use the token from the sidecar's info file");
            }
            if (ctx.method() != HandlerType.GET) {
                throw new UnauthorizedResponse("A token in the URL only logs a browser in with GET");
            }
            ctx.header("Set-Cookie", cookieName(ctx) + "=" + cookieValue + "; Path=/; HttpOnly; SameSite=Strict");
            ctx.header("Location", withoutToken(ctx));
            ctx.header("Cache-Control", "no-store");
            ctx.status(HttpStatus.SEE_OTHER);
            ctx.skipRemainingHandlers();
            return;
        }
        String cookie = ctx.cookie(cookieName(ctx));
        if (cookie != null && same(cookie.getBytes(StandardCharsets.UTF_8), cookieValue.getBytes(StandardCharsets.UTF_8))) {
            if (ctx.method() != HandlerType.GET && ctx.method() != HandlerType.HEAD) {
                String sent = ctx.header(CSRF_HEADER);
                if (sent == null && isForm(ctx)) {
                    sent = ctx.formParam(CSRF_FIELD);
                }
                if (sent == null || !same(sent.getBytes(StandardCharsets.UTF_8), csrf.getBytes(StandardCharsets.UTF_8))) {
                    throw new ForbiddenResponse("Missing or wrong CSRF value: submit the form from the sidecar's own page");
                }
            }
            ctx.attribute(VIA, "cookie");
            return;
        }
        throw new UnauthorizedResponse("This sidecar needs its token: 'Authorization: Bearer …' for programs,"
                + " or open a page once with ?token=… (the token is in the sidecar's info file, readable only by you)");
    }

    /**
     * The path prefix pages put before their links: what a proxy in front announces in
     * {@code X-Forwarded-Prefix} (Jupyter's {@code /kiln}), trusted only from token holders.
     */
    static String base(Context ctx) {
        String prefix = ctx.header("X-Forwarded-Prefix");
        if (prefix == null || !"token".equals(ctx.attribute(VIA)) || !PREFIX.matcher(prefix).matches()) {
            return "";
        }
        return prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
    }

    /** Cookies ignore ports: two sidecars on one host need two names. The port the request came in on, not its Host header. */
    private static String cookieName(Context ctx) {
        return "kiln_sidecar_" + ctx.req().getLocalPort();
    }

    private static boolean isForm(Context ctx) {
        String type = ctx.contentType();
        return type != null && (type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/form-data"));
    }

    /**
     * The page asked for, without the token, as a path on this server: {@code GET //evil.example/?token=…}
     * must not send the browser to evil.example (browsers read {@code //host} and {@code /\host} as another site).
     */
    private static String withoutToken(Context ctx) {
        StringBuilder q = new StringBuilder();
        for (Map.Entry<String, List<String>> e : ctx.queryParamMap().entrySet()) {
            if (e.getKey().equals("token")) {
                continue;
            }
            for (String v : e.getValue()) {
                q.append(q.isEmpty() ? '?' : '&').append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8))
                        .append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
            }
        }
        String path = ctx.path().replaceFirst("^[/\\\\]+", "").replace("\\", "%5C");
        return "/" + path + q;
    }

    private static boolean same(byte[] a, byte[] b) {
        return MessageDigest.isEqual(a, b);
    }

    private String hmac(String purpose) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(token, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }
}
