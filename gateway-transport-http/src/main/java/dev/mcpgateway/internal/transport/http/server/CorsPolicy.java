package dev.mcpgateway.internal.transport.http.server;

import dev.mcpgateway.internal.transport.http.McpHeaders;
import java.io.IOException;
import java.util.Locale;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Cross-origin resource sharing for browser clients, when it is on: answers preflight requests and marks actual
 * responses as readable by the calling page. Which origins may call is {@link OriginPolicy}'s decision, made before
 * this runs; CORS only tells the browser so. No {@code Access-Control-Allow-Credentials}: MCP clients authenticate
 * with an {@code Authorization} header, which a page may send without it, and leaving cookies out keeps the
 * endpoint from acting on a browser's ambient credentials. Stateless.
 */
public final class CorsPolicy {
    /** The methods of the MCP endpoint. */
    static final String METHODS = "GET, POST, DELETE, OPTIONS";
    /** The answer headers a page may read: the session's id and version, when to retry, where to get a token. */
    static final String EXPOSED = McpHeaders.SESSION_ID + ", " + McpHeaders.PROTOCOL_VERSION + ", Retry-After, "
            + "WWW-Authenticate";
    /**
     * How long a browser may reuse a preflight's answer, in seconds: 2 hours, Chromium's own cap (Firefox allows
     * a day). The allow-list changes only with a restart, so a long cache costs nothing but saves a round trip on
     * every distinct request shape.
     */
    static final String MAX_AGE = "7200";
    /**
     * The request headers a page may send, lower case; {@code Mcp-Param-*} ones are matched by their prefix. W3C
     * trace context is among them, so a traced browser client's calls join its trace.
     */
    private static final Set<String> ALLOWED_HEADERS = Set.of("content-type", "accept", "authorization",
            "mcp-session-id", "mcp-protocol-version", "last-event-id", "mcp-method", "mcp-name", "traceparent",
            "tracestate");
    /**
     * The prefix of the stateless era's per-parameter headers. CORS has no prefix wildcards ({@code *} would allow
     * every header), so the preflight's requested headers are echoed when they are allowed one by one.
     */
    private static final String PARAM_PREFIX = "mcp-param-";

    private CorsPolicy() {
    }

    /**
     * Whether a request is a CORS preflight: {@code OPTIONS} with an {@code Origin} and the method the page wants
     * to use.
     */
    public static boolean isPreflight(HttpExchangeAdapter exchange) {
        return "OPTIONS".equals(exchange.method()) && exchange.header("Origin") != null
                && exchange.header("Access-Control-Request-Method") != null;
    }

    /**
     * Marks a response to an allowed origin's request as readable by that page; the caller has checked the
     * origin. {@code Vary: Origin} goes on every response, as the answer differs by origin.
     */
    public static void annotate(HttpExchangeAdapter exchange) {
        exchange.setHeader("Vary", "Origin");
        String origin = exchange.header("Origin");
        if (origin != null) {
            // The origin itself, never '*': the answer must differ by origin for the browser to enforce the list.
            exchange.setHeader("Access-Control-Allow-Origin", origin);
            exchange.setHeader("Access-Control-Expose-Headers", EXPOSED);
        }
    }

    /**
     * Answers a preflight from an allowed origin: the endpoint's methods, and those of the requested headers that
     * are allowed (the browser refuses the actual request if one it needs is missing).
     */
    public static void answerPreflight(HttpExchangeAdapter exchange) throws IOException {
        annotate(exchange);
        exchange.setHeader("Access-Control-Allow-Methods", METHODS);
        String allowed = allowedOf(exchange.header("Access-Control-Request-Headers"));
        if (!allowed.isEmpty()) {
            exchange.setHeader("Access-Control-Allow-Headers", allowed);
        }
        exchange.setHeader("Access-Control-Max-Age", MAX_AGE);
        exchange.send(204, new byte[0]);
    }

    /** The requested headers that may be sent, comma-separated as requested, or empty. */
    static String allowedOf(String requested) {
        StringJoiner allowed = new StringJoiner(", ");
        if (requested != null) {
            for (String name : requested.split(",")) {
                String header = name.trim().toLowerCase(Locale.ROOT);
                if (ALLOWED_HEADERS.contains(header)
                        || header.startsWith(PARAM_PREFIX) && header.length() > PARAM_PREFIX.length()) {
                    allowed.add(header);
                }
            }
        }
        return allowed.toString();
    }
}
