package dev.mcpgateway.examples.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.naming.ToolNaming;
import dev.mcpgateway.plugin.TransportSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The environment's part in the runner's configuration: variables over the file, the seed's names, auth from them. */
class ConfigEnvironmentTest extends ConfigFileTest {

    @Test
    void theEnvironmentOverridesTheFile() throws IOException {
        Path file = write("gateway.yaml", """
                server: { host: 127.0.0.1, port: 9105 }
                health: { interval: 10s }
                """);

        RunnerConfig config = ConfigLoader.load(file, Map.of("GATEWAY_PORT", "9200", "GATEWAY_HOST", "0.0.0.0",
                "HEALTH_CHECK_INTERVAL", "2m", "AUTH_PROVIDER", "none", "POSTGRES_HOST", "db", "REDIS_HOST", "cache"));

        assertEquals(RunnerConfig.Server.at("0.0.0.0", 9200), config.server());
        assertEquals(Duration.ofMinutes(2), config.health().interval());
        assertEquals("config error in environment variable GATEWAY_PORT: server.port: expected a whole number, got "
                + "'x'", assertThrows(ConfigException.class,
                () -> ConfigLoader.load(file, Map.of("GATEWAY_PORT", "x"))).getMessage());
        assertEquals("config error in environment variable GATEWAY_PORT: server: server.port must be between 0 "
                + "and 65535, got 70000", assertThrows(ConfigException.class,
                () -> ConfigLoader.load(file, Map.of("GATEWAY_PORT", "70000"))).getMessage());
        assertEquals("config error in environment variable HEALTH_CHECK_INTERVAL: health.interval: 'often' is not a "
                + "duration; write a number and a unit, such as 500ms, 10s, 2m or 1h", assertThrows(
                ConfigException.class, () -> ConfigLoader.load(file, Map.of("HEALTH_CHECK_INTERVAL", "often")))
                .getMessage());
    }

    @Test
    void everySingleValuedSettingHasAnMcpGatewayVariable() throws IOException {
        Path file = write("gateway.yaml", """
                server: { port: 9105, allowedOrigins: ["https://old.example.com"] }
                plugins:
                  - { name: files, transport: stdio, command: java }
                """);

        RunnerConfig config = ConfigLoader.load(file, Map.of(
                "MCP_GATEWAY_SERVER_PORT", "9300", "GATEWAY_PORT", "9200",
                "MCP_GATEWAY_SERVER_ALLOWED_ORIGINS", "https://app.example.com, https://admin.example.com",
                "MCP_GATEWAY_ROUTING_TOOL_NAMING", "unprefixed",
                "MCP_GATEWAY_LIMITS_CALL_TIMEOUT", "90s",
                "MCP_GATEWAY_HEALTH_OUTLIER_DETECTION_MAX_EJECTED_SHARE", "0.25",
                "MCP_GATEWAY_LEASES_EVICTION_MAX_SHARE", "1",
                "MCP_GATEWAY_PLUGIN_SESSIONS_PROBE_MODERN", "false",
                "MCP_GATEWAY_SERVER_TLS", "ignored: not a single value"));

        assertEquals(9300, config.server().port(), "the MCP_GATEWAY_ name wins over its alias");
        assertEquals(List.of("https://app.example.com", "https://admin.example.com"), config.server().allowedOrigins());
        assertEquals(ToolNaming.unprefixed(), config.routing().toolNaming());
        assertEquals(Duration.ofSeconds(90), config.gatewayConfig().callTimeout());
        assertEquals(0.25, config.gatewayConfig().outlierDetection().maxEjectedShare());
        assertEquals(1.0, config.gatewayConfig().leaseEvictionMaxShare());
        assertFalse(config.gatewayConfig().sessionOptions().probeModern());
        assertEquals(List.of("files"), config.plugins().stream().map(RunnerConfig.Plugin::name).toList());
        assertEquals("config error in environment variable MCP_GATEWAY_LEASES_EVICTION_MAX_SHARE: leases: leases: "
                + "leaseEvictionMaxShare must be above 0 and at most 1 (0.15: lease checks remove at most 15 % of the "
                + "leased instances per leaseEvictionWindow; 1: every lapsed one), got 2.0", assertThrows(
                ConfigException.class, () -> ConfigLoader.load(file, Map.of("MCP_GATEWAY_LEASES_EVICTION_MAX_SHARE",
                        "2"))).getMessage());
        Map<String, String> variables = EnvironmentOverrides.variables();
        assertEquals("server.maxSessionsPerClient", variables.get("MCP_GATEWAY_SERVER_MAX_SESSIONS_PER_CLIENT"));
        assertEquals("health.outlierDetection.window", variables.get("MCP_GATEWAY_HEALTH_OUTLIER_DETECTION_WINDOW"));
        assertEquals("server.tls.keyStorePassword", variables.get("MCP_GATEWAY_SERVER_TLS_KEY_STORE_PASSWORD"));
        assertFalse(variables.containsValue("routing.rules") || variables.containsValue("plugins"));
    }

