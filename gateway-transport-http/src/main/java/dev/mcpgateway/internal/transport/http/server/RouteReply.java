package dev.mcpgateway.internal.transport.http.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.mcpgateway.jsonrpc.Json;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a {@link FrontDoorRouter} route answers: a status, a JSON body of the given media type (or, for a text type, a
 * text node written as the text itself: the Prometheus scrape), and the headers the
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

    /** A text answer of the given media type, e.g. Prometheus's exposition format. */
    static RouteReply text(int status, String contentType, String text) {
        return new RouteReply(status, contentType, TextNode.valueOf(text));
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
        if (contentType.startsWith("text/") && body.isTextual()) {
            return body.textValue().getBytes(StandardCharsets.UTF_8);
        }
        try {
            return Json.mapper().writeValueAsBytes(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
