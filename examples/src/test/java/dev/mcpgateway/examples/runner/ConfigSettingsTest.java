package dev.mcpgateway.examples.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.GatewayConfig;
import dev.mcpgateway.health.HealthCheckOptions;
import dev.mcpgateway.health.HealthProbe;
import dev.mcpgateway.health.OutlierDetection;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.server.ClientLimits;
import dev.mcpgateway.server.ServerOptions;
import dev.mcpgateway.transport.http.server.HttpFrontDoorOptions;
import dev.mcpgateway.transport.http.server.ServerTls;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The runner's limits, health, front door and TLS settings, read as the library takes them and validated by it. */
class ConfigSettingsTest extends ConfigFileTest {

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
    void thePersistenceSectionIsReadAndItsMistakesAreReportedAtTheirLine() throws IOException {
        RunnerConfig config = ConfigLoader.load(write("pg.yaml", """
                persistence:
                  postgres:
                    host: db.internal
                    password: s3cret
                  reconcileInterval: 2s
                """), NO_ENV);
        assertTrue(config.persistence().enabled());
        assertEquals(Duration.ofSeconds(2), config.gatewayConfig().storeReconcileInterval());
        assertFalse(config.persistence().postgres().toString().contains("s3cret"), "the password is never shown");
        assertFalse(RunnerConfig.defaults().persistence().enabled(), "in memory unless a host is set");
        String bad = message("""
                persistence:
                  reconcileInterval: 0s
                """);
        assertTrue(bad.startsWith("config error in bad.yaml line 2") && bad.contains("storeReconcileInterval"), bad);
    }
}
