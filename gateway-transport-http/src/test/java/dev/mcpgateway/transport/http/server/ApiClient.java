package dev.mcpgateway.transport.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgateway.transport.http.server.McpHttp.Reply;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A client of the management API for the tests, over real HTTP/1.1 on 127.0.0.1: sends a method, a path below the
 * front door's root and a body (as {@code application/json} unless told otherwise), and reads the whole answer.
 */
final class ApiClient implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT).build();
    private final URI root;

    /** A client of the front door whose root is {@code root} (its paths are resolved against it). */
    ApiClient(URI root) {
        this.root = root;
    }

    /** The URI of a path below the root, e.g. {@code api/v1/plugins} (no leading slash, so prefixes are kept). */
    URI uri(String path) {
        return root.resolve(path.startsWith("/") ? path.substring(1) : path);
    }

    Reply get(String path) {
        return send("GET", path, null);
    }

    /** A request with a JSON body (none when null) and extra header pairs, which may replace the Content-Type. */
    Reply send(String method, String path, String body, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path)).timeout(TIMEOUT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        List<String> pairs = new ArrayList<>(List.of(headers));
        boolean typed = false;
        for (int i = 0; i < pairs.size(); i += 2) {
            typed |= pairs.get(i).equalsIgnoreCase("Content-Type");
        }
        if (body != null && !typed) {
            builder.header("Content-Type", "application/json");
        }
        for (int i = 0; i < pairs.size(); i += 2) {
            builder.header(pairs.get(i), pairs.get(i + 1));
        }
        try {
            HttpResponse<String> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Asserts a status and returns the JSON body. */
    static JsonNode expect(int status, Reply reply) {
        assertEquals(status, reply.status(), reply.body());
        return reply.json();
    }

    /**
     * Asserts an RFC 9457 problem of the status and returns it; {@code pointers} are the {@code errors} fields it must
     * name, in order (none: it may name none).
     */
    static JsonNode problem(int status, Reply reply, String... pointers) {
        assertEquals(status, reply.status(), reply.body());
        assertEquals("application/problem+json", reply.header("Content-Type"), reply.body());
        JsonNode problem = reply.json();
        assertEquals("about:blank", problem.path("type").asText());
        assertEquals(status, problem.path("status").asInt());
        assertNotNull(problem.get("title"), reply.body());
        assertNotNull(problem.get("detail"), reply.body());
        if (pointers.length > 0) {
            List<String> named = new ArrayList<>();
            problem.path("errors").forEach(error -> {
                named.add(error.path("field").asText());
                assertNotNull(error.get("message"), reply.body());
            });
            assertEquals(List.of(pointers), named, reply.body());
        }
        return problem;
    }

    @Override
    public void close() {
        client.close();
    }
}
