package dev.mcpgateway.examples.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.GatewayConfig;
import dev.mcpgateway.balancer.LoadBalancer;
import dev.mcpgateway.health.HealthCheckOptions;
import dev.mcpgateway.health.HealthProbe;
import dev.mcpgateway.health.OutlierDetection;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.naming.ToolNaming;
import dev.mcpgateway.plugin.PluginManifest;
import dev.mcpgateway.plugin.TransportSpec;
import dev.mcpgateway.routing.LabelSelector;
import dev.mcpgateway.routing.RouteTarget;
import dev.mcpgateway.routing.RoutingRule;
import dev.mcpgateway.routing.ToolPattern;
import dev.mcpgateway.routing.VersionConstraint;
import dev.mcpgateway.server.ClientLimits;
import dev.mcpgateway.server.ServerOptions;
import dev.mcpgateway.transport.http.server.HttpFrontDoorOptions;
import dev.mcpgateway.transport.http.server.ServerTls;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** Reading the runner's YAML: the documented format, and a one-line message naming file and line for each mistake. */
class ConfigLoaderTest {
    private static final Map<String, String> NO_ENV = Map.of();

    @TempDir
    Path dir;

    @Test
    void readsTheDocumentedFormatExpandingVariables() throws IOException {
        Path file = write("gateway.yaml", """
                server:   { host: 127.0.0.1, port: 9105 }          # MCP endpoint at /mcp
                plugins:
                  - name: files                                    # namespace of its tools
                    transport: stdio
                    command: java
                    args: ["-cp", "app.jar", "dev.mcpgateway.examples.demo.FilesPlugin"]
                    env: { ROOT: /tmp }
                    instances: 2                                   # stdio: processes side by side
                  - name: weather
                    transport: http
                    url: http://127.0.0.1:${WEATHER_PORT:-8081}/mcp
                    headers: { Authorization: "Bearer ${WEATHER_TOKEN}" }
                routing:  { loadBalancer: least-connections }
                health:   { interval: 500ms }
                """);

        RunnerConfig config = ConfigLoader.load(file, Map.of("WEATHER_TOKEN", "s3cret"));

        assertEquals(RunnerConfig.Server.at("127.0.0.1", 9105), config.server());
        assertEquals(2, config.plugins().size());
        RunnerConfig.Plugin files = config.plugins().get(0);
        assertEquals("files", files.name());
        assertEquals(2, files.instances());
        assertEquals(new TransportSpec.Stdio("java", List.of("-cp", "app.jar",
                "dev.mcpgateway.examples.demo.FilesPlugin"), Map.of("ROOT", "/tmp"), false, null),
                files.manifest().transport());
        RunnerConfig.Plugin weather = config.plugins().get(1);
        assertEquals(1, weather.instances());
        assertEquals(new TransportSpec.Http(URI.create("http://127.0.0.1:8081/mcp"),
                Map.of("Authorization", "Bearer s3cret")), weather.manifest().transport());
        assertEquals("least-connections", config.routing().loadBalancer());
        assertEquals(LoadBalancer.leastConnections(), config.gatewayConfig().loadBalancer());
        assertEquals(Duration.ofMillis(500), config.health().interval());
        assertEquals(Duration.ofMillis(500), config.gatewayConfig().healthChecks().interval());
    }

    @Test
    void leftOutPartsTakeTheirDefaults() throws IOException {
        RunnerConfig config = ConfigLoader.load(write("min.yaml", "plugins: []\n"), NO_ENV);

        assertEquals(RunnerConfig.defaults(), config);
        assertEquals(RunnerConfig.Server.at("127.0.0.1", 9105), config.server());
        assertEquals("round-robin", config.routing().loadBalancer());
        assertEquals(Duration.ofSeconds(10), config.gatewayConfig().healthChecks().interval());
    }

    @Test
    void durationsTakeMillisecondsSecondsMinutesAndHours() {
        assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
        assertEquals(Duration.ofSeconds(10), Durations.parse("10s"));
        assertEquals(Duration.ofMinutes(2), Durations.parse(" 2m "));
        assertEquals(Duration.ofHours(1), Durations.parse("1h"));
        assertEquals("2m", Durations.format(Duration.ofMinutes(2)));
        assertEquals("1500ms", Durations.format(Duration.ofMillis(1500)));
        assertEquals("'10' is not a duration; write a number and a unit, such as 500ms, 10s, 2m or 1h",
                assertThrows(IllegalArgumentException.class, () -> Durations.parse("10")).getMessage());
    }

