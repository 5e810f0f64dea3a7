package dev.mcpgateway.transport.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgateway.internal.transport.http.SseReader;
import dev.mcpgateway.jsonrpc.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A minimal MCP client over real HTTP (java.net.http, HTTP/1.1) for the front door's tests: sends exactly the
 * bytes and headers a test names, and reads answers as JSON or as an event stream.
 */
final class McpHttp implements AutoCloseable {
    static final String ACCEPT_BOTH = "application/json, text/event-stream";
    static final String MODERN = "2026-07-28";
    /** The {@code _meta} every stateless-era request carries. */
    static final String MODERN_META = """
            "_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28",
            "io.modelcontextprotocol/clientCapabilities":{},
            "io.modelcontextprotocol/clientInfo":{"name":"front-door-test","version":"1.0"}}""";

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT).build();
    private final URI endpoint;
    private final AtomicLong ids = new AtomicLong();

    /**
     * An answer read to its end.
     *
     * @param body the body as text, empty when there was none
     */
    record Reply(int status, java.net.http.HttpHeaders headers, String body) {
        /** The first value of a response header, or null. */
        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        /**
         * The body as JSON; for an event stream (a call that outlasted a short keep-alive interval) the data of its
         * last event, the response that ended it.
         */
        JsonNode json() {
            try {
                if ("text/event-stream".equals(header("Content-Type"))) {
                    SseReader reader = new SseReader(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)),
                            null, 1 << 20);
                    SseReader.Event last = null;
                    for (SseReader.Event event = reader.next(); event != null; event = reader.next()) {
                        last = event;
                    }
                    assertNotNull(last, "an event stream without events");
                    return Json.mapper().readTree(last.data());
                }
                return Json.mapper().readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (status " + status + "): " + body, e);
            }
        }

        /** The JSON-RPC error code of the body. */
        int errorCode() {
            JsonNode code = json().path("error").get("code");
            assertNotNull(code, "expected a JSON-RPC error body, got: " + body);
            return code.asInt();
        }

        /** The JSON-RPC result of the body. */
        JsonNode result() {
            JsonNode result = json().get("result");
            assertNotNull(result, "expected a JSON-RPC result, got (status " + status + "): " + body);
            return result;
        }
    }

    McpHttp(URI endpoint) {
        this.endpoint = endpoint;
    }

    URI endpoint() {
        return endpoint;
    }

    /** A fresh request id. */
    long nextId() {
        return ids.incrementAndGet();
    }

    /** A JSON-RPC request with a fresh id. */
    String request(String method, String params) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + nextId() + ",\"method\":\"" + method + "\""
                + (params == null ? "" : ",\"params\":" + params) + "}";
    }

    static String notification(String method) {
        return "{\"jsonrpc\":\"2.0\",\"method\":\"" + method + "\"}";
    }

    /**
     * A POST with {@code Content-Type: application/json} and the two-type {@code Accept} unless {@code headers}
     * (name, value pairs) say otherwise; a null value removes a default.
     */
    HttpRequest post(String body, String... headers) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("Content-Type", "application/json");
        all.put("Accept", ACCEPT_BOTH);
        for (int i = 0; i < headers.length; i += 2) {
            all.put(headers[i], headers[i + 1]);
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(endpoint).timeout(TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        all.forEach((name, value) -> {
            if (value != null) {
                builder.header(name, value);
            }
        });
        return builder.build();
    }

    /** A request of any method with the given header pairs. */
    HttpRequest plain(String method, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(endpoint).timeout(TIMEOUT)
                .method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        return builder.build();
    }

    /** Sends and reads the whole answer. */
    Reply send(HttpRequest request) {
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /**
     * Sends a request over a plain socket, for headers the JDK client will not send as given ({@code Host}), and
     * reads the answer to the end of the connection. Header pairs as in {@link #post}; the body is sent as
     * {@code application/json} when not null.
     */
    Reply raw(String method, String body, String... headers) {
        StringBuilder head = new StringBuilder(method + " " + endpoint.getRawPath() + " HTTP/1.1\r\n");
        for (int i = 0; i < headers.length; i += 2) {
            head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        }
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (body != null) {
            head.append("Content-Type: application/json\r\nAccept: ").append(ACCEPT_BOTH).append("\r\n");
        }
        head.append("Content-Length: ").append(content.length).append("\r\nConnection: close\r\n\r\n");
        try (Socket socket = new Socket(endpoint.getHost(), endpoint.getPort())) {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(content);
            out.flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int end = answer.indexOf("\r\n\r\n");
            assertTrue(end > 0, "no complete head: " + answer);
            String[] lines = answer.substring(0, end).split("\r\n");
            Map<String, List<String>> fields = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                fields.computeIfAbsent(lines[i].substring(0, colon).trim(), name -> new ArrayList<>())
                        .add(lines[i].substring(colon + 1).trim());
            }
            return new Reply(Integer.parseInt(lines[0].split(" ")[1]), java.net.http.HttpHeaders.of(fields,
                    (name, value) -> true), answer.substring(end + 4));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends and returns as soon as the status and headers are in; the body is read as it comes. */
    HttpResponse<InputStream> open(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Sends and reads the answer as an event stream, as it comes. */
    Events events(HttpRequest request) {
        return new Events(open(request));
    }

    /** An answer that is an event stream; closing it drops the connection if the stream is not over. */
    static final class Events implements AutoCloseable {
        private final HttpResponse<InputStream> response;
        private final SseReader reader;

        Events(HttpResponse<InputStream> response) {
            this.response = response;
            assertEquals(200, response.statusCode());
            assertEquals("text/event-stream", response.headers().firstValue("Content-Type").orElse(null));
            this.reader = new SseReader(response.body(), null, 1 << 20);
        }

        /** The first value of a response header, or null. */
        String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }

        /** The next event, or null when the stream ended. */
        SseReader.Event next() throws IOException {
            return reader.next();
        }

        @Override
        public void close() throws IOException {
            response.body().close();
        }
    }

    static JsonNode data(SseReader.Event event) {
        try {
            return Json.mapper().readTree(event.data());
        } catch (IOException e) {
            throw new AssertionError("event data is not JSON: " + event.data(), e);
        }
    }

    /**
     * Runs the legacy handshake for the version and returns the session id: {@code initialize}, then
     * {@code notifications/initialized}.
     */
    String initialize(String version) {
        Reply reply = send(post(request("initialize", "{\"protocolVersion\":\"" + version + "\",\"capabilities\":{},"
                + "\"clientInfo\":{\"name\":\"front-door-test\",\"version\":\"1.0\"}}")));
        assertEquals(200, reply.status(), reply.body());
        assertEquals(version, reply.result().path("protocolVersion").asText());
        String session = reply.header("Mcp-Session-Id");
        assertNotNull(session, "initialize must hand out a session id");
        Reply initialized = send(post(notification("notifications/initialized"), "Mcp-Session-Id", session,
                "MCP-Protocol-Version", version));
        assertEquals(202, initialized.status(), initialized.body());
        return session;
    }

    /** A request in a session, with the version header. */
    Reply call(String session, String version, String method, String params) {
        return send(post(request(method, params), "Mcp-Session-Id", session, "MCP-Protocol-Version", version));
    }

    /** A stateless-era request: {@code _meta} in the params, the version and method headers set. */
    HttpRequest stateless(String method, String otherParams, String... headers) {
        String params = "{" + MODERN_META + (otherParams == null ? "" : "," + otherParams) + "}";
        String[] all = new String[headers.length + 4];
        all[0] = "MCP-Protocol-Version";
        all[1] = MODERN;
        all[2] = "Mcp-Method";
        all[3] = method;
        System.arraycopy(headers, 0, all, 4, headers.length);
        return post(request(method, params), all);
    }

    @Override
    public void close() {
        client.close();
    }
}
