package dev.mcpgateway.examples.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.auth.TokenValidator;
import dev.mcpgateway.transport.http.server.FrontDoorAuth;
import dev.mcpgateway.transport.http.server.HttpFrontDoorOptions;
import java.net.URI;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The runner's front door without authentication stays on loopback unless told otherwise; with oauth2 it has it. */
class FrontDoorSecurityTest {
    private static final AuthConfig NONE = new AuthConfig("none", null, null, null, null, null, null, null, null);
    private static final AuthConfig OAUTH2 = new AuthConfig("oauth2", "https://auth.example.com/",
            "https://gateway.example.com/mcp", "https://auth.example.com/jwks.json", List.of("mcp:use"), null, null,
            null, null);

    @Test
    void withoutAuthOnlyLoopbackIsServedUnlessNoneIsExplicit() {
        for (String host : List.of("127.0.0.1", "localhost", "::1", "[::1]")) {
            assertNull(FrontDoorSecurity.options(RunnerConfig.Server.at(host, 0), AuthConfig.DEFAULT, null).auth(),
                    host);
        }
        for (String host : List.of("0.0.0.0", "192.0.2.10", "::")) {
            ConfigException refused = assertThrows(ConfigException.class,
                    () -> FrontDoorSecurity.options(RunnerConfig.Server.at(host, 0), AuthConfig.DEFAULT, null), host);
            assertTrue(refused.getMessage().startsWith("server.host " + host + " is not a loopback address and no "
                    + "authentication is configured"), refused.getMessage());
            assertTrue(refused.getMessage().contains("auth.provider: none"), refused.getMessage());
            assertFalse(refused.getMessage().contains("\n"));
            assertNull(FrontDoorSecurity.options(RunnerConfig.Server.at(host, 0), NONE, null).auth(), host);
        }
    }

    @Test
    void oauth2PutsTheIssuerAudienceAndScopesAtTheFrontDoor() {
        try (TokenValidator validator = OAUTH2.validator()) {
            HttpFrontDoorOptions options = FrontDoorSecurity.options(RunnerConfig.Server.at("0.0.0.0", 0), OAUTH2,
                    validator);
            FrontDoorAuth auth = options.auth();
            assertNotNull(auth);
            assertEquals(List.of(URI.create("https://auth.example.com/")), auth.authorizationServers());
            assertEquals(URI.create("https://gateway.example.com/mcp"), auth.resource());
            assertEquals(Set.of("mcp:use"), auth.requiredScopes());
        }
        AuthConfig plainAudience = new AuthConfig("oauth2", "https://auth.example.com/", "mcp-gateway",
                "https://auth.example.com/jwks.json", null, null, null, null, null);
        try (TokenValidator validator = plainAudience.validator()) {
            assertNull(plainAudience.frontDoorAuth(validator).resource(), "derived from the endpoint instead");
        }
    }
}
