package dev.mcpgateway.examples.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.auth.ApiKeys;
import dev.mcpgateway.auth.TokenValidator;
import dev.mcpgateway.transport.http.server.FrontDoorAuth;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code auth:} section's API keys and introspection as the runner reads them: every bad value reported at its
 * file and line with what to do, secrets kept out of {@code toString}, and the {@code apikey} command's arguments.
 */
class AuthConfigTest {
    private static final String KEY = ApiKeys.generate();
    private static final String HASH = ApiKeys.sha256Hex(KEY);

    @TempDir
    Path dir;

    @Test
    void apiKeysAreReadWithTheirScopesSubjectAndExpiry() throws Exception {
        AuthConfig auth = load("""
                auth:
                  provider: APIKeys
                  apiKeys:
                    - name: ci
                      sha256: %s
                      scopes: ["mcp:use gateway:read"]
                      subject: team-ci
                      expires: 2027-01-01
                    - name: bot
                      sha256: %s
                      expires: 2027-06-30T12:00:00Z
                """.formatted(HASH.toUpperCase(java.util.Locale.ROOT), ApiKeys.sha256Hex("other"))).auth();
        assertTrue(auth.enabled());
        ApiKeyConfig ci = auth.apiKeys().getFirst();
        assertEquals(List.of("mcp:use", "gateway:read"), ci.scopes());
        assertEquals(HASH, ci.sha256(), "kept in lower case");
        assertEquals(Instant.parse("2027-01-01T00:00:00Z"), ci.expires());
        assertEquals(Instant.parse("2027-06-30T12:00:00Z"), auth.apiKeys().get(1).expires());
        assertFalse(auth.toString().contains(HASH) || ci.toString().contains(HASH), auth.toString());

        try (TokenValidator validator = auth.validator()) {
            assertEquals("team-ci", validator.validate(KEY).subject());
            assertEquals(Set.of("mcp:use", "gateway:read"), validator.validate(KEY).scopes());
            FrontDoorAuth frontDoor = auth.frontDoorAuth(validator);
            assertEquals(List.of(), frontDoor.authorizationServers(), "keys come from no authorization server");
        }
        // Keys are authentication: a non-loopback address may be served.
        try (TokenValidator validator = auth.validator()) {
            assertNotNull(FrontDoorSecurity.options(RunnerConfig.Server.at("0.0.0.0", 0), auth, validator).auth());
        }
    }

    @Test
    void badKeysAreReportedAtTheirLineWithHowToMakeOne() throws Exception {
        String shortHash = refused("""
                auth:
                  provider: apikeys
                  apiKeys:
                    - name: ci
                      sha256: abc123
                """);
        assertTrue(shortHash.startsWith("config error in gateway.yaml line 4, column 7: auth.apiKeys[0]: the sha256 "
                + "of API key 'ci' must be 64 hex digits"), shortHash);
        assertTrue(shortHash.endsWith("make a key and its entry with: mcp-gateway apikey --name NAME"), shortHash);

        String pastedKey = refused("""
                auth:
                  provider: apikeys
                  apiKeys: [{ name: ci, sha256: %s }]
                """.formatted(KEY));
        assertFalse(pastedKey.contains(KEY), "the key is not repeated: " + pastedKey);
        assertTrue(pastedKey.contains("look like the key itself"), pastedKey);

        String duplicate = refused("""
                auth:
                  provider: apikeys
                  apiKeys:
                    - { name: ci, sha256: %s }
                    - { name: ci, sha256: %s }
                """.formatted(HASH, ApiKeys.sha256Hex("other")));
        assertTrue(duplicate.startsWith("config error in gateway.yaml line 5, column 7: "), duplicate);
        assertTrue(duplicate.contains("two API keys are named 'ci'"), duplicate);
        String sameHash = refused("""
                auth:
                  provider: apikeys
                  apiKeys:
                    - { name: ci, sha256: %s }
                    - { name: ci2, sha256: %s }
                """.formatted(HASH, HASH));
        assertTrue(sameHash.contains("line 5, column 7: ") && sameHash.contains("API keys 'ci' and 'ci2' have the "
                + "same sha256"), sameHash);

        assertContains(refused("""
                auth:
                  provider: apikeys
                  apiKeys:
                    - { name: ci, sha256: %s, expires: next year }
                """.formatted(HASH)), "line 4, column 102: auth.apiKeys[0].expires: expected a time such as "
                + "2027-01-01T00:00:00Z or a date such as 2027-01-01 (midnight UTC), got 'next year'");
        assertContains(refused("auth: { provider: apikeys }\n"),
                "auth.provider is apikeys but auth.apiKeys lists no key; make a key and its entry with");
        assertContains(refused("auth: { apiKeys: [{ name: ci, sha256: %s }] }\n".formatted(HASH)),
                "auth.apiKeys lists keys but auth.provider is unset, which checks no token; say auth.provider: "
                        + "apikeys");
        assertContains(refused("auth: { provider: apikeys, apiKeys: [{ name: c i, sha256: %s }] }\n"
                .formatted(HASH)), "an API key's name is 1 to 64 letters");
        assertContains(refused("auth: { provider: apikeys, apiKeys: [{ name: ci, sha256: %s, secret: x }] }\n"
                .formatted(HASH)), "unknown key 'secret' under auth.apiKeys[0]");
    }

