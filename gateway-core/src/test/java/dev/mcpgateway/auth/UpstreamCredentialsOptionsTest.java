package dev.mcpgateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.plugin.TransportSpec;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class UpstreamCredentialsOptionsTest {
    private static final String SECRET = "s3cr3t-value";

    private static ClientCredentialsOptions.Builder cc() {
        return ClientCredentialsOptions.builder().tokenEndpoint("https://auth.example.com/token")
                .client("gateway", SECRET);
    }

    private static TokenExchangeOptions.Builder te() {
        return TokenExchangeOptions.builder().tokenEndpoint("https://auth.example.com/token").client("gateway", SECRET)
                .audience("files");
    }

    private static void refused(String expected, Executable build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build);
        assertTrue(e.getMessage().contains(expected), () -> "message '" + e.getMessage() + "' should say " + expected);
        assertFalse(e.getMessage().contains(SECRET), "a message must never show the secret");
    }

    @Test
    void clientCredentialsDefaults() {
        ClientCredentialsOptions options = cc().build();
        assertEquals(ClientAuthentication.CLIENT_SECRET_BASIC, options.client().authentication());
        assertEquals(Duration.ofSeconds(30), options.refreshBefore());
        assertEquals(Duration.ofSeconds(10), options.client().requestTimeout());
        assertTrue(options.scopes().isEmpty());
    }

    @Test
    void clientCredentialsRefusalsSayWhatToFix() {
        refused("tokenEndpoint", () -> ClientCredentialsOptions.builder().client("gateway", SECRET).build());
        refused("tokenEndpoint must be an absolute http or https URI",
                () -> cc().tokenEndpoint("ftp://auth.example.com/token").build());
        refused("tokenEndpoint must be an absolute http or https URI", () -> cc().tokenEndpoint("/token").build());
        refused("clientId", () -> cc().client(" ", SECRET).build());
        refused("clientSecret", () -> cc().client("gateway", "").build());
        refused("one scope per entry", () -> cc().scopes("a b").build());
        refused("resource must be an absolute URI", () -> cc().resource("files").build());
        refused("resource must be an absolute URI", () -> cc().resource("https://files.example.com/mcp#x").build());
        refused("audience must not be blank", () -> cc().audience(" ").build());
        refused("refreshBefore must be between", () -> cc().refreshBefore(Duration.ofHours(1)).build());
        refused("requestTimeout must be between", () -> cc().requestTimeout(Duration.ZERO).build());
        refused("client_secret_basic or client_secret_post", () -> ClientAuthentication.of("private_key_jwt"));
    }

    @Test
    void tokenExchangeNeedsAudienceOrResource() {
        refused("audience or resource", () -> te().audience(null).build());
        assertEquals("https://files.example.com/mcp",
                te().audience(null).resource("https://files.example.com/mcp").build().resource());
        TokenExchangeOptions options = te().build();
        assertEquals(TokenExchangeOptions.ACCESS_TOKEN_TYPE, options.requestedTokenType());
        assertEquals(10_000, options.maxCachedTokens());
        assertInstanceOf(UpstreamCredentials.None.class, options.forGatewayRequests());
    }

    @Test
    void tokenExchangeRefusalsSayWhatToFix() {
        refused("maxCachedTokens must be at least 1", () -> te().maxCachedTokens(0).build());
        refused("maxCachedTokens must be at most 1000000", () -> te().maxCachedTokens(2_000_000).build());
        refused("requestedTokenType", () -> te().requestedTokenType(" ").build());
        refused("forGatewayRequests must be none or client credentials",
                () -> te().forGatewayRequests(UpstreamCredentials.tokenExchange(te().build())).build());
    }

    @Test
    void toStringNeverShowsTheSecret() {
        UpstreamCredentials cc = UpstreamCredentials.clientCredentials(cc().build());
        UpstreamCredentials te = UpstreamCredentials.tokenExchange(te().forGatewayRequests(cc).build());
        TransportSpec.Http spec = new TransportSpec.Http(URI.create("http://127.0.0.1:1/mcp"),
                Map.of("X-Api-Key", "key-value"), te);
        for (Object shown : new Object[] {cc, te, spec}) {
            assertFalse(shown.toString().contains(SECRET), shown.toString());
            assertFalse(shown.toString().contains("key-value"), shown.toString());
        }
        assertTrue(spec.toString().contains("clientSecret=(hidden)"));
    }

    @Test
    void httpSpecKeepsItsOldShapeAndRefusesTwoAuthorizations() {
        assertEquals(UpstreamCredentials.none(), TransportSpec.Http.of("http://127.0.0.1:1/mcp").credentials());
        assertEquals(UpstreamCredentials.none(),
                new TransportSpec.Http(URI.create("http://127.0.0.1:1/mcp"), Map.of("Authorization", "Bearer x"))
                        .credentials());
        refused("must not also have a static Authorization header", () -> new TransportSpec.Http(
                URI.create("http://127.0.0.1:1/mcp"), Map.of("authorization", "Bearer x"),
                UpstreamCredentials.clientCredentials(cc().build())));
        assertEquals("client_credentials", UpstreamCredentials.clientCredentials(cc().build()).type());
        assertEquals("token_exchange", UpstreamCredentials.tokenExchange(te().build()).type());
        assertEquals("none", UpstreamCredentials.none().type());
    }
}