    @Test
    void theLogOutputsVariablesAreNoTyposThoughNoSettingOfTheFile() {
        assertEquals(List.of("MCP_GATEWAY_SERVER_PROTS"), EnvironmentOverrides.unknown(Map.of(
                "MCP_GATEWAY_LOG_FORMAT", "json", "MCP_GATEWAY_LOG_LEVEL", "debug", "MCP_GATEWAY_SERVER_PROTS", "1")));
    }

    @Test
    void theLaunchersJvmFlagsVariableIsNoTypoThoughNoSettingOfTheFile() {
        assertEquals(List.of(), EnvironmentOverrides.unknown(Map.of("MCP_GATEWAY_JAVA_OPTS", "-Xmx1g")));
    }

    @Test
    void aFileFreeRunnerTakesTheEnvironmentOverTheDefaults() {
        RunnerConfig config = ConfigLoader.fromEnvironment(Map.of("MCP_GATEWAY_SERVER_MAX_CONNECTIONS", "64",
                "GATEWAY_HOST", "0.0.0.0"));

        assertEquals(64, config.server().maxConnections());
        assertEquals("0.0.0.0", config.server().host());
        assertEquals(RunnerConfig.defaults().withServer(config.server()), config, "the rest stays default");
    }

    @Test
    void theAuthSectionAndTheSeedKeysConfigureOauth2() throws IOException {
        Path file = write("gateway.yaml", """
                auth:
                  provider: oauth2
                  issuer: https://auth.example.com/
                  audience: https://gateway.example.com/mcp
                  jwksUrl: https://auth.example.com/jwks.json
                  scopes: ["mcp:use", "tools:call tools:list"]
                """);
        AuthConfig fromFile = ConfigLoader.load(file, Map.of()).auth();
        assertEquals(new AuthConfig("oauth2", "https://auth.example.com/", "https://gateway.example.com/mcp",
                "https://auth.example.com/jwks.json", List.of("mcp:use", "tools:call", "tools:list"), null, null, null,
                null), fromFile);
        assertTrue(fromFile.enabled());

        RunnerConfig fromEnv = ConfigLoader.fromEnvironment(Map.of("AUTH_PROVIDER", "OAuth2",
                "AUTH_ISSUER", "https://auth.example.com/", "AUTH_AUDIENCE", "mcp-gateway",
                "AUTH_JWKS_URL", "https://auth.example.com/jwks.json", "AUTH_SCOPES", "mcp:use tools:call,tools:list"));
        assertEquals(new AuthConfig("oauth2", "https://auth.example.com/", "mcp-gateway",
                "https://auth.example.com/jwks.json", List.of("mcp:use", "tools:call", "tools:list"), null, null, null,
                null), fromEnv.auth());
        assertEquals(AuthConfig.DEFAULT, RunnerConfig.defaults().auth(), "unset by default");
        for (String none : List.of("none", " NONE ")) {
            assertTrue(ConfigLoader.fromEnvironment(Map.of("AUTH_PROVIDER", none)).auth().explicitlyNone());
        }
        assertEquals(AuthConfig.DEFAULT, ConfigLoader.fromEnvironment(Map.of("AUTH_PROVIDER", "")).auth());
    }

