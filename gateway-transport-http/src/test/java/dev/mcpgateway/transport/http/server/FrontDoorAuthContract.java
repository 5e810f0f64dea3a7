package dev.mcpgateway.transport.http.server;

import static dev.mcpgateway.transport.http.server.ApiClient.expect;
import static dev.mcpgateway.transport.http.server.ApiClient.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import dev.mcpgateway.audit.AuditLog;
import dev.mcpgateway.auth.JwtValidatorOptions;
import dev.mcpgateway.auth.Principal;
import dev.mcpgateway.auth.TokenValidator;
import dev.mcpgateway.auth.TokenValidators;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.testing.FakeClock;
import dev.mcpgateway.testing.JwksServer;
import dev.mcpgateway.testing.Stderr;
import dev.mcpgateway.testing.Tokens;
import dev.mcpgateway.transport.http.server.McpHttp.Reply;
import java.net.URI;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A front door with {@link FrontDoorAuth}, whichever server carries it, against a real JWKS endpoint on 127.0.0.1
 * serving a key made in the test: the MCP endpoint as an OAuth resource server (challenges, scopes, tokens in the
 * query, an unreachable key set, sessions bound to their principal), the protected-resource metadata, and the
 * management API's scopes and plugin-name restriction.
 */
abstract class FrontDoorAuthContract extends ApiFixture {
    static final String MCP_SCOPE = "mcp:use";
    private static final String INITIALIZE = """
            {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18",
             "capabilities":{},"clientInfo":{"name":"auth-test","version":"1.0.0"}}}""";
    private static final String TOOLS_LIST = """
            {"jsonrpc":"2.0","id":2,"method":"tools/list","params":{}}""";
    private static final String ACCEPT = "application/json, text/event-stream";

    private final RSAKey key = Tokens.rsaKey("k1");
    private JwksServer jwks;
    private TokenValidator validator;

