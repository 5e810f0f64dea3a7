package dev.mcpgateway.internal.transport.http.server;

import dev.mcpgateway.jsonrpc.Json;

/**
 * RFC 9457 problem documents ({@code application/problem+json}), the error body of every front-door route but the
 * MCP endpoint (whose errors are JSON-RPC responses, as its clients expect). The type is {@code about:blank}: the
 * status says what went wrong, so the title is the status's own phrase and the detail says what to do about it.
 */
final class Problem {
    static final String MEDIA_TYPE = "application/problem+json";

    private Problem() {
    }

    /** The problem document for a status, with the detail for the client. */
    static RouteReply of(int status, String detail) {
        return new RouteReply(status, MEDIA_TYPE, Json.object()
                .put("type", "about:blank")
                .put("title", title(status))
                .put("status", status)
                .put("detail", detail));
    }

    private static String title(int status) {
        return switch (status) {
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 421 -> "Misdirected Request";
            default -> "Internal Server Error";
        };
    }
}
