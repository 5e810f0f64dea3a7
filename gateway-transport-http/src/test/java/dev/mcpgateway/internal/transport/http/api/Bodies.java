package dev.mcpgateway.internal.transport.http.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgateway.jsonrpc.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.function.Executable;

/** Request bodies for the codec tests, and assertions on the errors they are refused with. */
final class Bodies {
    private Bodies() {
    }

    /** Parses JSON text the way the API's body reader does. */
    static JsonNode json(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A test resource under {@code server-json/}. */
    static JsonNode resource(String name) {
        try (InputStream in = Bodies.class.getResourceAsStream("/server-json/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource server-json/" + name);
            }
            return Json.mapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The errors a call is refused with, by field, in order. */
    static Map<String, String> errors(Executable call) {
        InvalidRequestException e = assertThrows(InvalidRequestException.class, call);
        return e.errors().stream().collect(Collectors.toMap(FieldError::field, FieldError::message,
                (a, b) -> a + " | " + b, LinkedHashMap::new));
    }

    /** Asserts a call is refused with exactly these fields, each message containing its expected parts. */
    static void assertErrors(Executable call, Map<String, List<String>> expected) {
        Map<String, String> errors = errors(call);
        assertEquals(expected.keySet(), errors.keySet(), () -> "errors: " + errors);
        expected.forEach((field, parts) -> parts.forEach(part -> assertTrue(errors.get(field).contains(part),
                () -> field + ": '" + errors.get(field) + "' lacks '" + part + "'")));
    }

    /** Asserts a call is refused with exactly one error, at {@code field}, its message containing each part. */
    static void assertError(Executable call, String field, String... parts) {
        assertErrors(call, Map.of(field, List.of(parts)));
    }
}
