package dev.mcpgateway.internal.transport.http.api;

import java.util.Objects;

/**
 * One bad member of a request body, as the API reports it in a problem document's {@code errors}.
 *
 * @param field   the JSON Pointer of the member, such as {@code /transport/url} or {@code /tools/2/name}; empty for
 *                the whole body, and {@code ?name} for a query parameter
 * @param message what is wrong with it and how to fix it
 */
public record FieldError(String field, String message) {
    public FieldError {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(message, "message");
    }
}