    @Override
    HttpFrontDoorOptions.Builder options() {
        try {
            if (jwks == null) {
                jwks = new JwksServer(new JWKSet(key));
                validator = validator(jwks.uri());
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return super.options().auth(auth(validator));
    }

    @AfterEach
    void closeKeys() {
        validator.close();
        jwks.close();
    }

    static TokenValidator validator(URI jwksUri) {
        return TokenValidators.jwt(JwtValidatorOptions.builder().issuer(Tokens.ISSUER).audiences(Tokens.AUDIENCE)
                .jwksUri(jwksUri).build(), new FakeClock(Tokens.NOW));
    }

    static FrontDoorAuth auth(TokenValidator validator) {
        return FrontDoorAuth.builder(validator).authorizationServer(URI.create(Tokens.ISSUER))
                .requiredScopes(Set.of(MCP_SCOPE)).maxTokenChars(1024).build();
    }

    /** A token of {@code subject} granting {@code scopes}. */
    String token(String subject, String scopes) {
        return Tokens.sign(key, Tokens.claims().subject(subject).claim("scope", scopes).build());
    }

    Reply mcp(String body, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "Accept";
        all[1] = ACCEPT;
        System.arraycopy(headers, 0, all, 2, headers.length);
        return api.send("POST", "mcp", body, all);
    }

    private String challenge(Reply reply) {
        String challenge = reply.header("WWW-Authenticate");
        assertNotNull(challenge, reply.status() + " " + reply.body());
        assertTrue(challenge.startsWith("Bearer resource_metadata=\"" + api.uri(
                ".well-known/oauth-protected-resource/mcp") + "\""), challenge);
        return challenge;
    }

    // ---- the MCP endpoint ----------------------------------------------------------------------------------------

    @Test
    void aRequestWithoutATokenIsChallenged() {
        Reply reply = mcp(INITIALIZE);
        assertEquals(401, reply.status(), reply.body());
        String challenge = challenge(reply);
        assertFalse(challenge.contains("error="), "no credentials, no error code: " + challenge);
        assertTrue(challenge.contains("scope=\"" + MCP_SCOPE + "\""), challenge);
        assertEquals(-32600, reply.json().path("error").path("code").asInt(), reply.body());
    }

    @Test
    void anotherSchemeIsChallengedAsNoToken() {
        Reply reply = mcp(INITIALIZE, "Authorization", "Basic YWxpY2U6c2VjcmV0");
        assertEquals(401, reply.status(), reply.body());
        assertFalse(challenge(reply).contains("error="), reply.header("WWW-Authenticate"));
    }

    @Test
    void badExpiredAndForeignTokensAreRefusedAsInvalid() {
        String expired = Tokens.sign(key, Tokens.claims().claim("scope", MCP_SCOPE)
                .expirationTime(Date.from(Tokens.NOW.minusSeconds(3600))).build());
        String foreign = Tokens.sign(key, Tokens.claims().claim("scope", MCP_SCOPE)
                .audience("https://another.example.test/").build());
        String forged = Tokens.sign(Tokens.rsaKey("k1"), Tokens.claims().claim("scope", MCP_SCOPE).build());
        String notYetValid = Tokens.sign(key, Tokens.claims().claim("scope", MCP_SCOPE)
                .notBeforeTime(Date.from(Tokens.NOW.plusSeconds(3600))).build());
        String otherIssuer = Tokens.sign(key, Tokens.claims().claim("scope", MCP_SCOPE)
                .issuer("https://evil.example.test/").build());
        String valid = token("alice", MCP_SCOPE);
        String[] parts = valid.split("\\.");
        // alg none under the trusted kid, keeping a signature part: nothing may check it.
        String none = Base64URL.encode("{\"alg\":\"none\",\"kid\":\"k1\"}") + "." + parts[1] + "." + parts[2];
        // Algorithm confusion: an HMAC keyed with the RSA public key, which anyone has.
        String confused;
        try {
            confused = Tokens.sign(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("k1").build(),
                    new OctetSequenceKey.Builder(key.toRSAPublicKey().getEncoded()).keyID("k1").build(),
                    Tokens.claims().claim("scope", MCP_SCOPE).build());
        } catch (JOSEException e) {
            throw new AssertionError(e);
        }
        String tampered = parts[0] + "." + Base64URL.encode(Tokens.claims().subject("admin")
                .claim("scope", MCP_SCOPE + " plugins:admin").build().toString()) + "." + parts[2];
        Map<String, String> attacks = new LinkedHashMap<>();
        attacks.put("malformed", "not-a-jwt");
        attacks.put("expired", expired);
        attacks.put("not yet valid", notYetValid);
        attacks.put("wrong audience", foreign);
        attacks.put("wrong issuer", otherIssuer);
        attacks.put("signed by another key under a trusted kid", forged);
        attacks.put("alg none", none);
        attacks.put("HS256 signed with the RSA public key", confused);
        attacks.put("tampered payload", tampered);
        attacks.forEach((attack, token) -> {
            Reply reply = mcp(INITIALIZE, "Authorization", "Bearer " + token);
            assertEquals(401, reply.status(), attack + ": " + reply.body());
            String challenge = challenge(reply);
            assertTrue(challenge.contains("error=\"invalid_token\""), attack + ": " + challenge);
            assertTrue(challenge.contains("error_description=\""), attack + ": " + challenge);
            assertNoLeak(attack, token, reply);
        });
        assertEquals(200, mcp(INITIALIZE, "Authorization", "Bearer " + valid).status(), "a valid token is served");
    }

    /** Nothing of the token, the keys or the gateway's insides in a refusal. */
    private void assertNoLeak(String attack, String token, Reply reply) {
        String everything = reply.body() + " " + reply.header("WWW-Authenticate");
        for (String part : token.split("\\.")) {
            assertFalse(part.length() > 8 && everything.contains(part), attack + ": the token is echoed: " + everything);
        }
        for (String insider : List.of("Exception", "at dev.", "at com.", key.getModulus().toString(), "jwks")) {
            assertFalse(everything.contains(insider), attack + ": '" + insider + "' in " + everything);
        }
    }

    @Test
    void anUnknownKidRefreshesTheKeysOnceThenIsRefused() {
        assertEquals(200, mcp(INITIALIZE, "Authorization", "Bearer " + token("alice", MCP_SCOPE)).status());
        int fetches = jwks.fetches(); // the keys are cached now
        String ghost = Tokens.sign(Tokens.rsaKey("ghost"), Tokens.claims().claim("scope", MCP_SCOPE).build());
        Reply reply = mcp(INITIALIZE, "Authorization", "Bearer " + ghost);
        assertEquals(401, reply.status(), reply.body());
        assertTrue(challenge(reply).contains("error=\"invalid_token\""), reply.header("WWW-Authenticate"));
        assertNoLeak("unknown kid", ghost, reply);
        assertEquals(fetches + 1, jwks.fetches(), "one refresh for the unknown kid");
        assertEquals(401, mcp(INITIALIZE, "Authorization", "Bearer " + ghost).status());
        assertEquals(fetches + 1, jwks.fetches(), "no second refresh within the interval");
    }

    @Test
    void aRotatedKeyIsAcceptedWithoutARestart() {
        assertEquals(200, mcp(INITIALIZE, "Authorization", "Bearer " + token("alice", MCP_SCOPE)).status());
        int fetches = jwks.fetches(); // k1 is cached; k2 is new to the gateway
        RSAKey rotated = Tokens.rsaKey("k2");
        jwks.serve(new JWKSet(List.of(key, rotated)));
        Reply reply = mcp(INITIALIZE, "Authorization", "Bearer " + Tokens.sign(rotated,
                Tokens.claims().claim("scope", MCP_SCOPE).build()));
        assertEquals(200, reply.status(), reply.body());
        assertEquals(fetches + 1, jwks.fetches(), "picked up by one refresh");
    }

    @Test
    void aTokenWithoutTheRequiredScopeIsForbidden() {
        Reply reply = mcp(INITIALIZE, "Authorization", "Bearer " + token("alice", "tools:list"));
        assertEquals(403, reply.status(), reply.body());
        String challenge = challenge(reply);
        assertTrue(challenge.contains("error=\"insufficient_scope\""), challenge);
        assertTrue(challenge.contains("scope=\"" + MCP_SCOPE + "\""), challenge);
    }

    @Test
    void aTokenInTheQueryIsRefusedEvenBesideAValidHeader() {
        String token = token("alice", MCP_SCOPE);
        Reply reply = api.send("POST", "mcp?access_token=" + token, INITIALIZE, "Accept", ACCEPT,
                "Authorization", "Bearer " + token);
        assertEquals(400, reply.status(), reply.body());
        assertTrue(challenge(reply).contains("error=\"invalid_request\""), reply.header("WWW-Authenticate"));
        assertFalse(reply.body().contains(token));
    }

    @Test
    void anOversizeAuthorizationHeaderIsRefusedBeforeParsing() {
        Reply reply = mcp(INITIALIZE, "Authorization", "Bearer " + "a".repeat(2000));
        assertEquals(400, reply.status(), reply.body());
        assertTrue(challenge(reply).contains("error=\"invalid_request\""), reply.header("WWW-Authenticate"));
    }

    @Test
    void anUnreachableKeySetIsA503NotA401() throws Exception {
        JwksServer down = new JwksServer(new JWKSet(key));
        URI gone = down.uri();
        down.close();
        try (TokenValidator unreachable = validator(gone)) {
            ApiClient door = open(super.options().auth(auth(unreachable)).build());
            Reply reply = door.send("POST", "mcp", INITIALIZE, "Accept", ACCEPT,
                    "Authorization", "Bearer " + token("alice", MCP_SCOPE));
            assertEquals(503, reply.status(), reply.body());
            assertNotNull(reply.header("Retry-After"));
            assertNull(reply.header("WWW-Authenticate"), "the token may be fine: no new one is asked for");
        }
    }

    @Test
    void aValidTokenBeginsASessionThatKeepsItsPrincipal() {
        String token = token("alice", MCP_SCOPE);
        Reply initialized = mcp(INITIALIZE, "Authorization", "Bearer " + token);
        assertEquals(200, initialized.status(), initialized.body());
        String session = initialized.header("Mcp-Session-Id");
        assertNotNull(session);
        Principal principal = server.session(session).orElseThrow().principal();
        assertEquals("alice", principal.subject());
        assertEquals("inspector", principal.clientId());

        Reply tools = mcp(TOOLS_LIST, "Authorization", "Bearer " + token, "Mcp-Session-Id", session,
                "MCP-Protocol-Version", "2025-06-18");
        assertEquals(200, tools.status(), tools.body());
        assertTrue(tools.json().path("result").path("tools").toString().contains("calc__add"), tools.body());
    }

    @Test
    void aStatelessRequestNeedsItsOwnToken() {
        String request = "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/list\",\"params\":{"
                + McpHttp.MODERN_META + "}}";
        Reply anonymous = mcp(request, "MCP-Protocol-Version", McpHttp.MODERN, "Mcp-Method", "tools/list");
        assertEquals(401, anonymous.status(), anonymous.body());
        challenge(anonymous);
        Reply served = mcp(request, "MCP-Protocol-Version", McpHttp.MODERN, "Mcp-Method", "tools/list",
                "Authorization", "Bearer " + token("alice", MCP_SCOPE));
        assertEquals(200, served.status(), served.body());
        assertTrue(served.json().path("result").path("tools").toString().contains("calc__add"), served.body());
    }

    @Test
    void aSessionIdIsWorthNothingWithoutATokenOfItsClient() {
        Reply initialized = mcp(INITIALIZE, "Authorization", "Bearer " + token("alice", MCP_SCOPE));
        String session = initialized.header("Mcp-Session-Id");

        Reply stolen = mcp(TOOLS_LIST, "Authorization", "Bearer " + token("mallory", MCP_SCOPE),
                "Mcp-Session-Id", session, "MCP-Protocol-Version", "2025-06-18");
        assertEquals(403, stolen.status(), stolen.body());
        String otherClient = Tokens.sign(key, Tokens.claims().claim("scope", MCP_SCOPE)
                .claim("client_id", "another-client").build());
        assertEquals(403, mcp(TOOLS_LIST, "Authorization", "Bearer " + otherClient, "Mcp-Session-Id", session,
                "MCP-Protocol-Version", "2025-06-18").status());
        assertEquals(401, mcp(TOOLS_LIST, "Mcp-Session-Id", session, "MCP-Protocol-Version", "2025-06-18")
                .status());
        assertEquals(403, api.send("DELETE", "mcp", null, "Authorization", "Bearer " + token("mallory", MCP_SCOPE),
                "Mcp-Session-Id", session).status());
        assertTrue(server.session(session).isPresent(), "the session survives its hijackers");
    }

    // ---- metadata ------------------------------------------------------------------------------------------------

    @Test
    void theMetadataNamesTheResourceAndItsAuthorizationServers() throws Exception {
        for (String path : List.of(".well-known/oauth-protected-resource", ".well-known/oauth-protected-resource/mcp")) {
            JsonNode metadata = expect(200, api.get(path));
            assertEquals(api.uri("mcp").toString(), metadata.path("resource").asText());
            assertEquals(List.of(Tokens.ISSUER), strings(metadata.path("authorization_servers")));
            assertEquals(List.of(MCP_SCOPE), strings(metadata.path("scopes_supported")));
            assertEquals(List.of("header"), strings(metadata.path("bearer_methods_supported")));
        }
        ApiClient open = open(super.options().build());
        problem(404, open.get(".well-known/oauth-protected-resource"));
    }

    @Test
    void withoutAuthorizationServersTheMetadataLeavesTheMemberOut() throws Exception {
        ApiClient keysOnly = open(super.options().auth(FrontDoorAuth.builder(validator).build()).build());
        JsonNode metadata = expect(200, keysOnly.get(".well-known/oauth-protected-resource/mcp"));
        assertFalse(metadata.has("authorization_servers"), metadata.toString());
        assertEquals(List.of("header"), strings(metadata.path("bearer_methods_supported")));
        Reply anonymous = keysOnly.send("POST", "mcp", INITIALIZE, "Accept", ACCEPT);
        assertEquals(401, anonymous.status(), anonymous.body());
        assertTrue(anonymous.header("WWW-Authenticate").startsWith("Bearer resource_metadata="),
                anonymous.header("WWW-Authenticate"));
    }

    private static List<String> strings(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    // ---- the management API --------------------------------------------------------------------------------------

    @Test
    void everyApiRouteButTheProbesNeedsItsScope() {
        expect(200, api.get("healthz"));
        expect(200, api.get("readyz"));
        JsonNode unauthorized = problem(401, api.get("api/v1/plugins"));
        assertNotNull(unauthorized.get("detail"));
        assertTrue(api.get("api/v1/gateway").header("WWW-Authenticate").contains("scope=\"gateway:read\""));

        String reader = "Bearer " + token("ops", "gateway:read");
        expect(200, api.send("GET", "api/v1/plugins", null, "Authorization", reader));
        expect(200, api.send("GET", "api/v1/gateway", null, "Authorization", reader));
        expect(200, api.send("GET", "api/v1/openapi.json", null, "Authorization", reader));

        Reply rules = api.send("PUT", "api/v1/rules/canary", "{\"match\": \"calc/*\"}", "Authorization", reader);
        problem(403, rules);
        assertTrue(rules.header("WWW-Authenticate").contains("scope=\"rules:write\""), rules.header(
                "WWW-Authenticate"));
        Reply invoke = api.send("POST", "api/v1/tools/calc__add/invoke", "{\"arguments\": {\"a\": 1, \"b\": 2}}",
                "Authorization", reader);
        problem(403, invoke);
        assertTrue(invoke.header("WWW-Authenticate").contains("scope=\"tools:invoke\""));
        String registrar = "Bearer " + token("ops", "plugins:register");
        problem(403, api.send("POST", "api/v1/plugins/" + calc.id() + "/drain", null, "Authorization", registrar));

        expect(200, api.send("POST", "api/v1/tools/calc__add/invoke", "{\"arguments\": {\"a\": 1, \"b\": 2}}",
                "Authorization", "Bearer " + token("ops", "tools:invoke")));
        expect(200, api.send("POST", "api/v1/plugins/" + calc.id() + "/drain", null,
                "Authorization", "Bearer " + token("ops", "plugins:admin")));
    }

    @Test
    void aRegisteringTokenActsOnlyForThePluginsItNames() {
        String teamA = "Bearer " + token("team-a", "plugins:register plugins:register:team-a-*");
        expect(201, register(teamA, "team-a-search"));
        JsonNode refused = problem(403, register(teamA, "team-b-search"));
        assertTrue(refused.path("detail").asText().contains("'team-b-search'"), refused.toString());
        assertFalse(refused.toString().contains("team-a"), "names nothing else: " + refused);

        String claimed = "Bearer " + Tokens.sign(key, Tokens.claims().subject("team-b").claim("scope",
                "plugins:register").claim("mcp_plugins", List.of("team-b-*")).build());
        expect(201, register(claimed, "team-b-search"));
        problem(403, register(claimed, "team-a-other"));
        JsonNode taken = problem(409, register(claimed, "team-a-search-1", "team-b-search"));
        assertFalse(taken.toString().contains("belongs to"), "does not say whose it is: " + taken);

        // Another team's instance answers as if it were not there; its own renews.
        problem(404, api.send("POST", "api/v1/plugins/team-a-search-1/heartbeat", null, "Authorization", claimed));
        problem(404, api.send("DELETE", "api/v1/plugins/team-a-search-1", null, "Authorization", claimed));
        problem(404, api.send("POST", "api/v1/plugins/" + calc.id() + "/heartbeat", null, "Authorization", teamA));
        expect(200, api.send("POST", "api/v1/plugins/team-a-search-1/heartbeat", null, "Authorization", teamA));
        expect(200, api.send("DELETE", "api/v1/plugins/team-b-search-1", null, "Authorization", claimed));
        assertTrue(gateway.registry().instance("team-a-search-1").isPresent());

        String any = "Bearer " + token("ops", "plugins:register");
        expect(201, register(any, "anything"));
        String admin = "Bearer " + token("ops", "plugins:admin");
        PluginInstance registered = gateway.registry().instance("team-a-search-1").orElseThrow();
        expect(200, api.send("DELETE", "api/v1/plugins/" + registered.id(), null, "Authorization", admin));
    }

    // ---- the audit log --------------------------------------------------------------------------------------------

    /** The audit log's lines in {@code log}, without the logger's prefix; connections' health lines left out. */
    private static List<String> audit(String log) {
        String prefix = "INFO " + AuditLog.LOGGER + " - ";
        return log.lines().filter(line -> line.contains(prefix))
                .map(line -> line.substring(line.indexOf(prefix) + prefix.length()))
                .filter(line -> !line.startsWith("event=health")).toList();
    }

    @Test
    void eachRefusedRequestIsAuditedOnceWithoutItsToken() throws Exception {
        String forged = Tokens.sign(Tokens.rsaKey("k1"), Tokens.claims().claim("scope", MCP_SCOPE).build());
        String log = Stderr.of(() -> {
            assertEquals(401, mcp(INITIALIZE).status());
            assertEquals(401, mcp(INITIALIZE, "Authorization", "Bearer " + forged).status());
            assertEquals(401, mcp(INITIALIZE, "Authorization", "Basic YWxpY2U6c2VjcmV0").status());
            assertEquals(403, mcp(INITIALIZE, "Authorization", "Bearer " + token("bob", "other")).status());
        });

        assertEquals(List.of(
                "event=auth-failed actor=- plugin=- instance=- surface=mcp reason=\"no bearer token\" remote=127.0.0.1"
                        + " subject=- count=1",
                "event=auth-failed actor=- plugin=- instance=- surface=mcp reason=\"signature invalid\""
                        + " remote=127.0.0.1 subject=- count=1",
                "event=auth-failed actor=- plugin=- instance=- surface=mcp reason=\"not a bearer token\""
                        + " remote=127.0.0.1 subject=- count=1",
                "event=auth-failed actor=- plugin=- instance=- surface=mcp reason=\"insufficient scope\""
                        + " remote=127.0.0.1 subject=bob count=1"), audit(log));
        for (String part : forged.split("\\.")) {
            assertFalse(log.contains(part), "no part of the token is logged");
        }
        assertFalse(log.contains("YWxpY2U6c2VjcmV0"), "nor other credentials");
        Stderr.assertNoStackTrace(log);
    }

    @Test
    void theApiAuditsRefusalsByRouteAndChangesAsTheirPrincipals() throws Exception {
        String teamA = "Bearer " + token("team-a", "plugins:register plugins:register:team-a-*");
        String log = Stderr.of(() -> {
            expect(201, register(teamA, "team-a-search"));
            problem(403, register(teamA, "team-b-search"));
            problem(403, register("Bearer " + token("reader", "plugins:read"), "team-a-other"));
            problem(404, api.send("DELETE", "api/v1/plugins/" + calc.id(), null, "Authorization", teamA));
            problem(401, api.send("GET", "api/v1/plugins", null));
            expect(200, api.send("DELETE", "api/v1/plugins/team-a-search-1", null, "Authorization", teamA));
        });

        String failed = "event=auth-failed actor=- plugin=- instance=- ";
        assertEquals(List.of(
                "event=registered actor=team-a plugin=team-a-search instance=team-a-search-1",
                failed + "surface=registration reason=\"plugin not allowed\" remote=127.0.0.1 subject=team-a count=1",
                failed + "surface=registration reason=\"insufficient scope\" remote=127.0.0.1 subject=reader count=1",
                failed + "surface=registration reason=\"instance not allowed\" remote=127.0.0.1 subject=team-a count=1",
                failed + "surface=api reason=\"no bearer token\" remote=127.0.0.1 subject=- count=1",
                "event=deregistered actor=team-a plugin=team-a-search instance=team-a-search-1"), audit(log));
    }

    private Reply register(String authorization, String plugin) {
        return register(authorization, plugin + "-1", plugin);
    }

    private Reply register(String authorization, String instanceId, String plugin) {
        return api.send("POST", "api/v1/plugins", """
                {"instanceId": "%s", "name": "%s", "version": "1.0.0",
                 "transport": {"type": "http", "url": "http://127.0.0.1:1/mcp"},
                 "tools": [{"name": "echo", "inputSchema": {"type": "object"}}]}""".formatted(instanceId, plugin),
                "Authorization", authorization);
    }
}