    @Test
    void introspectionNeedsItsEndpointAndCredentialsAndHidesTheSecret() throws Exception {
        assertContains(refused("auth: { provider: introspection, issuer: 'https://auth.example.com/' }\n"),
                "auth.provider is introspection but auth.audience (AUTH_AUDIENCE), auth.introspectionUrl "
                        + "(AUTH_INTROSPECTION_URL), auth.clientId (AUTH_CLIENT_ID), auth.clientSecret "
                        + "(AUTH_CLIENT_SECRET) are missing");
        assertContains(refused("""
                auth:
                  provider: introspection
                  issuer: https://auth.example.com/
                  audience: mcp-gateway
                  introspectionUrl: ftp://auth.example.com/introspect
                  clientId: gw
                  clientSecret: s3cret
                """), "line 2, column 3: auth: auth.introspectionUrl: endpoint must be an absolute http or https URI");

        RunnerConfig fromEnv = ConfigLoader.fromEnvironment(Map.of("AUTH_PROVIDER", "introspection",
                "AUTH_ISSUER", "https://auth.example.com/", "AUTH_AUDIENCE", "mcp-gateway",
                "AUTH_INTROSPECTION_URL", "https://auth.example.com/introspect", "AUTH_CLIENT_ID", "gw",
                "AUTH_CLIENT_SECRET", "s3cret-value"));
        AuthConfig auth = fromEnv.auth();
        assertEquals("https://auth.example.com/introspect", auth.introspectionUrl());
        assertEquals("gw", auth.clientId());
        assertEquals("s3cret-value", auth.clientSecret());
        assertFalse(fromEnv.toString().contains("s3cret-value"), fromEnv.toString());
        try (TokenValidator validator = auth.validator()) {
            assertEquals(List.of(java.net.URI.create("https://auth.example.com/")),
                    auth.frontDoorAuth(validator).authorizationServers());
        }
    }

    @Test
    void theApikeyCommandExplainsItsArguments() {
        assertEquals(0, apikey(new String[] {"--help"}).status());
        assertTrue(apikey(new String[] {"--help"}).out().startsWith("usage: mcp-gateway apikey --name NAME"));
        Run noName = apikey(new String[] {"--scopes", "mcp:use"});
        assertEquals(2, noName.status());
        assertTrue(noName.err().startsWith("mcp-gateway apikey: --name is required"), noName.err());
        assertEquals("", noName.out(), "no key is made");
        Run badName = apikey(new String[] {"--name", "c i"});
        assertEquals(2, badName.status());
        assertTrue(badName.err().startsWith("mcp-gateway apikey: an API key's name is"), badName.err());
        assertEquals(2, apikey(new String[] {"--name"}).status());
        assertEquals(2, apikey(new String[] {"--bogus"}).status());
        assertTrue(GatewayMain.USAGE.contains("mcp-gateway apikey --name NAME"));
    }

    private record Run(int status, String out, String err) {
    }

    private static Run apikey(String[] args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ApiKeyCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private RunnerConfig load(String yaml) throws IOException {
        return ConfigLoader.load(Files.writeString(dir.resolve("gateway.yaml"), yaml), Map.of());
    }

    private String refused(String yaml) throws IOException {
        String message = assertThrows(ConfigException.class, () -> load(yaml)).getMessage();
        assertFalse(message.contains("\n"), message);
        return message;
    }

    private static void assertContains(String message, String part) {
        assertTrue(message.contains(part), message);
    }
}
