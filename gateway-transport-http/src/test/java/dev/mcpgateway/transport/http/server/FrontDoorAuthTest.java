package dev.mcpgateway.transport.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.auth.Principal;
import dev.mcpgateway.auth.TokenValidator;
import java.net.URI;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link FrontDoorAuth}'s defaults and the settings it refuses, each with a message saying what to do. */
class FrontDoorAuthTest {
    private static final TokenValidator VALIDATOR = new TokenValidator() {
        @Override
        public Principal validate(String bearerToken) {
            throw new UnsupportedOperationException("not called");
        }

        @Override
        public void close() {
        }
    };
    private static final URI ISSUER = URI.create("https://auth.example.com/");

    @Test
    void theDefaults() {
        FrontDoorAuth auth = FrontDoorAuth.builder(VALIDATOR).authorizationServer(ISSUER).build();
        assertSame(VALIDATOR, auth.validator());
        assertNull(auth.resource());
        assertEquals(List.of(ISSUER), auth.authorizationServers());
        assertEquals(Set.of(), auth.requiredScopes());
        assertEquals(Set.of(), auth.scopesSupported());
        assertEquals("gateway:read", auth.readScope());
        assertEquals("plugins:register", auth.registerScope());
        assertEquals("plugins:admin", auth.adminScope());
        assertEquals("rules:write", auth.rulesWriteScope());
        assertEquals("tools:invoke", auth.invokeScope());
        assertEquals("mcp_plugins", auth.pluginNamesClaim());
        assertEquals(FrontDoorAuth.DEFAULT_MAX_TOKEN_CHARS, auth.maxTokenChars());
        assertEquals(Set.of("mcp:use"), FrontDoorAuth.builder(VALIDATOR).authorizationServer(ISSUER)
                .requiredScopes(Set.of("mcp:use")).build().scopesSupported(), "the required scopes by default");
        assertEquals(auth, HttpFrontDoorOptions.builder().auth(auth).build().toBuilder().build().auth());
        assertNull(HttpFrontDoorOptions.defaults().auth(), "no authentication unless configured");
    }

    @Test
    void noAuthorizationServerIsNeededForTokensNoneIssues() {
        FrontDoorAuth apiKeysOnly = FrontDoorAuth.builder(VALIDATOR).build();
        assertEquals(List.of(), apiKeysOnly.authorizationServers());
    }

    @Test
    void badSettingsAreRefused() {
        assertMessage("an authorization server is an absolute issuer URL",
                () -> FrontDoorAuth.builder(VALIDATOR).authorizationServer(URI.create("/issuer")).build());
        assertMessage("resource must be an absolute URI without fragment", () -> FrontDoorAuth.builder(VALIDATOR)
                .authorizationServer(ISSUER).resource(URI.create("/mcp")).build());
        assertMessage("requiredScopes holds 'a b', which is not a scope", () -> FrontDoorAuth.builder(VALIDATOR)
                .authorizationServer(ISSUER).requiredScopes(Set.of("a b")).build());
        assertMessage("readScope holds 'say \"hi\"'", () -> FrontDoorAuth.builder(VALIDATOR)
                .authorizationServer(ISSUER).readScope("say \"hi\"").build());
        assertMessage("maxTokenChars must be at least 256", () -> FrontDoorAuth.builder(VALIDATOR)
                .authorizationServer(ISSUER).maxTokenChars(100).build());
        assertMessage("pluginNamesClaim must name a claim", () -> FrontDoorAuth.builder(VALIDATOR)
                .authorizationServer(ISSUER).pluginNamesClaim(" ").build());
        assertThrows(NullPointerException.class, () -> FrontDoorAuth.builder(null).authorizationServer(ISSUER)
                .build());
    }

    private static void assertMessage(String start, org.junit.jupiter.api.function.Executable build) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, build);
        assertTrue(refused.getMessage().startsWith(start), refused.getMessage());
    }
}
