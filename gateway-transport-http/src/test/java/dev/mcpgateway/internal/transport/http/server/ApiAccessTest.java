package dev.mcpgateway.internal.transport.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.auth.Principal;
import dev.mcpgateway.auth.TokenValidator;
import dev.mcpgateway.transport.http.server.FrontDoorAuth;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which route needs which scope, and which plugin names a registering token may use. */
class ApiAccessTest {
    private final ApiAccess access = new ApiAccess(FrontDoorAuth.builder(new TokenValidator() {
        @Override
        public Principal validate(String bearerToken) {
            throw new UnsupportedOperationException("not called");
        }

        @Override
        public void close() {
        }
    }).authorizationServer(URI.create("https://auth.example.test/")).build());

    private static Principal principal(Set<String> scopes, Map<String, Object> claims) {
        return new Principal("team", "https://auth.example.test/", null, scopes, Set.of("gw"), null, claims);
    }

    @Test
    void routesAreClassedByWhatTheyDo() {
        assertEquals(ApiAccess.Need.NONE, ApiAccess.need("GET", "/healthz"));
        assertEquals(ApiAccess.Need.NONE, ApiAccess.need("GET", "/dashboard/dashboard.js"));
        assertEquals(ApiAccess.Need.READ, ApiAccess.need("HEAD", "/api/v1/plugins"));
        assertEquals(ApiAccess.Need.REGISTER, ApiAccess.need("POST", "/api/v1/plugins"));
        assertEquals(ApiAccess.Need.OWN_INSTANCE, ApiAccess.need("POST", "/api/v1/plugins/{id}/heartbeat"));
        assertEquals(ApiAccess.Need.ADMIN, ApiAccess.need("POST", "/api/v1/plugins/{id}/undrain"));
        assertEquals(ApiAccess.Need.RULES_WRITE, ApiAccess.need("DELETE", "/api/v1/rules/{name}"));
        assertEquals(ApiAccess.Need.INVOKE, ApiAccess.need("POST", "/api/v1/tools/{name}/invoke"));
        assertEquals(ApiAccess.Need.ADMIN, ApiAccess.need("PATCH", "/api/v1/anything-new"), "unclassed: admin only");
        assertEquals(Set.of("plugins:register"), access.requirement(ApiAccess.Need.REGISTER).advertised());
    }

    @Test
    void pluginNamesFollowTheScopesAndTheClaim() {
        ApiAccess.Grant plain = access.grant(principal(Set.of("plugins:register"), Map.of()));
        assertTrue(plain.mayRegister("anything"));

        ApiAccess.Grant scoped = access.grant(principal(Set.of("plugins:register", "plugins:register:team-a-*",
                "plugins:register:exact"), Map.of()));
        assertTrue(scoped.mayRegister("team-a-search"));
        assertTrue(scoped.mayRegister("exact"));
        assertFalse(scoped.mayRegister("exactly"));
        assertFalse(scoped.mayRegister("team-b-search"));
        assertFalse(scoped.mayRegister("xteam-a-"), "a glob matches the whole name");

        ApiAccess.Grant claimed = access.grant(principal(Set.of("plugins:register"),
                Map.of("mcp_plugins", List.of("weather", "geo.*"))));
        assertTrue(claimed.mayRegister("weather"));
        assertTrue(claimed.mayRegister("geo.v2"));
        assertFalse(claimed.mayRegister("geoXv2"), "only '*' is special");

        ApiAccess.Grant malformed = access.grant(principal(Set.of("plugins:register"),
                Map.of("mcp_plugins", "weather")));
        assertFalse(malformed.mayRegister("weather"), "a claim of another shape allows nothing");

        ApiAccess.Grant namesWithoutScope = access.grant(principal(Set.of("plugins:register:weather"), Map.of()));
        assertFalse(namesWithoutScope.mayRegister("weather"), "names restrict the scope, they do not grant it");

        assertSame(ApiAccess.Grant.OPEN, access.grant(principal(Set.of("plugins:admin"), Map.of())));
    }
}
