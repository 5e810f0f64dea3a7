package dev.mcpgateway.internal.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.mcpgateway.auth.Authenticated;
import dev.mcpgateway.auth.ClientAuthentication;
import dev.mcpgateway.auth.ClientCredentialsOptions;
import dev.mcpgateway.auth.Principal;
import dev.mcpgateway.auth.TokenExchangeOptions;
import dev.mcpgateway.auth.UpstreamCredentials;
import dev.mcpgateway.testing.Await;
import dev.mcpgateway.testing.FakeClock;
import dev.mcpgateway.testing.OAuthServer;
import dev.mcpgateway.testing.Tokens;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UpstreamAuthorizerTest {
    private static final String SECRET = "gateway-secret";
    private static final String PLUGIN = "plugin 'files'";

    private final FakeClock clock = new FakeClock();
    private final HttpClient http = HttpClient.newHttpClient();
    private OAuthServer server;

    @BeforeEach
    void start() throws Exception {
        server = OAuthServer.start(Tokens.rsaKey("as"), clock).register("gateway", SECRET);
    }

    @AfterEach
    void stop() {
        server.close();
        http.close();
    }

    private ClientCredentialsOptions.Builder cc() {
        return ClientCredentialsOptions.builder().tokenEndpoint(server.tokenEndpoint()).client("gateway", SECRET)
                .clock(clock);
    }

    private TokenExchangeOptions.Builder te() {
        return TokenExchangeOptions.builder().tokenEndpoint(server.tokenEndpoint()).client("gateway", SECRET)
                .audience("files").clock(clock);
    }

    private UpstreamAuthorizer authorizer(UpstreamCredentials credentials) {
        return UpstreamAuthorizer.of(PLUGIN, credentials, http);
    }

    private static JWTClaimsSet claims(String token) throws Exception {
        return SignedJWT.parse(token).getJWTClaimsSet();
    }

    /** A client of the front door with this token, expiring when its principal says. */
    private static Authenticated client(String token, Instant expiresAt) {
        return Authenticated.of(new Principal("alice", "issuer", "inspector", Set.of(), Set.of(), expiresAt, Map.of()),
                token);
    }

    private String clientToken(String subject) {
        return server.issue(subject, Tokens.AUDIENCE, "inspector", Duration.ofMinutes(10));
    }

    @Test
    void noneSendsNoToken() {
        UpstreamAuthorizer none = authorizer(UpstreamCredentials.none());
        assertFalse(none.sendsTokens());
        assertNull(none.token(null));
        assertNull(none.token(client("client-token", null)));
        assertEquals(0, server.tokenRequests());
    }

    @Test
    void clientCredentialsTokenIsReusedUntilShortlyBeforeItExpires() throws Exception {
        server.tokenLifetime(Duration.ofSeconds(120));
        UpstreamAuthorizer auth = authorizer(UpstreamCredentials.clientCredentials(cc().scopes("files:read")
                .audience("files").resource("https://files.example.com/mcp").build()));
        String first = auth.token(null);
        JWTClaimsSet claims = claims(first);
        assertEquals("gateway", claims.getSubject());
        assertEquals(List.of("files", "https://files.example.com/mcp"), claims.getAudience());
        assertEquals(Map.of("grant_type", "client_credentials", "scope", "files:read", "audience", "files",
                "resource", "https://files.example.com/mcp", "client_id", "gateway"), server.lastRequest());
        assertEquals(first, auth.token(client("client-token", null)), "a client's call carries the gateway's token");
        clock.advance(Duration.ofSeconds(89)); // 120 s lifetime, refreshed 30 s ahead
        assertEquals(first, auth.token(null));
        assertEquals(1, server.tokenRequests());
        clock.advance(Duration.ofSeconds(2));
        assertNotEquals(first, auth.token(null));
        assertEquals(2, server.tokenRequests());
    }

    @Test
    void clientSecretPostSendsTheCredentialsInTheForm() {
        authorizer(UpstreamCredentials.clientCredentials(cc()
                .clientAuthentication(ClientAuthentication.CLIENT_SECRET_POST).build())).token(null);
        assertEquals("gateway", server.lastRequest().get("client_id"));
        assertEquals(1, server.tokenRequests());
    }

    @Test
    void concurrentCallersShareOneTokenRequest() throws Exception {
        UpstreamAuthorizer auth = authorizer(UpstreamCredentials.clientCredentials(cc().build()));
        CountDownLatch held = server.hang();
        List<Future<String>> tokens = new ArrayList<>();
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 8; i++) {
                tokens.add(callers.submit(() -> auth.token(null)));
            }
            Await.until("the token request reached the server", Duration.ofSeconds(10),
                    () -> server.tokenRequests() == 1);
            held.countDown();
            for (Future<String> token : tokens) {
                assertEquals(tokens.getFirst().get(), token.get());
            }
        }
        assertEquals(1, server.tokenRequests());
    }

    @Test
    void aFailureNamesThePluginAndTheEndpointsErrorAndTheNextCallTriesAgain() {
        UpstreamAuthorizer auth = authorizer(UpstreamCredentials.clientCredentials(cc().build()));
        server.failWith(401, "invalid_client", "client authentication failed");
        UpstreamTokenException failure = assertThrows(UpstreamTokenException.class, () -> auth.token(null));
        assertEquals(PLUGIN + " could not get an access token from " + server.tokenEndpoint()
                + ": HTTP 401 invalid_client (client authentication failed)", failure.getMessage());
        assertFalse(failure.getMessage().contains(SECRET));
        server.recover();
        assertTrue(auth.token(null).length() > 20);
        assertEquals(2, server.tokenRequests());
    }

    @Test
    void anUnreachableEndpointFailsClearly() {
        UpstreamAuthorizer auth = authorizer(UpstreamCredentials.clientCredentials(cc().build()));
        server.close();
        UpstreamTokenException failure = assertThrows(UpstreamTokenException.class, () -> auth.token(null));
        assertTrue(failure.getMessage().startsWith(PLUGIN + " could not get an access token from "
                + server.tokenEndpoint() + ": could not reach it"), failure.getMessage());
    }

    @Test
    void aRejectedTokenIsDroppedOnceAndReplaced() {
        UpstreamAuthorizer auth = authorizer(UpstreamCredentials.clientCredentials(cc().build()));
        String first = auth.token(null);
        auth.rejected(null, "some older token");
        assertEquals(first, auth.token(null), "only the token refused is dropped");
        auth.rejected(null, first);
        String second = auth.token(null);
        assertNotEquals(first, second);
        assertEquals(2, server.tokenRequests());
    }

    @Test
    void tokenExchangeGivesThePluginATokenForItsAudienceAndTheClientsSubject() throws Exception {
        UpstreamAuthorizer auth = authorizer(UpstreamCredentials.tokenExchange(te().scopes("files:read").build()));
        String subjectToken = clientToken("alice");
        String exchanged = auth.token(client(subjectToken, null));
        JWTClaimsSet claims = claims(exchanged);
        assertEquals("alice", claims.getSubject());
        assertEquals(List.of("files"), claims.getAudience());
        assertEquals(Map.of("sub", "gateway"), claims.getJSONObjectClaim("act"));
        Map<String, String> form = server.lastRequest();
        assertEquals(OAuthServer.TOKEN_EXCHANGE, form.get("grant_type"));
        assertEquals(subjectToken, form.get("subject_token"));
        assertEquals(OAuthServer.ACCESS_TOKEN_TYPE, form.get("subject_token_type"));
        assertEquals(OAuthServer.ACCESS_TOKEN_TYPE, form.get("requested_token_type"));
        assertEquals("files:read", form.get("scope"));
        assertEquals(exchanged, auth.token(client(subjectToken, null)), "cached");
        assertEquals(1, server.tokenRequests());
        assertNotEquals(exchanged, auth.token(client(clientToken("bob"), null)));
        assertEquals(2, server.tokenRequests());
    }

    @Test
    void anExchangedTokenIsNotUsedPastTheClientsToken() {
        UpstreamAuthorizer auth = authorizer(UpstreamCredentials.tokenExchange(te().build()));
        Authenticated shortLived = client(clientToken("alice"), clock.instant().plusSeconds(60));
        String exchanged = auth.token(shortLived);
        clock.advance(Duration.ofSeconds(59));
        assertEquals(exchanged, auth.token(shortLived));
        assertEquals(1, server.tokenRequests());
        clock.advance(Duration.ofSeconds(2)); // the exchanged token lives 10 min, the client's only 60 s
        assertNotEquals(exchanged, auth.token(shortLived));
        assertEquals(2, server.tokenRequests());
    }

    @Test
    void theExchangeCacheIsBounded() {
        UpstreamAuthorizer auth = authorizer(UpstreamCredentials.tokenExchange(te().maxCachedTokens(2).build()));
        Authenticated alice = client(clientToken("alice"), null);
        auth.token(alice);
        auth.token(client(clientToken("bob"), null));
        auth.token(client(clientToken("carol"), null));
        assertEquals(2, auth.cachedExchanges());
        assertEquals(3, server.tokenRequests());
        auth.token(alice); // the least recently used went first
        assertEquals(4, server.tokenRequests());
        assertEquals(2, auth.cachedExchanges());
    }

    @Test
    void aCallWithoutAClientTokenFailsClearly() {
        UpstreamAuthorizer auth = authorizer(UpstreamCredentials.tokenExchange(te().build()));
        UpstreamTokenException failure = assertThrows(UpstreamTokenException.class,
                () -> auth.token(client(null, null)));
        assertTrue(failure.getMessage().startsWith(PLUGIN + " uses token exchange and needs the client's token; this"
                + " call has none"), failure.getMessage());
        assertEquals(0, server.tokenRequests());
    }

    @Test
    void theGatewaysOwnRequestsCarryItsForGatewayRequestsCredentials() throws Exception {
        assertNull(authorizer(UpstreamCredentials.tokenExchange(te().build())).token(null));
        UpstreamAuthorizer withOwn = authorizer(UpstreamCredentials.tokenExchange(te()
                .forGatewayRequests(UpstreamCredentials.clientCredentials(cc().audience("files").build())).build()));
        String own = withOwn.token(null);
        assertEquals("gateway", claims(own).getSubject());
        assertEquals("client_credentials", server.lastRequest().get("grant_type"));
        Authenticated alice = client(clientToken("alice"), null);
        String exchanged = withOwn.token(alice);
        assertEquals("alice", claims(exchanged).getSubject());
        withOwn.rejected(alice, exchanged);
        assertEquals(0, withOwn.cachedExchanges());
    }
}
