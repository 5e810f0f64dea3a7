package dev.mcpgateway.internal.transport.http.server;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.audit.AuthFailure;
import dev.mcpgateway.auth.Authenticated;
import dev.mcpgateway.auth.Principal;
import dev.mcpgateway.internal.gateway.GatewayInternals;
import dev.mcpgateway.internal.transport.http.BodyBuffers;
import dev.mcpgateway.jsonrpc.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One request to a {@link RouteTable} route as its handler sees it: the segments its path template captured, its
 * query parameters (only those the route takes; any other, or one given twice, is refused so a typo is never
 * ignored) and its body as JSON ({@code application/json} only, within the API's size limit and the front door's
 * budget of bodies in flight, malformed JSON refused with the parser's position). Every refusal is a
 * {@link ProblemException}. One request's thread only.
 */
final class ApiRequest {
    private final HttpExchangeAdapter exchange;
    private final Map<String, String> params;
    private final Map<String, String> query;
    private final RequestBodies bodies;
    private final BodyBudget.Lease lease;
    private final ApiAccess.Grant grant;
    /** Who authenticated for the request, or null. */
    private final Principal principal;

    /**
     * @param params the segments the route's template captured
     * @param taken  the query parameters the route takes; null when it ignores its query
     * @param bodies reads bodies within the API's limits
     * @param lease  the request's share of the budget of bodies in flight, held until it is answered
     * @param grant     what the caller may do ({@link ApiAccess.Grant#OPEN} without authentication)
     * @param principal who authenticated for the request, or null when nobody did
     */
    ApiRequest(HttpExchangeAdapter exchange, Map<String, String> params, Set<String> taken, RequestBodies bodies,
               BodyBudget.Lease lease, ApiAccess.Grant grant, Principal principal) {
        this.grant = grant;
        this.principal = principal;
        this.exchange = exchange;
        this.params = Map.copyOf(params);
        this.query = taken == null ? Map.of() : parseQuery(exchange.query(), taken);
        this.bodies = bodies;
        this.lease = lease;
    }

    /** A segment the path template captured, e.g. {@code id} of {@code /api/v1/plugins/{id}}. */
    String param(String name) {
        String value = params.get(name);
        if (value == null) {
            throw new IllegalStateException("the route's template captures no '" + name + "'");
        }
        return value;
    }

    /** A query parameter's value, or null when it was not given. */
    String query(String name) {
        return query.get(name);
    }

    /**
     * A query parameter as a whole number within bounds, or {@code fallback} when it was not given.
     *
     * @throws ProblemException {@code 400} naming the parameter when it is not such a number
     */
    long queryLong(String name, long min, long max, long fallback) {
        String value = query.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            long number = Long.parseLong(value.strip());
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw Problem.badQuery(name, "must be a whole number between " + min + " and " + max + ", got '" + value
                + "'");
    }

    /** What the caller may do, for the routes that check plugin names. */
    ApiAccess.Grant grant() {
        return grant;
    }

    /**
     * The caller as a tool call's requester: its principal (which per-client rate limits count and the access policy
     * judges) and its bearer token (which a plugin's token exchange trades, never forwards); null when nobody
     * authenticated.
     */
    Authenticated caller() {
        return principal == null ? null : Authenticated.of(principal, BearerAuth.token(exchange));
    }

    /**
     * Audits the refusal of this request for what its token may not do with a plugin or an instance (an
     * {@link AuthFailure.Surface#REGISTRATION} failure); {@code reason} in a few fixed words.
     */
    void auditForbidden(McpGateway gateway, String reason) {
        GatewayInternals.auditAuthFailure(gateway, new AuthFailure(AuthFailure.Surface.REGISTRATION, reason,
                exchange.clientAddress(),
                principal == null ? null : principal.subject()));
    }

    /** A request header, or null. */
    String header(String name) {
        return exchange.header(name);
    }

    /**
     * The body as JSON.
     *
     * @throws ProblemException {@code 415} unless it is {@code application/json}, {@code 413} over the limit,
     *                          {@code 503} when the budget of bodies in flight is spent, {@code 400} when it is empty
     *                          or not JSON
     * @throws UncheckedIOException when it could not be read (the client left, or was too slow): nothing can be
     *                          answered, or the server answers itself
     */
    JsonNode json() {
        String contentType = RequestChecks.mediaType(exchange.header("Content-Type"));
        if (!RequestChecks.JSON.equalsIgnoreCase(contentType)) {
            throw ProblemException.of(415, "The body must be JSON sent as Content-Type: application/json, not "
                    + (contentType == null ? "without a Content-Type" : "'" + contentType + "'"));
        }
        BodyBuffers.Body bytes;
        try {
            bytes = bodies.read(exchange, lease);
        } catch (Rejection rejection) {
            throw ProblemException.of(rejection.status, rejection.response.error().message());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return parse(bytes);
        } finally {
            bytes.release(); // nothing parsed refers to it
        }
    }

    private static JsonNode parse(BodyBuffers.Body bytes) {
        if (bytes.length() == 0) {
            throw ProblemException.of(400, "This request needs a JSON body; it had none");
        }
        try (JsonParser parser = Json.mapper().createParser(bytes.array(), 0, bytes.length())) {
            JsonNode body = Json.mapper().readTree(parser);
            if (parser.nextToken() != null) {
                JsonLocation at = parser.currentTokenLocation();
                throw ProblemException.of(400, "Malformed JSON at line " + at.getLineNr() + ", column "
                        + at.getColumnNr() + ": more content after the JSON value; send exactly one value");
            }
            return body;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw ProblemException.of(400, "Malformed JSON" + (at == null ? "" : " at line " + at.getLineNr()
                    + ", column " + at.getColumnNr()) + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The body as a JSON object (see {@link #json()}); any other JSON value is refused with {@code 400}. */
    JsonNode jsonObject() {
        JsonNode body = json();
        if (!body.isObject()) {
            throw Problem.invalid("The body must be a JSON object", "", "must be an object, got "
                    + Problem.typeOf(body));
        }
        return body;
    }

    private static Map<String, String> parseQuery(String raw, Set<String> taken) {
        Map<String, String> values = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return values;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            if (!taken.contains(name)) {
                throw Problem.badQuery(name, taken.isEmpty() ? "is not a parameter of this route, which takes none"
                        : "is not a parameter of this route; it takes " + String.join(", ", taken.stream().sorted()
                        .toList()));
            }
            if (values.putIfAbsent(name, value) != null) {
                throw Problem.badQuery(name, "is given twice; give it once");
            }
        }
        return values;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw Problem.badQuery(text, "is not a well-formed percent-encoded query parameter");
        }
    }
}
