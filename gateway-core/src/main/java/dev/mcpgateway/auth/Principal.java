package dev.mcpgateway.auth;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Who a validated bearer token speaks for: what travels with an MCP session and each of its calls, so that later
 * steps can authorize (a tool needing a scope) and audit (who called what) without looking at the token again.
 * Made by a {@link TokenValidator} only once the token's signature (or the introspection endpoint), issuer, audience
 * and lifetime have been checked.
 *
 * @param subject   the {@code sub} claim: the user, or the client itself for a client-credentials token
 * @param issuer    the {@code iss} claim, the authorization server that issued the token
 * @param clientId  the OAuth client the token was issued to ({@code client_id}, else {@code azp}), or null when the
 *                  token does not say
 * @param scopes    the granted scopes, from the space-separated {@code scope} string or else the {@code scp} array;
 *                  empty when the token grants none
 * @param audiences the {@code aud} values, among them this gateway
 * @param expiresAt when the token expires ({@code exp}), or null when it does not say (only an introspection
 *                  answer may omit it)
 * @param claims    every claim of the token or the introspection answer, as JSON values (strings, numbers,
 *                  booleans, lists, maps; times as epoch seconds), deeply immutable
 */
public record Principal(String subject, String issuer, String clientId, Set<String> scopes, Set<String> audiences,
                        Instant expiresAt, Map<String, Object> claims) {

    public Principal {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(issuer, "issuer");
        scopes = Set.copyOf(Objects.requireNonNull(scopes, "scopes"));
        audiences = Set.copyOf(Objects.requireNonNull(audiences, "audiences"));
        claims = immutableMap(Objects.requireNonNull(claims, "claims"));
    }

    /** Whether the token grants {@code scope}. */
    public boolean hasScope(String scope) {
        return scopes.contains(scope);
    }

    /** Whether the token grants every one of {@code required} (true when none are required). */
    public boolean hasAllScopes(Collection<String> required) {
        return scopes.containsAll(required);
    }

    // JSON claims may hold nulls, which Map.copyOf and List.copyOf refuse: copy into unmodifiable wrappers instead,
    // all the way down, so no holder of a Principal can change what another sees.
    private static Map<String, Object> immutableMap(Map<?, ?> map) {
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((key, value) -> copy.put(String.valueOf(key), immutableValue(value)));
        return Collections.unmodifiableMap(copy);
    }

    private static Object immutableValue(Object value) {
        if (value instanceof Map<?, ?> map) {
            return immutableMap(map);
        }
        if (value instanceof Collection<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(element -> copy.add(immutableValue(element)));
            return Collections.unmodifiableList(copy);
        }
        return value;
    }
}