    @Test
    void anUnknownKeyIsNamedWithWhereItIsAndTheKnownKeys() throws IOException {
        assertError("config error in bad.yaml line 4, column 5: unknown key 'prots' under plugins[0] (known: name, "
                + "namespace, version, labels, transport, command, args, env, inheritEnv, instances, url, headers, "
                + "weight, timeout, toolTimeouts, health, trustAnnotations, credentials)", """
                plugins:
                  - name: files
                    transport: stdio
                    prots: 3
                    command: java
                """);
    }

    @Test
    void anUnknownTopLevelKeySaysSo() throws IOException {
        assertError("config error in bad.yaml line 2, column 1: unknown key 'plugin' at the top level (known: server, "
                + "plugins, routing, health, limits, leases, pluginSessions, auth, access, virtualServers)", """
                server: { port: 9105 }
                plugin: []
                """);
    }

    @Test
    void aValueOfTheWrongTypeSaysWhatWasExpected() throws IOException {
        assertError("config error in bad.yaml line 2, column 9: server.port: expected a whole number, got 'lots'", """
                server:
                  port: lots
                """);
        assertError("config error in bad.yaml line 4, column 11: plugins[0].args: expected a list, such as [a, b]", """
                plugins:
                  - name: files
                    command: java
                    args: -jar
                    transport: stdio
                """);
    }

    @Test
    void aStdioPluginWithoutCommandIsReportedWhereThePluginStarts() throws IOException {
        assertError("config error in bad.yaml line 3, column 5: plugins[1]: stdio plugin 'files' needs a command: add "
                + "'command: <executable>'", """
                plugins:
                  - { name: clock, transport: http, url: "http://127.0.0.1:8081/mcp" }
                  - name: files
                    transport: stdio
                    args: [a]
                """);
    }

    @Test
    void anHttpPluginNeedsAnHttpUrl() throws IOException {
        assertError("config error in bad.yaml line 2, column 5: plugins[0]: http plugin 'weather' has url "
                + "'ftp://example.com/mcp', which is not an http:// or https:// URL with a host, such as "
                + "http://127.0.0.1:8081/mcp", """
                plugins:
                  - name: weather
                    transport: http
                    url: ftp://example.com/mcp
                """);
    }

    @Test
    void aBadDurationSaysWhichFormsWork() throws IOException {
        assertError("config error in bad.yaml line 2, column 13: health.interval: 'soon' is not a duration; write a "
                + "number and a unit, such as 500ms, 10s, 2m or 1h", """
                health:
                  interval: soon
                """);
    }

    @Test
    void anUndefinedVariableIsNamed() throws IOException {
        assertError("config error in bad.yaml line 5, column 31: plugins[0].headers.Authorization: environment variable "
                + "WEATHER_TOKEN is not set; set it or write ${WEATHER_TOKEN:-default}", """
                plugins:
                  - name: weather
                    transport: http
                    url: http://127.0.0.1:8081/mcp
                    headers: { Authorization: "Bearer ${WEATHER_TOKEN}" }
                """);
    }

    @Test
    void otherMistakesAreOneLineToo() throws IOException {
        assertError("config error in bad.yaml line 1, column 10: routing: unknown loadBalancer 'random'; use one of "
                + "round-robin, least-connections, weighted, p2c", "routing: { loadBalancer: random }\n");
        assertError("config error in bad.yaml line 2, column 5: plugins[0]: plugin 'files' needs at least 1 instance, "
                + "got 0", """
                plugins:
                  - { name: files, transport: stdio, command: java, instances: 0 }
                """);
        assertError("config error in bad.yaml line 1, column 54: two plugins are named 'a'; give each a "
                + "distinct name (raise 'instances' to run one plugin several times)", """
                plugins: [{ name: a, transport: stdio, command: x }, { name: a, transport: stdio, command: y }]
                """);
        String invalidYaml = message("server: { port: 1\nplugins: [\n");
        assertFalse(invalidYaml.contains("\n"), invalidYaml);
        assertEquals(true, invalidYaml.startsWith("config error in bad.yaml line "), invalidYaml);
        assertEquals("config error in bad.yaml: the file is empty; see docs/CONFIGURATION.md for the format (server, "
                + "plugins, routing, health, limits, leases, pluginSessions, auth, access, virtualServers)", message("\n"));
        assertEquals("config error: file " + dir.resolve("none.yaml") + " does not exist",
                assertThrows(ConfigException.class, () -> ConfigLoader.load(dir.resolve("none.yaml"), NO_ENV))
                        .getMessage());
    }

