package dev.mcpgateway.examples.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mcpgateway.balancer.LoadBalancer;
import dev.mcpgateway.plugin.TransportSpec;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading the runner's YAML: the documented format, and a one-line message naming file and line for each mistake. */
class ConfigLoaderTest extends ConfigFileTest {

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
                + "plugins, routing, health, limits, leases, pluginSessions, auth, access, virtualServers, "
                + "persistence, accessLog, metrics, tracing)", """
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
                + "plugins, routing, health, limits, leases, pluginSessions, auth, access, virtualServers, "
                + "persistence, accessLog, metrics, tracing)", message("\n"));
        assertEquals("config error: file " + dir.resolve("none.yaml") + " does not exist",
                assertThrows(ConfigException.class, () -> ConfigLoader.load(dir.resolve("none.yaml"), NO_ENV))
                        .getMessage());
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
}
