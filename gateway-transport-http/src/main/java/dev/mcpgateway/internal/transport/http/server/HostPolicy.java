package dev.mcpgateway.internal.transport.http.server;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Decides whether a request's {@code Host} names this gateway, against DNS rebinding: a web page whose own name
 * was re-pointed at 127.0.0.1 reaches a local endpoint with the page's name in {@code Host} (and, being same-origin
 * to the browser, possibly without an {@code Origin} to check). The allow-list holds {@code name},
 * {@code name:port}, {@code [ipv6]} or {@code [ipv6]:port} (an entry without a port allows any port), or {@code *}
 * for any host. The address the server binds to, when it is one address rather than every interface, is always
 * allowed: clients that reach it by that address send it as their {@code Host}. Names compare case-insensitively,
 * a trailing dot ignored. A request without {@code Host} passes (HTTP/1.0 clients; browsers always send one).
 * Thread-safe. The last {@code Host} value allowed is remembered, since clients send the same one on every request
 * and parsing it was 2 % of what a call through the front door allocated.
 */
public final class HostPolicy {
    private static final int ANY_PORT = -1;
    /** Not a port: what a malformed {@code Host} port parses to. */
    private static final int BAD_PORT = -2;

    private final boolean anyHost;
    private final List<Host> allowed;
    /** The {@code Host} value last allowed: the rules never change, so it stays allowed. */
    private volatile String lastAllowed;

    private HostPolicy(boolean anyHost, List<Host> allowed) {
        this.anyHost = anyHost;
        this.allowed = allowed;
    }

    /** A host name or bracketed IPv6 literal (lower case, no trailing dot), and a port or {@link #ANY_PORT}. */
    private record Host(String name, int port) {
        boolean matches(Host host) {
            return name.equals(host.name) && (port == ANY_PORT || port == host.port);
        }
    }

    /**
     * Compiles an allow-list, adding the address the server binds to unless it is a wildcard (0.0.0.0, ::).
     *
     * @param boundHost the server's bind address or name, as configured
     * @throws IllegalArgumentException naming the first entry that is not one of the accepted forms
     */
    public static HostPolicy of(List<String> entries, String boundHost) {
        boolean any = false;
        List<Host> allowed = new ArrayList<>(entries.size() + 1);
        for (String entry : entries) {
            if (entry == null) {
                throw new IllegalArgumentException("allowedHosts must not contain null; remove the entry");
            }
            if ("*".equals(entry)) {
                any = true;
                continue;
            }
            Host host = parse(entry.trim());
            if (host == null) {
                throw new IllegalArgumentException("allowedHosts entry '" + entry + "' is not of the form name, "
                        + "name:port, [ipv6] or [ipv6]:port (an IPv6 address in brackets, no scheme or path), or '*' "
                        + "for any host; e.g. mcp.example.com or 10.0.0.5:9105");
            }
            allowed.add(host);
        }
        Host bound = boundAddress(boundHost);
        if (bound != null) {
            allowed.add(bound);
        }
        return new HostPolicy(any, List.copyOf(allowed));
    }

    /** Whether a request with this {@code Host} header value (null: none) may proceed. */
    public boolean allows(String hostHeader) {
        if (anyHost || hostHeader == null || hostHeader.equals(lastAllowed)) {
            return true;
        }
        Host host = parse(hostHeader.trim());
        if (host == null) {
            return false;
        }
        for (Host rule : allowed) {
            if (rule.matches(host)) {
                lastAllowed = hostHeader;
                return true;
            }
        }
        return false;
    }

    /** The bind address as an allow-list entry for any port, or null for a wildcard address or a blank one. */
    private static Host boundAddress(String boundHost) {
        if (boundHost == null || boundHost.isBlank()) {
            return null;
        }
        String text = boundHost.trim();
        try {
            // A literal is parsed without a lookup; a name is kept as the name, which is what clients send.
            if (isIpLiteral(text) && InetAddress.getByName(text).isAnyLocalAddress()) {
                return null;
            }
        } catch (UnknownHostException e) {
            return null; // not a literal after all: binding will say what is wrong with it
        }
        boolean bareIpv6 = text.indexOf(':') >= 0 && !text.startsWith("[");
        return parse(bareIpv6 ? "[" + text + "]" : text);
    }

    private static boolean isIpLiteral(String text) {
        return text.indexOf(':') >= 0 || text.startsWith("[") || text.chars().allMatch(c -> c == '.' || c >= '0'
                && c <= '9');
    }

    /** Parses {@code name[:port]} or {@code [ipv6][:port]}, or returns null if it is not that. */
    private static Host parse(String text) {
        String name = text;
        int port = ANY_PORT;
        int colon = text.lastIndexOf(':');
        if (colon >= 0 && colon > text.lastIndexOf(']')) {
            port = parsePort(text.substring(colon + 1));
            if (port == BAD_PORT) {
                return null;
            }
            name = text.substring(0, colon);
        }
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        return isName(name) ? new Host(name.toLowerCase(Locale.ROOT), port) : null;
    }

    private static boolean isName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        if (name.startsWith("[")) {
            if (!name.endsWith("]") || name.length() < 4 || name.indexOf(']') != name.length() - 1) {
                return false;
            }
            return name.substring(1, name.length() - 1).chars().allMatch(c -> c == ':' || c == '.'
                    || Character.digit(c, 16) >= 0);
        }
        return name.chars().allMatch(c -> c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || c == '-' || c == '.' || c == '_');
    }

    private static int parsePort(String digits) {
        if (digits.isEmpty() || digits.length() > 5 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return BAD_PORT;
        }
        int port = Integer.parseInt(digits);
        return port >= 1 && port <= 65_535 ? port : BAD_PORT;
    }
}
