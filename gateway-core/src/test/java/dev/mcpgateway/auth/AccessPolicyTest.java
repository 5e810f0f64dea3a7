package dev.mcpgateway.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.auth.AccessPolicy.Effect;
import dev.mcpgateway.auth.AccessPolicy.Who;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The rules of an {@link AccessPolicy}: order, conditions on scopes and claims, grants the token carries. */
class AccessPolicyTest {

    private static Principal principal(Set<String> scopes, Map<String, Object> claims) {
        return new Principal("bob", "https://auth.example.test/", null, scopes, Set.of("gateway"), null, claims);
    }

    @Test
    void theFirstRuleThatAppliesDecidesAndOtherwiseTheDefault() {
        AccessPolicy policy = AccessPolicy.builder()
                .deny("github/delete_*", Who.anyone())
                .allow("github", Who.scope("github"))
                .build();
        Principal github = principal(Set.of("github"), Map.of());
        assertTrue(policy.allows(github, "github", "create_issue"));
        assertFalse(policy.allows(github, "github", "delete_repo"), "denied before the allow is read");
        assertFalse(policy.allows(github, "files", "read"), "no rule: denied by default");
        assertFalse(policy.allows(null, "github", "create_issue"), "no principal meets a scope condition");
        AccessPolicy open = AccessPolicy.builder().deny("secret/*", Who.anyone()).otherwise(Effect.ALLOW).build();
        assertTrue(open.allows(null, "files", "read"));
        assertFalse(open.allows(github, "secret", "x"));
        assertTrue(open.restricts());
        assertFalse(AccessPolicy.ALLOW_ALL.restricts());
        assertFalse(AccessPolicy.builder().allow("*", Who.anyone()).otherwise(Effect.ALLOW).build().restricts());
    }

    @Test
    void claimsMatchAsStringsWordsArrayElementsOrScalars() {
        AccessPolicy policy = AccessPolicy.builder()
                .allow("a", Who.claim("groups", "eng"))
                .allow("b", Who.claim("roles", "admin"))
                .allow("c", Who.claim("level", "3"))
                .allow("d", Who.claim("staff", "true"))
                .build();
        assertTrue(policy.allows(principal(Set.of(), Map.of("groups", List.of("ops", "eng"))), "a", "x"));
        assertTrue(policy.allows(principal(Set.of(), Map.of("roles", "user admin")), "b", "x"));
        assertTrue(policy.allows(principal(Set.of(), Map.of("level", 3L)), "c", "x"));
        assertTrue(policy.allows(principal(Set.of(), Map.of("staff", true)), "d", "x"));
        assertFalse(policy.allows(principal(Set.of(), Map.of("groups", "engineering")), "a", "x"));
        assertFalse(policy.allows(principal(Set.of(), Map.of()), "a", "x"));
    }

    @Test
    void tokensCarryTheirOwnGrantsAndMalformedOnesGrantNothing() {
        AccessPolicy policy = AccessPolicy.builder()
                .allow("*", Who.grantedByScopes("tools:"))
                .allow("*", Who.grantedByClaim("mcp_tools"))
                .build();
        Principal scoped = principal(Set.of("tools:github/create_*", "tools:", "tools:/x"), Map.of());
        assertTrue(policy.allows(scoped, "github", "create_issue"));
        assertFalse(policy.allows(scoped, "github", "delete_repo"));
        Principal claimed = principal(Set.of(), Map.of("mcp_tools", "files/read_* weather"));
        assertTrue(policy.allows(claimed, "files", "read_file"));
        assertTrue(policy.allows(claimed, "weather", "forecast"), "a bare namespace grants all of its tools");
        assertFalse(policy.allows(claimed, "files", "write_file"));
        assertFalse(policy.allows(principal(Set.of(), Map.of("mcp_tools", 42)), "files", "read_file"));
    }

    @Test
    void badRulesAreRefusedWithWhatToFix() {
        IllegalArgumentException pattern = assertThrows(IllegalArgumentException.class,
                () -> AccessPolicy.builder().allow("github/", Who.anyone()));
        assertTrue(pattern.getMessage().contains("github/*"), pattern.getMessage());
        IllegalArgumentException scope = assertThrows(IllegalArgumentException.class, () -> Who.scope(" "));
        assertTrue(scope.getMessage().contains("non-blank"), scope.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Who.grantedByClaim(""));
        assertThrows(NullPointerException.class, () -> Who.claim("groups", null));
    }
}