    @Test
    void rateLimitsAreReadAsTheGatewayTakesThemAndOffByDefault() throws IOException {
        RunnerConfig config = ConfigLoader.load(write("rates.yaml", """
                limits:
                  rateLimits:
                    perClient: { perSecond: 50, burst: 100 }
                    perTool: [{ match: "files/*", perSecond: 2.5 }]
                """), Map.of("MCP_GATEWAY_LIMITS_RATE_LIMITS_MAX_BUCKETS", "500"));

        dev.mcpgateway.RateLimits limits = config.gatewayConfig().rateLimits();
        assertEquals(new dev.mcpgateway.RateLimits.Rate(50, 100), limits.perClient());
        assertEquals(new dev.mcpgateway.RateLimits.Rate(2.5, 3), limits.perTool().get(0).rate(),
                "the burst defaults to the rate rounded up");
        assertEquals("files/*", limits.perTool().get(0).tools().toString());
        assertEquals(500, limits.maxBuckets());
        assertEquals(dev.mcpgateway.RateLimits.none(), RunnerConfig.defaults().gatewayConfig().rateLimits());
        assertError("config error in bad.yaml line 1, column 23: limits.rateLimits: perSecond must be a finite number"
                + " above 0 (0.5: a call every two seconds), got 0.0",
                "limits: { rateLimits: { perClient: { perSecond: 0 } } }\n");
    }

