package dev.mcpgateway.internal.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.auth.Principal;
import dev.mcpgateway.jsonrpc.Json;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a legacy client session is, apart from what a process holds for it: the data a
 * {@link dev.mcpgateway.server.SessionStore} shares between gateways, as JSON of format {@value #FORMAT}. A gateway
 * refuses a format it does not know (a newer gateway's) rather than misread it; the session is then served only where
 * it began.
 *
 * @param id              the session id
 * @param protocolVersion the version {@code initialize} agreed on
 * @param capabilities    what the client declared (never modified once recorded)
 * @param principal       who began the session, or null when its front door does not authenticate
 * @param virtualServer   the virtual server it was opened on, or null for the whole server
 * @param logLevel        its {@code logging/setLevel}, or null
 * @param subscriptions   the resource URIs it subscribed to
 */
record SessionRecord(String id, String protocolVersion, ObjectNode capabilities, Principal principal,
                     String virtualServer, String logLevel, Set<String> subscriptions) {
    static final int FORMAT = 1;
    private static final TypeReference<Map<String, Object>> CLAIMS = new TypeReference<>() {
    };

    SessionRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(protocolVersion, "protocolVersion");
        Objects.requireNonNull(capabilities, "capabilities");
        subscriptions = Set.copyOf(subscriptions);
    }

    String toJson() {
        ObjectNode json = Json.object();
        json.put("format", FORMAT);
        json.put("id", id);
        json.put("protocolVersion", protocolVersion);
        json.set("capabilities", capabilities);
        if (principal != null) {
            json.set("principal", principalJson(principal));
        }
        json.put("virtualServer", virtualServer);
        json.put("logLevel", logLevel);
        ArrayNode uris = json.putArray("subscriptions");
        subscriptions.forEach(uris::add);
        return json.toString();
    }

    /**
     * Reads a record written by {@link #toJson()}.
     *
     * @throws IllegalArgumentException when the text is not a record of a known format
     */
    static SessionRecord parse(String text) {
        JsonNode json;
        try {
            json = Json.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
        int format = json.path("format").asInt(-1);
        if (format != FORMAT) {
            throw new IllegalArgumentException("format " + json.path("format") + ", this gateway reads " + FORMAT);
        }
        if (!(json.get("capabilities") instanceof ObjectNode capabilities) || !json.path("id").isTextual()
                || !json.path("protocolVersion").isTextual()) {
            throw new IllegalArgumentException("id, protocolVersion or capabilities is missing");
        }
        Set<String> subscriptions = new LinkedHashSet<>();
        json.path("subscriptions").forEach(uri -> subscriptions.add(uri.asText()));
        JsonNode principal = json.get("principal");
        return new SessionRecord(json.get("id").textValue(), json.get("protocolVersion").textValue(), capabilities,
                principal == null || principal.isNull() ? null : principal(principal),
                json.path("virtualServer").textValue(), json.path("logLevel").textValue(), subscriptions);
    }

    private static ObjectNode principalJson(Principal principal) {
        ObjectNode json = Json.object();
        json.put("subject", principal.subject());
        json.put("issuer", principal.issuer());
        json.put("clientId", principal.clientId());
        principal.scopes().forEach(json.putArray("scopes")::add);
        principal.audiences().forEach(json.putArray("audiences")::add);
        json.put("expiresAt", principal.expiresAt() == null ? null : principal.expiresAt().toString());
        json.set("claims", Json.mapper().valueToTree(principal.claims()));
        return json;
    }

    private static Principal principal(JsonNode json) {
        Set<String> scopes = new LinkedHashSet<>();
        json.path("scopes").forEach(scope -> scopes.add(scope.asText()));
        Set<String> audiences = new LinkedHashSet<>();
        json.path("audiences").forEach(audience -> audiences.add(audience.asText()));
        String expiresAt = json.path("expiresAt").textValue();
        return new Principal(json.path("subject").asText(), json.path("issuer").asText(),
                json.path("clientId").textValue(), scopes, audiences,
                expiresAt == null ? null : Instant.parse(expiresAt),
                Json.mapper().convertValue(json.path("claims"), CLAIMS));
    }
}