    @Test
    void oauth2WithoutItsSettingsOrAnUnknownProviderRefusesTheStartInOneLine() throws IOException {
        Path file = write("gateway.yaml", "plugins: []\n");
        String missing = assertThrows(ConfigException.class, () -> ConfigLoader.load(file, Map.of(
                "AUTH_PROVIDER", "oauth2", "AUTH_ISSUER", "https://auth.example.com/"))).getMessage();
        assertTrue(missing.startsWith("config error in environment variable AUTH_PROVIDER: "), missing);
        assertTrue(missing.endsWith("auth.provider is oauth2 but auth.audience (AUTH_AUDIENCE), auth.jwksUrl "
                + "(AUTH_JWKS_URL) are missing"), missing);
        assertFalse(missing.contains("\n"), missing);
        String inFile = assertThrows(ConfigException.class, () -> ConfigLoader.load(write("auth.yaml",
                "auth: { provider: oauth2 }\n"), Map.of())).getMessage();
        assertTrue(inFile.contains("auth.issuer (AUTH_ISSUER), auth.audience (AUTH_AUDIENCE), auth.jwksUrl "
                + "(AUTH_JWKS_URL) are missing"), inFile);
        String unknown = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(file, Map.of("AUTH_PROVIDER", "oidc"))).getMessage();
        assertTrue(unknown.contains("auth.provider must be oauth2, introspection, apikeys or none, got 'oidc'"), unknown);
        String relative = assertThrows(ConfigException.class, () -> ConfigLoader.fromEnvironment(Map.of(
                "AUTH_PROVIDER", "oauth2", "AUTH_ISSUER", "https://auth.example.com/", "AUTH_AUDIENCE", "gw",
                "AUTH_JWKS_URL", "/jwks.json"))).getMessage();
        assertTrue(relative.contains("auth.jwksUrl must be an absolute URL"), relative);
    }

    @Test
    void aStdioPluginSeesTheGatewaysWholeEnvironmentOnlyWithInheritEnv() throws IOException {
        RunnerConfig config = ConfigLoader.load(write("env.yaml", """
                plugins:
                  - name: github
                    transport: stdio
                    command: npx
                    env: { GITHUB_TOKEN: "${GITHUB_TOKEN}" }
                  - name: trusted
                    transport: stdio
                    command: npx
                    inheritEnv: true
                """), Map.of("GITHUB_TOKEN", "ghp_s3cret"));

        TransportSpec.Stdio github = (TransportSpec.Stdio) config.plugins().get(0).manifest().transport();
        assertFalse(github.inheritEnv(), "a plugin sees only its env and a few variables unless it inherits");
        assertEquals(Map.of("GITHUB_TOKEN", "ghp_s3cret"), github.env());
        assertTrue(((TransportSpec.Stdio) config.plugins().get(1).manifest().transport()).inheritEnv());
        assertError("config error in bad.yaml line 2, column 5: plugins[0]: http plugin 'weather' takes no command, "
                + "args, env or inheritEnv; those are for 'transport: stdio'", """
                plugins:
                  - name: weather
                    transport: http
                    url: http://127.0.0.1:8081/mcp
                    inheritEnv: true
                """);
        assertError("config error in bad.yaml line 5, column 17: plugins[0].inheritEnv: expected true or false, "
                + "got 'sometimes'", """
                plugins:
                  - name: files
                    transport: stdio
                    command: npx
                    inheritEnv: sometimes
                """);
    }
}
