package dev.mcpgateway.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcpgateway.GatewayConfig;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.balancer.LoadBalancer;
import dev.mcpgateway.inprocess.InProcessPlugin;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.naming.ToolNaming;
import dev.mcpgateway.routing.ExposedTool;
import dev.mcpgateway.routing.RouteTarget;
import dev.mcpgateway.routing.RoutingRule;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs the code the README shows, so the README cannot drift from the API. Keep the two in step. */
class ReadmeExamplesTest {

    @Test
    void embeddingInTenLines() {
        try (McpGateway gateway = McpGateway.builder().build()) {
            gateway.registerInProcess(InProcessPlugin.builder("calc").version("1.0.0")
                    .tool("add", "Adds a and b", (args, ctx) ->
                            CallToolResult.text(String.valueOf(args.path("a").asLong() + args.path("b").asLong())))
                    .build()).join();

            assertEquals(List.of("calc__add"), gateway.listTools().stream().map(ExposedTool::exposedName).toList());
            assertEquals("5", gateway.callTool("calc__add", Json.object().put("a", 2).put("b", 3)).join().firstText());
        }
    }

    @Test
    void configurationExample() {
        GatewayConfig config = GatewayConfig.builder()
                .loadBalancer(LoadBalancer.leastConnections())
                .routingRule(RoutingRule.forTools("github/*").name("v2-canary")
                        .target(RouteTarget.versions("1.x").weight(90))
                        .target(RouteTarget.versions(">=2.0.0 <3").weight(10))
                        .build())
                .routingRule(RoutingRule.forTools("filesystem/*")
                        .target(RouteTarget.labels("cluster=files")).build())
                .toolNaming(ToolNaming.namespaced())
                .build();

        assertEquals(2, config.routingRules().size());
        assertEquals("least-connections", config.loadBalancer().name());
    }
}
