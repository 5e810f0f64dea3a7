package dev.mcpgateway.internal.transport.http.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Decides whether a browser {@code Origin} may use the MCP endpoint, against an allow-list of
 * {@code scheme://host}, {@code scheme://host:port}, {@code scheme://host:*} (any port) and {@code *} (anything).
 * Schemes and hosts compare case-insensitively, and a default port (80 for http, 443 for https) equals no port.
 * Immutable and thread-safe.
 */
public final class OriginPolicy {
    private static final int NO_PORT = -1;
    private static final int ANY_PORT = -2;
    /** What {@link #defaultPort} answers for schemes without one: equal to no parsed port. */
    private static final int NO_DEFAULT_PORT = Integer.MIN_VALUE;
    private static final String ANY_PORT_SUFFIX = ":*";

    private final boolean anyOrigin;
    private final List<Origin> allowed;

    private OriginPolicy(boolean anyOrigin, List<Origin> allowed) {
        this.anyOrigin = anyOrigin;
        this.allowed = allowed;
    }

    /** An origin, or an allow-list entry whose port may be {@link #ANY_PORT}. */
    private record Origin(String scheme, String host, int port) {
        boolean matches(Origin origin) {
            return scheme.equals(origin.scheme) && host.equals(origin.host) && (port == ANY_PORT || port == origin.port);
        }
    }

    /**
     * Compiles an allow-list.
     *
     * @throws IllegalArgumentException naming the first entry that is not one of the accepted forms
     */
    public static OriginPolicy of(List<String> entries) {
        boolean any = false;
        List<Origin> allowed = new ArrayList<>(entries.size());
        for (String entry : entries) {
            if (entry == null) {
                throw new IllegalArgumentException("allowedOrigins must not contain null; remove the entry");
            }
            if ("*".equals(entry)) {
                any = true;
                continue;
            }
            Origin origin = parse(entry, true);
            if (origin == null) {
                throw new IllegalArgumentException("allowed origin '" + entry + "' is not of the form scheme://host, "
                        + "scheme://host:port or scheme://host:* (no path, not even a trailing '/'), or '*' for any "
                        + "origin; e.g. https://app.example.com or http://localhost:*");
            }
            allowed.add(origin);
        }
        return new OriginPolicy(any, List.copyOf(allowed));
    }

    /** Whether a request carrying this {@code Origin} header value may proceed. */
    public boolean allows(String originHeader) {
        if (anyOrigin) {
            return true;
        }
        Origin origin = parse(originHeader.trim(), false);
        if (origin == null) {
            return false; // "null" (opaque origins) and anything malformed
        }
        for (Origin rule : allowed) {
            if (rule.matches(origin)) {
                return true;
            }
        }
        return false;
    }

    /** Parses {@code scheme://host[:port]} (and {@code :*} when allowed), or returns null if it is not that. */
    private static Origin parse(String text, boolean allowAnyPort) {
        int separator = text.indexOf("://");
        if (separator < 1) {
            return null;
        }
        String scheme = text.substring(0, separator).toLowerCase(Locale.ROOT);
        if (!isScheme(scheme)) {
            return null;
        }
        String authority = text.substring(separator + 3);
        int port = NO_PORT;
        String host = authority;
        if (allowAnyPort && authority.endsWith(ANY_PORT_SUFFIX)) {
            port = ANY_PORT;
            host = authority.substring(0, authority.length() - ANY_PORT_SUFFIX.length());
        } else {
            int colon = authority.lastIndexOf(':');
            if (colon >= 0 && colon > authority.lastIndexOf(']')) {
                port = parsePort(authority.substring(colon + 1));
                if (port == NO_PORT) {
                    return null;
                }
                host = authority.substring(0, colon);
            }
        }
        if (!isHost(host)) {
            return null;
        }
        if (port == defaultPort(scheme)) {
            port = NO_PORT;
        }
        return new Origin(scheme, host.toLowerCase(Locale.ROOT), port);
    }

    private static boolean isScheme(String scheme) {
        if (!Character.isLetter(scheme.charAt(0))) {
            return false;
        }
        for (int i = 0; i < scheme.length(); i++) {
            char c = scheme.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isHost(String host) {
        if (host.isEmpty()) {
            return false;
        }
        if (host.startsWith("[")) {
            return host.endsWith("]") && host.length() > 2 && host.indexOf(']') == host.length() - 1;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c <= ' ' || c >= 0x7F || "/?#@:[]\\".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }

    private static int parsePort(String digits) {
        if (digits.isEmpty() || digits.length() > 5) {
            return NO_PORT;
        }
        int port = 0;
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                return NO_PORT;
            }
            port = port * 10 + (c - '0');
        }
        return port >= 1 && port <= 65_535 ? port : NO_PORT;
    }

    private static int defaultPort(String scheme) {
        return switch (scheme) {
            case "http" -> 80;
            case "https" -> 443;
            default -> NO_DEFAULT_PORT;
        };
    }
}
