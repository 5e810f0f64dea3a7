package dev.mcpgateway.examples.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.GatewayConfig;
import dev.mcpgateway.balancer.LoadBalancer;
import dev.mcpgateway.naming.ToolNaming;
import dev.mcpgateway.plugin.PluginManifest;
import dev.mcpgateway.routing.LabelSelector;
import dev.mcpgateway.routing.RouteTarget;
import dev.mcpgateway.routing.RoutingRule;
import dev.mcpgateway.routing.ToolPattern;
import dev.mcpgateway.routing.VersionConstraint;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The runner's routing settings read as the library's routing rules, naming and versions, and their mistakes. */
class ConfigRoutingTest extends ConfigFileTest {

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
}
