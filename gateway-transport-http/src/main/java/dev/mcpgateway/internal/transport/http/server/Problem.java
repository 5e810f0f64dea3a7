package dev.mcpgateway.internal.transport.http.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.internal.transport.http.api.FieldError;
import dev.mcpgateway.jsonrpc.Json;
import java.util.List;
import java.util.Locale;

/**
 * RFC 9457 problem documents ({@code application/problem+json}), the error body of every front-door route but the
 * MCP endpoint (whose errors are JSON-RPC responses, as its clients expect). The type is {@code about:blank}: the
 * status says what went wrong, so the title is the status's own phrase and the detail says what to do about it. A
 * request refused for its content names every bad part in {@code errors}: a body field by its JSON Pointer
 * ({@code ""} for the whole body), a query parameter as {@code ?name}.
 */
final class Problem {
    static final String MEDIA_TYPE = "application/problem+json";

    private Problem() {
    }

    /** The problem document for a status, with the detail for the client. */
    static RouteReply of(int status, String detail) {
        return new RouteReply(status, MEDIA_TYPE, document(status, detail));
    }

    /** A {@code 400} naming one bad part of the request: a JSON Pointer, or {@code ?name} for a query parameter. */
    static ProblemException invalid(String detail, String field, String message) {
        return invalid(List.of(new FieldError(field, message)), detail);
    }

    /** A {@code 400} naming every bad part of the request, as the codecs report them. */
    static ProblemException invalid(List<FieldError> errors, String detail) {
        ObjectNode body = document(400, detail);
        ArrayNode list = body.putArray("errors");
        for (FieldError error : errors) {
            list.addObject().put("field", error.field()).put("message", error.message());
        }
        return new ProblemException(new RouteReply(400, MEDIA_TYPE, body));
    }

    /** A {@code 400} for one bad query parameter. */
    static ProblemException badQuery(String name, String message) {
        return invalid("Query parameter '" + name + "' " + message, "?" + name, message);
    }

    /** The JSON type of a value as error messages name it: object, array, string, number, boolean or null. */
    static String typeOf(JsonNode value) {
        return value.isMissingNode() ? "nothing" : value.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    private static ObjectNode document(int status, String detail) {
        return Json.object()
                .put("type", "about:blank")
                .put("title", title(status))
                .put("status", status)
                .put("detail", detail);
    }

    private static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 413 -> "Content Too Large";
            case 415 -> "Unsupported Media Type";
            case 421 -> "Misdirected Request";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "Internal Server Error";
        };
    }
}
