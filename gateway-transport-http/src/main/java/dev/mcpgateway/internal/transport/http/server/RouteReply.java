package dev.mcpgateway.internal.transport.http.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgateway.jsonrpc.Json;
import java.io.UncheckedIOException;

/**
 * What a {@link FrontDoorRouter} route answers: a status and a JSON body of the given media type. The router writes
 * it (without the body for {@code HEAD}), so routes never touch the exchange's response.
 *
 * @param status      the HTTP status
 * @param contentType the body's media type, e.g. {@code application/json}
 * @param body        the body
 */
record RouteReply(int status, String contentType, JsonNode body) {
    static final String JSON = "application/json";

    /** A JSON answer. */
    static RouteReply json(int status, JsonNode body) {
        return new RouteReply(status, JSON, body);
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
