package dev.mcpgateway.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.GatewayConfig;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.balancer.LoadBalancer;
import dev.mcpgateway.health.Health;
import dev.mcpgateway.health.HealthCheckOptions;
import dev.mcpgateway.health.HealthProbe;
import dev.mcpgateway.inprocess.InProcessPlugin;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcException;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.routing.RouteTarget;
import dev.mcpgateway.routing.RoutingRule;
import dev.mcpgateway.testing.Await;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A running gateway takes a new configuration: what it can change applies at once, the rest is named and kept. */
class ReconfigureTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final CountDownLatch release = new CountDownLatch(1);
    private final GatewayConfig started = GatewayConfig.builder()
            .healthChecks(HealthCheckOptions.builder().interval(Duration.ofHours(1)).build())
            .build();
    private final McpGateway gateway = McpGateway.builder().config(started).build();
    private final PluginInstance work = gateway.registerInProcess(InProcessPlugin.builder("work")
            .tool("wait", "Returns once the test releases it", (args, ctx) -> {
                release.await();
                return CallToolResult.text("released");
            })
            .tool("broken", "Always fails", (args, ctx) -> CallToolResult.error("broken"))
            .build()).join();

    @AfterEach
    void close() {
        release.countDown();
        gateway.close();
    }

    @Test
    void aPluginsCallTimeoutAppliesToTheNextCall() {
        List<String> kept = gateway.reconfigure(GatewayConfig.builder()
                .healthChecks(started.healthChecks())
                .callTimeout("work", "wait", Duration.ofMillis(50)).build()).join();

        assertEquals(List.of(), kept);
        CompletionException error = assertThrows(CompletionException.class,
                () -> gateway.callTool("work__wait", Json.object()).join());
        assertEquals(ErrorCodes.UPSTREAM_TIMEOUT, assertInstanceOf(JsonRpcException.class, error.getCause()).code());
        assertEquals(Duration.ofMillis(50), gateway.config().callTimeoutOf("work", "wait"));
    }

    @Test
    void settingsTheGatewayWasBuiltFromAreNamedAndKept() {
        List<String> kept = gateway.reconfigure(GatewayConfig.builder()
                .healthChecks(started.healthChecks())
                .loadBalancer(LoadBalancer.leastConnections())
                .toolGracePeriod(Duration.ZERO)
                .callTimeout(Duration.ofSeconds(5)).build()).join();

        assertEquals(List.of("loadBalancer", "toolGracePeriod"), kept);
        assertEquals("round-robin", gateway.config().loadBalancer().name());
        assertEquals(started.toolGracePeriod(), gateway.config().toolGracePeriod());
        assertEquals(Duration.ofSeconds(5), gateway.config().callTimeout(), "what can change did");
    }

    @Test
    void rulesChangeWithTheConfigurationAndTheConfigurationShowsRulesReplacedAlone() {
        RoutingRule all = RoutingRule.forTools("work/*").name("all").target(RouteTarget.all()).build();
        gateway.reconfigure(GatewayConfig.builder().healthChecks(started.healthChecks()).routingRule(all).build())
                .join();
        assertEquals(List.of("all"), gateway.routingRules().stream().map(RoutingRule::name).toList());
        assertEquals("all", gateway.routingTable().routeByExposedName("work__wait").rule().name());

        gateway.replaceRoutingRules(List.of()).join();
        assertEquals(List.of(), gateway.config().routingRules(), "config() says what is in force");
    }

    @Test
    void newHealthCheckOptionsReplaceThoseOfTheirPluginsInstances() {
        gateway.reconfigure(GatewayConfig.builder().healthChecks(started.healthChecks())
                .healthChecks("work", HealthCheckOptions.builder().interval(Duration.ofMillis(20))
                        .recheckInterval(Duration.ofMillis(20)).jitter(0)
                        .probe(HealthProbe.callTool("broken", Json.object())).build())
                .build()).join();

        Await.until("the new deep probe found the instance unhealthy", WAIT,
                () -> gateway.registry().instance(work.id()).orElseThrow().health() == Health.UNHEALTHY);
        assertTrue(gateway.registry().instance(work.id()).orElseThrow().healthReason().contains("broken"),
                gateway.registry().instance(work.id()).orElseThrow().healthReason());
    }
}
