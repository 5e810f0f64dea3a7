package dev.mcpgateway.internal.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgateway.auth.ClientAuthentication;
import dev.mcpgateway.auth.TokenEndpointClient;
import dev.mcpgateway.jsonrpc.Json;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

/**
 * An authorization server's token endpoint as the gateway's client there asks it for upstream tokens (RFC 6749
 * section 3.2): POSTs a form with the client authenticated as configured and reads the JSON answer into an
 * {@link IssuedToken}, or fails with an {@link UpstreamTokenException} naming the plugin and the endpoint's error.
 */
final class TokenEndpoint {
    private static final int MAX_ANSWER_BYTES = 64 * 1024;
    private static final int MAX_DESCRIPTION_CHARS = 200;
    /** How long a token whose answer gives no {@code expires_in} is reused: the server did not say, so not long. */
    static final Duration UNSTATED_LIFETIME = Duration.ofSeconds(60);

    private final String plugin;
    private final TokenEndpointClient client;
    private final Clock clock;
    private final HttpClient http;

    TokenEndpoint(String plugin, TokenEndpointClient client, Clock clock, HttpClient http) {
        this.plugin = plugin;
        this.client = client;
        this.clock = clock;
        this.http = http;
    }

    Clock clock() {
        return clock;
    }

    /**
     * Asks for a token with these grant parameters.
     *
     * @param margin how long before its expiry the token stops being handed out
     */
    CompletableFuture<IssuedToken> request(Map<String, String> grant, Duration margin) {
        Map<String, String> form = new LinkedHashMap<>(grant);
        Duration timeout = client.requestTimeout();
        HttpRequest.Builder request = HttpRequest.newBuilder(client.endpoint()).timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json");
        if (client.authentication() == ClientAuthentication.CLIENT_SECRET_BASIC) {
            // RFC 6749 2.3.1: the id and secret are form-encoded before they are joined and Base64-encoded.
            String credentials = encode(client.clientId()) + ":" + encode(client.clientSecret());
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    credentials.getBytes(StandardCharsets.UTF_8)));
        } else {
            form.put("client_id", client.clientId());
            form.put("client_secret", client.clientSecret());
        }
        StringJoiner body = new StringJoiner("&");
        form.forEach((name, value) -> body.add(encode(name) + "=" + encode(value)));
        request.POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        CompletableFuture<HttpResponse<byte[]>> call;
        try {
            call = http.sendAsync(request.build(), info -> new BoundedBody(MAX_ANSWER_BYTES));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(failure("could not send the request (" + e.getMessage() + ")"));
        }
        // The request timeout covers the headers only: this bounds the body too.
        return call.orTimeout(timeout.toMillis() * 2, java.util.concurrent.TimeUnit.MILLISECONDS)
                .handle((response, error) -> {
                    if (error != null) {
                        Throwable cause = error instanceof CompletionException && error.getCause() != null
                                ? error.getCause() : error;
                        throw failure(cause instanceof TimeoutException
                                || cause instanceof java.net.http.HttpTimeoutException
                                ? "no answer within " + timeout.toMillis() + " ms"
                                : "could not reach it (" + Failures.describe(cause) + ")");
                    }
                    return issued(response, margin);
                });
    }

    private IssuedToken issued(HttpResponse<byte[]> response, Duration margin) {
        JsonNode answer = parse(response.body());
        int status = response.statusCode();
        if (status != 200) {
            String error = answer == null ? null : answer.path("error").textValue();
            if (error == null) {
                throw failure("HTTP " + status);
            }
            String description = answer.path("error_description").textValue();
            throw failure("HTTP " + status + " " + printable(error)
                    + (description == null ? "" : " (" + printable(description) + ")"));
        }
        String token = answer == null ? null : answer.path("access_token").textValue();
        if (token == null || token.isBlank()) {
            throw failure("an answer without access_token");
        }
        String type = answer.path("token_type").asText("Bearer");
        // RFC 8693 2.2.1: N_A when the issued token is not an access token, which a plugin still takes as a bearer.
        if (!type.equalsIgnoreCase("Bearer") && !type.equals("N_A")) {
            throw failure("a token of type '" + printable(type) + "', not Bearer");
        }
        JsonNode expiresIn = answer.get("expires_in");
        Duration lifetime = expiresIn != null && expiresIn.canConvertToLong() && expiresIn.asLong() > 0
                ? Duration.ofSeconds(expiresIn.asLong()) : UNSTATED_LIFETIME;
        // A margin as long as the lifetime would make every token useless: keep at least half of it.
        Duration kept = margin.compareTo(lifetime.dividedBy(2)) > 0 ? lifetime.dividedBy(2) : lifetime.minus(margin);
        return new IssuedToken(token, clock.instant().plus(kept));
    }

    private static JsonNode parse(byte[] body) {
        try {
            JsonNode node = Json.mapper().readTree(body);
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    UpstreamTokenException failure(String why) {
        return new UpstreamTokenException(plugin + " could not get an access token from " + client.endpoint() + ": "
                + why);
    }

    /** An endpoint's text as a message may quote it: bounded, without control characters. */
    private static String printable(String text) {
        String clean = text.codePoints().filter(c -> c >= 0x20 && c != 0x7F)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return clean.length() > MAX_DESCRIPTION_CHARS ? clean.substring(0, MAX_DESCRIPTION_CHARS) + "..." : clean;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