    @Test
    void callLimitsAreReadAndWhatIsLeftOutTakesTheDefault() throws IOException {
        RunnerConfig config = ConfigLoader.load(write("limits.yaml", """
                limits: { maxInFlight: 500, maxWait: 250ms, retryRatio: 0.1 }
                """), NO_ENV);

        assertEquals(new dev.mcpgateway.CallLimits(500, 1_000, Duration.ofMillis(250), 0.1),
                config.gatewayConfig().callLimits());
        assertEquals(dev.mcpgateway.CallLimits.defaults(), RunnerConfig.defaults().gatewayConfig().callLimits());
        assertError("config error in bad.yaml line 1, column 9: limits: limits.maxInFlight must be at least 1, got 0",
                "limits: { maxInFlight: 0 }\n");
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

    @Test
    void pluginsTakeTheirOwnCallTimeoutsAndTheirToolsToo() throws IOException {
        RunnerConfig config = ConfigLoader.load(write("timeouts.yaml", """
                plugins:
                  - name: weather
                    transport: http
                    url: http://127.0.0.1:8081/mcp
                    timeout: 30s
                    toolTimeouts: { forecast: 5s }
                    trustAnnotations: false
                """), NO_ENV);

        assertEquals(Duration.ofSeconds(5), config.gatewayConfig().callTimeoutOf("weather", "forecast"));
        assertEquals(Duration.ofSeconds(30), config.gatewayConfig().callTimeoutOf("weather", "alerts"));
        assertEquals(Duration.ofSeconds(60), config.gatewayConfig().callTimeoutOf("clock", "now"));
        assertFalse(config.gatewayConfig().trustsAnnotationsOf("weather"), "trustAnnotations: false");
        assertTrue(config.gatewayConfig().trustsAnnotationsOf("clock"), "trusted unless said otherwise");
        assertError("config error in bad.yaml line 2, column 5: plugins[0]: tool 'forecast' of plugin 'weather' needs a"
                + " timeout of at least 1ms, got 0s", """
                plugins:
                  - name: weather
                    transport: http
                    url: http://127.0.0.1:8081/mcp
                    toolTimeouts: { forecast: 0s }
                """);
    }

    @Test
    void healthChecksOutlierDetectionAndTheGracePeriodAreReadAndPluginsOverrideTheProbing() throws IOException {
        RunnerConfig config = ConfigLoader.load(write("health.yaml", """
                health:
                  interval: 5s
                  timeout: 1s
                  unhealthyThreshold: 3
                  gracePeriod: 2m
                  outlierDetection: { consecutiveFailures: 7, baseEjection: 10s, maxEjectedShare: 0.3 }
                plugins:
                  - name: db
                    transport: http
                    url: http://127.0.0.1:8081/mcp
                    health: { tool: status, arguments: { deep: true }, healthyThreshold: 1 }
                  - name: files
                    transport: http
                    url: http://127.0.0.1:8082/mcp
                    health: { probe: tools/list, interval: 30s }
                  - name: quiet
                    transport: http
                    url: http://127.0.0.1:8083/mcp
                    health: { enabled: false }
                """), NO_ENV);
        GatewayConfig gateway = config.gatewayConfig();

        HealthCheckOptions defaults = gateway.healthChecks();
        assertEquals(Duration.ofSeconds(5), defaults.interval());
        assertEquals(Duration.ofSeconds(1), defaults.timeout());
        assertEquals(3, defaults.unhealthyThreshold());
        assertEquals(HealthProbe.protocol(), defaults.probe());
        HealthCheckOptions db = gateway.healthChecksOf("db");
        assertEquals(HealthProbe.callTool("status", Json.object().put("deep", true)), db.probe());
        assertEquals(1, db.healthyThreshold());
        assertEquals(3, db.unhealthyThreshold(), "what a plugin leaves out comes from the health section");
        assertEquals(Duration.ofSeconds(5), db.interval());
        assertEquals(HealthProbe.listTools(), gateway.healthChecksOf("files").probe());
        assertEquals(Duration.ofSeconds(30), gateway.healthChecksOf("files").interval());
        assertFalse(gateway.healthChecksOf("quiet").enabled());
        assertEquals(defaults, gateway.healthChecksOf("elsewhere"));
        assertEquals(Duration.ofMinutes(2), gateway.toolGracePeriod());
        assertEquals(7, gateway.outlierDetection().consecutiveFailures());
        assertEquals(Duration.ofSeconds(10), gateway.outlierDetection().baseEjection());
        assertEquals(0.3, gateway.outlierDetection().maxEjectedShare());
        assertEquals(OutlierDetection.defaults().maxEjection(), gateway.outlierDetection().maxEjection());

        GatewayConfig plain = RunnerConfig.defaults().gatewayConfig();
        assertEquals(HealthCheckOptions.defaults(), plain.healthChecks());
        assertEquals(OutlierDetection.defaults(), plain.outlierDetection());
        assertEquals(GatewayConfig.defaults().toolGracePeriod(), plain.toolGracePeriod());
    }

    @Test
    void badHealthSettingsSayWhatToFix() throws IOException {
        assertError("config error in bad.yaml line 2, column 3: health: the health-check timeout must be positive"
                + " and shorter than the interval (1000 ms), got 2000 ms; shorten the timeout or lengthen the interval",
                """
                health:
                  interval: 1s
                  timeout: 2s
                """);
        assertError("config error in bad.yaml line 5, column 13: plugins[0].health: unknown health probe 'http'; use one"
                + " of [ping, tools/list], or name a tool to call with 'tool: <name>'", """
                plugins:
                  - name: db
                    transport: http
                    url: http://127.0.0.1:8081/mcp
                    health: { probe: http }
                """);
        assertError("config error in bad.yaml line 2, column 5: plugins[0]: plugin 'db' health: unhealthyThreshold"
                + " (failed probes in a row before an instance is taken out of rotation) must be at least 1, got 0", """
                plugins:
                  - name: db
                    transport: http
                    url: http://127.0.0.1:8081/mcp
                    health: { unhealthyThreshold: 0 }
                """);
        assertError("config error in bad.yaml line 1, column 29: health.outlierDetection: outlierDetection.maxEjectedShare"
                + " must be between 0 and 1 (0.5: half of a tool's instances), got 2.0",
                "health: { outlierDetection: { maxEjectedShare: 2 } }\n");
    }

    @Test
    void theFrontDoorLimitsAreRead() throws IOException {
        RunnerConfig config = ConfigLoader.load(write("server.yaml", """
                server: { port: 9300, maxConnections: 100, maxStreamsPerSession: 4 }
                """), NO_ENV);

        HttpFrontDoorOptions options = config.server().frontDoorOptions();
        assertEquals(9300, options.port());
        assertEquals(100, options.maxConnections());
        assertEquals(4, options.maxStreamsPerSession());
        assertEquals(HttpFrontDoorOptions.DEFAULT_MAX_CONNECTIONS,
                RunnerConfig.defaults().server().frontDoorOptions().maxConnections());
        assertError("config error in bad.yaml line 1, column 9: server: server.maxConnections must be at least 1 (the"
                + " default is 8192; keep it below the process's file-descriptor limit), got 0",
                "server: { maxConnections: 0 }\n");
    }

    @Test
    void allowedHostsOriginsAndCorsAreReadAndValidated() throws IOException {
        RunnerConfig config = ConfigLoader.load(write("server.yaml", """
                server:
                  host: 0.0.0.0
                  allowedHosts: [mcp.example.com, "10.0.0.5:9105", "[fd00::5]"]
                  allowedOrigins: ["https://app.example.com"]
                  cors: true
                """), NO_ENV);

        HttpFrontDoorOptions options = config.server().frontDoorOptions();
        assertEquals(List.of("mcp.example.com", "10.0.0.5:9105", "[fd00::5]"), options.allowedHosts());
        assertEquals(List.of("https://app.example.com"), options.allowedOrigins());
        assertTrue(options.cors());
        assertTrue(options.allowsHost("mcp.example.com:9105"));
        assertFalse(options.allowsHost("localhost"), "the list replaces the loopback names");

        HttpFrontDoorOptions defaults = RunnerConfig.defaults().server().frontDoorOptions();
        assertEquals(HttpFrontDoorOptions.LOCAL_HOSTS, defaults.allowedHosts());
        assertEquals(HttpFrontDoorOptions.LOCAL_ORIGINS, defaults.allowedOrigins());
        assertFalse(defaults.cors());
        assertError("config error in bad.yaml line 1, column 9: server: server.allowedHosts entry "
                + "'https://mcp.example.com' is not of the form name, name:port, [ipv6] or [ipv6]:port (an IPv6 "
                + "address in brackets, no scheme or path), or '*' for any host; e.g. mcp.example.com or "
                + "10.0.0.5:9105", "server: { allowedHosts: [\"https://mcp.example.com\"] }\n");
        assertError("config error in bad.yaml line 1, column 9: server: server.allowed origin 'app.example.com' is "
                + "not of the form scheme://host, scheme://host:port or scheme://host:* (no path, not even a trailing "
                + "'/'), or '*' for any origin; e.g. https://app.example.com or http://localhost:*",
                "server: { allowedOrigins: [app.example.com] }\n");
    }

    @Test
    void theLimitsOnWhatClientsHoldAreRead() throws IOException {
        RunnerConfig config = ConfigLoader.load(write("server.yaml", """
                server:
                  maxBodyBytesInFlight: 33554432
                  maxSessions: 500
                  maxSessionsPerClient: 20
                  maxCallsPerSession: 10
                  maxBatchSize: 5
                  sessionIdleTimeout: 2m
                """), NO_ENV);

        assertEquals(32 * 1024 * 1024, config.server().frontDoorOptions().maxBodyBytesInFlight());
        ServerOptions options = config.server().serverOptions();
        assertEquals(new ClientLimits(500, 20, 10, 5), options.clientLimits());
        assertEquals(Duration.ofMinutes(2), options.sessionIdleTimeout());
        assertEquals(ServerOptions.defaults(), RunnerConfig.defaults().server().serverOptions());
        assertEquals(HttpFrontDoorOptions.defaults(), RunnerConfig.defaults().server().frontDoorOptions());
        assertError("config error in bad.yaml line 1, column 9: server: server.maxSessionsPerClient (200) must not "
                + "exceed maxSessions (100); lower it or raise maxSessions",
                "server: { maxSessions: 100, maxSessionsPerClient: 200 }\n");
        assertError("config error in bad.yaml line 1, column 9: server: server.maxBodyBytesInFlight must be at least "
                + "maxRequestBytes (4194304), or the largest body accepted could never be admitted; raise it, or leave "
                + "it unset for a sixteenth of the heap; got 1024", "server: { maxBodyBytesInFlight: 1024 }\n");
        assertError("config error in bad.yaml line 1, column 9: server: server.sessionIdleTimeout must be positive, "
                + "got PT0S", "server: { sessionIdleTimeout: 0s }\n");
    }

    @Test
    void tlsIsReadFromPemFilesOrAKeyStoreWithItsPasswordFromTheEnvironment() throws IOException {
        Path certificate = write("cert.pem", "not parsed until the server starts");
        Path key = write("key.pem", "not parsed until the server starts");
        Path store = write("server.p12", "not parsed until the server starts");

        RunnerConfig pem = ConfigLoader.load(write("pem.yaml", "server: { tls: { certificate: '" + certificate
                + "', privateKey: '" + key + "' } }\n"), NO_ENV);
        assertEquals(ServerTls.pem(certificate, key), pem.server().frontDoorOptions().tls());

        RunnerConfig keyStore = ConfigLoader.load(write("p12.yaml", "server: { tls: { keyStore: '" + store
                + "', keyStorePassword: '${STORE_PASSWORD}' } }\n"), Map.of("STORE_PASSWORD", "s3cret"));
        assertEquals(ServerTls.keyStore(store, "s3cret"), keyStore.server().frontDoorOptions().tls());
        assertEquals(null, RunnerConfig.defaults().server().frontDoorOptions().tls(), "plain HTTP by default");
        assertEquals(ServerTls.keyStore(store, "s3cret"),
                keyStore.server().withAddress("0.0.0.0", 8443).frontDoorOptions().tls(), "an address override keeps it");

        assertError("config error in bad.yaml line 1, column 16: server.tls: server.tls takes either certificate and "
                + "privateKey (PEM files) or keyStore and keyStorePassword (PKCS#12), not both",
                "server: { tls: { certificate: '" + certificate + "', privateKey: '" + key + "', keyStore: '" + store
                        + "' } }\n");
        assertError("config error in bad.yaml line 1, column 16: server.tls: server.tls.privateKey is missing; name a "
                + "file", "server: { tls: { certificate: '" + certificate + "' } }\n");
        assertError("config error in bad.yaml line 1, column 16: server.tls: server.tls.keyStore '/nowhere.p12' is not "
                + "a readable file", "server: { tls: { keyStore: /nowhere.p12, keyStorePassword: x } }\n");
        assertError("config error in bad.yaml line 1, column 16: server.tls: server.tls.keyStorePassword is missing; "
                + "give it as ${VAR} so it stays out of the file", "server: { tls: { keyStore: '" + store + "' } }\n");
    }

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
    void theSettingsEveryLibraryOptionNeedsAreReadAndValidated() throws IOException {
        RunnerConfig config = ConfigLoader.load(write("all.yaml", """
                server:
                  path: /gateway
                  maxRequestBytes: 1048576
                  maxRequestHeaderBytes: 8192
                  sseKeepAlive: 20s
                  idleTimeout: 2m
                  requestHeaderTimeout: 5s
                  requestBodyTimeout: 30s
                  instructions: Use the files tools for documents.
                  pageSize: 50
                  listChangedDebounce: 100ms
                  defaultCacheTtl: 1m
                  inputRequiredTimeout: 2m
                  maxSuspendedCalls: 10
                health:
                  recheckInterval: 500ms
                  jitter: 0.2
                  outlierDetection:
                    failureRateThreshold: 0.3
                    minimumCalls: 20
                    window: 30s
                    latencyFactor: 4
                    trialCalls: 2
                    failInFlightOnEjection: false
                leases: { checkInterval: 2s, evictionMaxShare: 0.5, evictionWindow: 2m }
                pluginSessions: { handshakeTimeout: 20s, probeModern: false, restartBackoffMin: 1s,
                                  restartBackoffMax: 1m }
                """), NO_ENV);

        HttpFrontDoorOptions http = config.server().frontDoorOptions();
        assertEquals("/gateway", http.path());
        assertEquals(1048576, http.maxRequestBytes());
        assertEquals(8192, http.maxRequestHeaderBytes());
        assertEquals(Duration.ofSeconds(20), http.sseKeepAlive());
        assertEquals(Duration.ofMinutes(2), http.idleTimeout());
        assertEquals(Duration.ofSeconds(5), http.requestHeaderTimeout());
        assertEquals(Duration.ofSeconds(30), http.requestBodyTimeout());
        ServerOptions server = config.server().serverOptions();
        assertEquals("Use the files tools for documents.", server.instructions());
        assertEquals(50, server.pageSize());
        assertEquals(Duration.ofMillis(100), server.listChangedDebounce());
        assertEquals(Duration.ofMinutes(1), server.defaultCacheTtl());
        assertEquals(Duration.ofMinutes(2), server.inputRequiredTimeout());
        assertEquals(10, server.maxSuspendedCalls());
        GatewayConfig gateway = config.gatewayConfig();
        assertEquals(Duration.ofMillis(500), gateway.healthChecks().recheckInterval());
        assertEquals(0.2, gateway.healthChecks().jitter());
        OutlierDetection outliers = gateway.outlierDetection();
        assertEquals(0.3, outliers.failureRateThreshold());
        assertEquals(20, outliers.minimumCalls());
        assertEquals(Duration.ofSeconds(30), outliers.window());
        assertEquals(4.0, outliers.latencyFactor());
        assertEquals(2, outliers.trialCalls());
        assertFalse(outliers.failInFlightOnEjection());
        assertEquals(Duration.ofSeconds(2), gateway.leaseCheckInterval());
        assertEquals(0.5, gateway.leaseEvictionMaxShare());
        assertEquals(Duration.ofMinutes(2), gateway.leaseEvictionWindow());
        assertEquals(Duration.ofSeconds(20), gateway.sessionOptions().handshakeTimeout());
        assertFalse(gateway.sessionOptions().probeModern());
        assertEquals(Duration.ofSeconds(1), gateway.sessionOptions().restartBackoffMin());
        assertEquals(Duration.ofMinutes(1), gateway.sessionOptions().restartBackoffMax());

        assertError("config error in bad.yaml line 2, column 3: server: server.path must start with '/' and hold no "
                + "query, fragment, spaces or non-ASCII characters, such as /mcp; got 'mcp'",
                "server:\n  path: mcp\n");
        assertError("config error in bad.yaml line 1, column 9: leases: leases: leaseEvictionWindow must be at least "
                + "leaseCheckInterval (PT5S), or every lease check would get a fresh eviction budget; lengthen it "
                + "(default 60 s) or, to evict every lapsed lease at once, set leaseEvictionMaxShare to 1; got PT1S",
                "leases: { checkInterval: 5s, evictionWindow: 1s }\n");
        assertError("config error in bad.yaml line 1, column 17: pluginSessions: pluginSessions: restartBackoffMax "
                + "(PT1S) must not be shorter than restartBackoffMin (PT2S)",
                "pluginSessions: { restartBackoffMin: 2s, restartBackoffMax: 1s }\n");
        assertError("config error in bad.yaml line 1, column 34: health.jitter: expected a number such as 0.5, got "
                + "'lots'", "health: { interval: 10s, jitter: lots }\n");
    }

    @Test
    void theShippedExampleConfigurationsAreValid() throws IOException {
        List<Path> shipped;
        try (var files = Files.list(Path.of("config"))) {
            shipped = files.filter(file -> file.toString().endsWith(".yaml")).sorted().toList();
        }
        assertFalse(shipped.isEmpty(), "examples/config holds the example configurations");
        for (Path file : shipped) {
            RunnerConfig config = ConfigLoader.load(file, Map.of("GATEWAY_JAR", "mcp-gateway.jar"));
            assertFalse(config.plugins().isEmpty(), file + " configures plugins");
        }
    }

    @Test
    void routingRulesToolNamingAndPluginVersionsAreTheJavaApis() throws IOException {
        RunnerConfig config = ConfigLoader.load(write("routing.yaml", """
                plugins:
                  - name: weather
                    namespace: forecast
                    version: 2.1.0
                    labels: { region: eu, tier: canary }
                    transport: http
                    url: http://127.0.0.1:8081/mcp
                routing:
                  toolNaming: prefix-on-conflict
                  rules:
                    - name: weather-canary
                      match: forecast/*
                      loadBalancer: least-connections
                      targets:
                        - { weight: 90, versions: "<2" }
                        - { weight: 10, versions: "${CANARY:->=2.0.0}", labels: "region in (eu,us)" }
                    - match: "*"
                      targets: [{}]
                limits: { callTimeout: 20s }
                """), NO_ENV);

        GatewayConfig gateway = config.gatewayConfig();
        assertEquals(List.of(
                RoutingRule.forTools("forecast/*").name("weather-canary").loadBalancer(LoadBalancer.leastConnections())
                        .target(RouteTarget.versions("<2").weight(90))
                        .target(RouteTarget.versions(">=2.0.0").withLabels("region in (eu,us)").weight(10))
                        .build(),
                RoutingRule.forTools("*").target(RouteTarget.all()).build()), gateway.routingRules());
        assertEquals(ToolNaming.prefixOnConflict(), gateway.toolNaming());
        assertEquals(Duration.ofSeconds(20), gateway.callTimeout());
        PluginManifest manifest = config.plugins().getFirst().manifest();
        assertEquals("forecast", manifest.namespace());
        assertEquals("2.1.0", manifest.version());
        assertEquals(Map.of("region", "eu", "tier", "canary"), manifest.labels());
        assertTrue(gateway.routingRules().getFirst().targets().get(1).admits(manifest));
        assertFalse(gateway.routingRules().getFirst().targets().get(0).admits(manifest));
    }

    @Test
    void leftOutRoutingAndCallTimeoutTakeTheLibraryDefaults() throws IOException {
        GatewayConfig gateway = ConfigLoader.load(write("min.yaml", "routing: { rules: [] }\n"), NO_ENV)
                .gatewayConfig();
        GatewayConfig defaults = GatewayConfig.defaults();

        assertEquals(defaults.routingRules(), gateway.routingRules());
        assertEquals(defaults.toolNaming(), gateway.toolNaming());
        assertEquals(defaults.callTimeout(), gateway.callTimeout());
        assertEquals("0.0.0", RunnerConfig.Plugin.http("w", URI.create("http://h/mcp"), Map.of()).manifest().version());
    }

    @Test
    void aBadRoutingValueIsReportedAtTheValueWithTheLibrarysMessage() throws IOException {
        assertError("config error in bad.yaml line 2, column 15: routing.toolNaming: unknown tool naming 'short'; use"
                + " one of [namespaced, prefix-on-conflict, unprefixed]", """
                routing:
                  toolNaming: short
                """);
        assertError("config error in bad.yaml line 3, column 14: routing.rules[0].match: " + message(() ->
                ToolPattern.parse("/read")), """
                routing:
                  rules:
                    - match: /read
                      targets: [{}]
                """);
        assertError("config error in bad.yaml line 4, column 29: routing.rules[0].targets[0].versions: " + message(() ->
                VersionConstraint.parse(">=two")), """
                routing:
                  rules:
                    - match: files
                      targets: [{ versions: ">=two" }]
                """);
        assertError("config error in bad.yaml line 4, column 27: routing.rules[0].targets[0].labels: " + message(() ->
                LabelSelector.parse("region in eu")), """
                routing:
                  rules:
                    - match: files
                      targets: [{ labels: region in eu }]
                """);
        assertError("config error in bad.yaml line 3, column 37: routing.rules[0].loadBalancer: unknown load balancer "
                + "'random'; use one of [round-robin, least-connections, weighted, p2c]", """
                routing:
                  rules:
                    - { match: files, loadBalancer: random, targets: [{}] }
                """);
        assertError("config error in bad.yaml line 2, column 3: limits: limits.callTimeout must be at least 1ms, got "
                + "0s", """
                limits:
                  callTimeout: 0s
                """);
    }

    @Test
    void anIncompleteRuleIsReportedWhereItStarts() throws IOException {
        assertError("config error in bad.yaml line 3, column 7: routing.rules[0]: routing rule 'canary' needs match: "
                + "the tools it governs, such as 'match: weather/*'", """
                routing:
                  rules:
                    - name: canary
                      targets: [{}]
                """);
        assertError("config error in bad.yaml line 3, column 7: routing.rules[0]: routing rule 'files/*' has no "
                + "targets; add at least one, such as 'targets: [{ weight: 1 }]'", """
                routing:
                  rules:
                    - match: files/*
                """);
        assertError("config error in bad.yaml line 3, column 7: routing.rules[0]: routing rule 'files': all target "
                + "weights are 0; give at least one target a positive weight", """
                routing:
                  rules:
                    - match: files
                      targets: [{ weight: 0 }]
                """);
        assertError("config error in bad.yaml line 3, column 33: routing.rules[0].targets[0]: a route target's weight "
                + "must be between 0 and 1000000, got -1", """
                routing:
                  rules:
                    - { match: files, targets: [{ weight: -1 }] }
                """);
    }

    @Test
    void aDuplicateNameIsReportedAtTheDuplicate() throws IOException {
        assertError("config error in bad.yaml line 5, column 5: two plugins are named 'files'; give each a distinct "
                + "name (raise 'instances' to run one plugin several times)", """
                plugins:
                  - name: files
                    transport: stdio
                    command: java
                  - name: files
                    transport: stdio
                    command: node
                """);
        assertError("config error in bad.yaml line 6, column 7: routing: two routing rules are named 'canary'; give "
                + "each rule a distinct name", """
                routing:
                  rules:
                    - name: canary
                      match: files
                      targets: [{}]
                    - name: canary
                      match: weather
                      targets: [{}]
                """);
    }

    @Test
    void aTabInIndentationIsReportedAtItsLine() throws IOException {
        assertError("config error in bad.yaml line 3, column 1: YAML does not allow tabs for indentation; use spaces",
                "plugins:\n  - name: files\n\ttransport: stdio\n");
    }

    private static String message(Executable parse) {
        return assertThrows(IllegalArgumentException.class, parse).getMessage();
    }

    private void assertError(String expected, String yaml) throws IOException {
        assertEquals(expected, message(yaml));
    }

    private String message(String yaml) throws IOException {
        Path file = write("bad.yaml", yaml);
        return assertThrows(ConfigException.class, () -> ConfigLoader.load(file, NO_ENV)).getMessage();
    }

    private Path write(String name, String yaml) throws IOException {
        return Files.writeString(dir.resolve(name), yaml);
    }
}
