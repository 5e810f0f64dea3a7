package dev.mcpgateway.internal.transport.http.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgateway.jsonrpc.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /api/v1/openapi.json}: the API's OpenAPI 3.1 description, a hand-written resource beside this class
 * (read once; a test holds it to the route table, route by route).
 */
final class OpenApiRoute {
    /** The resource's name, beside this class. */
    static final String RESOURCE = "openapi.json";

    private final JsonNode document;

    OpenApiRoute() {
        this.document = load();
    }

    /** The description, parsed. */
    static JsonNode load() {
        try (InputStream in = OpenApiRoute.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing beside " + OpenApiRoute.class.getName());
            }
            return Json.mapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    RouteReply document() {
        return RouteReply.json(200, document);
    }
}
