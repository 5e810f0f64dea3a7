package dev.mcpgateway.examples.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which edits only a restart applies, named as YAML paths against the configuration the gateway started with. */
class RestartSettingsTest {
    @Test
    void eachSettingFixedAtStartIsNamedByItsPath() {
        RunnerConfig started = parse("""
                server: { port: 9105 }
                plugins:
                  - { name: files, transport: stdio, command: java, timeout: 10s }
                routing:
                  rules: [{ match: "files/*", targets: [{}] }]
                """);
        RunnerConfig next = parse("""
                server: { port: 9106, allowedOrigins: ["https://app.example.com"] }
                plugins:
                  - { name: files, transport: stdio, command: java, timeout: 20s, trustAnnotations: false }
                  - { name: notes, transport: stdio, command: notes, health: { interval: 1s } }
                routing:
                  toolNaming: unprefixed
                  rules: []
                health: { interval: 5s, outlierDetection: { consecutiveFailures: 3 } }
                limits: { maxInFlight: 10 }
                """);

        assertEquals(List.of("server.port", "server.allowedOrigins", "routing.toolNaming",
                        "health.outlierDetection.consecutiveFailures", "limits.maxInFlight"),
                RestartSettings.changed(started, next), "timeouts, trust and health checks apply live");
    }

    @Test
    void pluginsAndRulesAloneNeedNoRestart() {
        RunnerConfig started = parse("plugins: [{ name: a, transport: stdio, command: a }]\n");
        RunnerConfig next = parse("""
                plugins: [{ name: b, transport: stdio, command: b }]
                routing: { rules: [{ match: "b/*", targets: [{}] }] }
                """);

        assertEquals(List.of(), RestartSettings.changed(started, next));
    }

    private static RunnerConfig parse(String yaml) {
        return ConfigLoader.parse("test.yaml", yaml, Map.of());
    }
}
