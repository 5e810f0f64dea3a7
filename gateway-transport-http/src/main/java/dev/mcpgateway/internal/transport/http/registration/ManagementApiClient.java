package dev.mcpgateway.internal.transport.http.registration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.mcpgateway.jsonrpc.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import dev.mcpgateway.transport.http.RegistrationRejectedException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The three management API calls a plugin instance makes about itself: register ({@code POST /api/v1/plugins}),
 * renew its lease ({@code POST /api/v1/plugins/{id}/heartbeat}) and deregister ({@code DELETE /api/v1/plugins/{id}}).
 * Answers come back whatever their status; only a failure to get one throws.
 */
public final class ManagementApiClient {
    private final HttpClient http;
    private final URI plugins;
    private final Map<String, String> headers;
    private final Duration timeout;

    /**
     * @param http    the client to send with
     * @param base    the URI the API is served under, e.g. {@code http://127.0.0.1:9105}
     * @param headers extra headers for every request (credentials: they are never logged)
     * @param timeout how long one request may take, answer included
     */
    public ManagementApiClient(HttpClient http, URI base, Map<String, String> headers, Duration timeout) {
        this.http = http;
        String root = base.toString().endsWith("/") ? base.toString() : base + "/";
        this.plugins = URI.create(root).resolve("api/v1/plugins");
        this.headers = Map.copyOf(new LinkedHashMap<>(headers));
        this.timeout = timeout;
    }

    /** Where registrations are posted, for messages. */
    public URI pluginsUri() {
        return plugins;
    }

    /** Posts a manifest (or a {@code server.json}), with query parameters such as {@code instanceId}. */
    public Reply register(JsonNode body, Map<String, String> query) throws IOException, InterruptedException {
        StringJoiner params = new StringJoiner("&", "?", "").setEmptyValue("");
        query.forEach((name, value) -> params.add(encode(name) + "=" + encode(value)));
        byte[] json = Json.mapper().writeValueAsBytes(body);
        return send(request(URI.create(plugins + params.toString()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json)));
    }

    /** Renews the instance's lease. */
    public Reply heartbeat(String instanceId) throws IOException, InterruptedException {
        return send(request(instance(instanceId, "/heartbeat")).POST(HttpRequest.BodyPublishers.noBody()));
    }

    /** Deregisters the instance. */
    public Reply deregister(String instanceId) throws IOException, InterruptedException {
        return send(request(instance(instanceId, "")).DELETE());
    }

    private URI instance(String instanceId, String suffix) {
        // The id is one path segment: URLEncoder's '+' for a space means '+' in a path, so spell it %20.
        return URI.create(plugins + "/" + encode(instanceId).replace("+", "%20") + suffix);
    }

    private HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Accept", "application/json, application/problem+json");
        headers.forEach(request::header);
        return request;
    }

    private Reply send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Reply(response.statusCode(), parse(response.body()));
    }

    private static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            return MissingNode.getInstance();
        }
        try {
            return Json.mapper().readTree(body);
        } catch (IOException e) {
            // Not JSON (a proxy's HTML error page, say): the status alone decides.
            return MissingNode.getInstance();
        }
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    /** An I/O failure for a log line: the JDK client's connect failures often carry no message of their own. */
    public static String describe(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName()
                : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /**
     * An answer from the API.
     *
     * @param status the HTTP status
     * @param body   the JSON body, or a missing node when there was none or it was not JSON
     */
    public record Reply(int status, JsonNode body) {
        /** Whether the status is 2xx. */
        public boolean isSuccess() {
            return status >= 200 && status < 300;
        }

        /** The problem's {@code errors}: every bad field of a rejected manifest. */
        public List<RegistrationRejectedException.FieldError> fieldErrors() {
            List<RegistrationRejectedException.FieldError> errors = new ArrayList<>();
            for (JsonNode error : body.path("errors")) {
                errors.add(new RegistrationRejectedException.FieldError(error.path("field").asText(""),
                        error.path("message").asText("")));
            }
            return errors;
        }

        /** The problem's {@code detail}, else its {@code title}, else the bare status, for messages. */
        public String problemDetail() {
            String detail = body.path("detail").asText("");
            if (!detail.isBlank()) {
                return detail;
            }
            String title = body.path("title").asText("");
            return title.isBlank() ? "HTTP " + status : title;
        }
    }
}
