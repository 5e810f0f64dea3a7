package dev.mcpgateway.internal.transport.http.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgateway.jsonrpc.Json;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a {@link FrontDoorRouter} route answers: a status, a JSON body of the given media type, and the headers the
 * status calls for ({@code Location}, {@code Allow}, {@code Retry-After}). The router writes it (without the body for
 * {@code HEAD}), so routes never touch the exchange's response.
 *
 * @param status      the HTTP status
 * @param contentType the body's media type, e.g. {@code application/json}
 * @param body        the body
 * @param headers     more response headers, by name
 */
record RouteReply(int status, String contentType, JsonNode body, Map<String, String> headers) {
    static final String JSON = "application/json";

    RouteReply {
        headers = Map.copyOf(headers);
    }

    /** An answer without extra headers. */
    RouteReply(int status, String contentType, JsonNode body) {
        this(status, contentType, body, Map.of());
    }

    /** A JSON answer. */
    static RouteReply json(int status, JsonNode body) {
        return new RouteReply(status, JSON, body);
    }

    /** This answer with another status. */
    RouteReply withStatus(int newStatus) {
        return new RouteReply(newStatus, contentType, body, headers);
    }

    /** This answer with one more header. */
    RouteReply withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new RouteReply(status, contentType, body, more);
    }

    /** The body as bytes. */
    byte[] bytes() {
        try {
            return Json.mapper().writeValueAsBytes(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
