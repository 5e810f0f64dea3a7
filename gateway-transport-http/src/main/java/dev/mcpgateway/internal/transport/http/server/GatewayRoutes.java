package dev.mcpgateway.internal.transport.http.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.health.Health;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.mcp.Implementation;
import dev.mcpgateway.plugin.InstanceStatus;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.plugin.RegistrationSource;
import dev.mcpgateway.routing.RoutingTable;
import dev.mcpgateway.server.McpServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * The gateway's own status routes, for orchestrators and operators rather than MCP clients: liveness
 * ({@code /healthz}), readiness ({@code /readyz}) and the version and summary ({@code /api/v1/gateway}). Each reads
 * the registry's and routing table's current snapshots, which are lock-free, so probes cost no call to a plugin.
 */
final class GatewayRoutes {
    private final McpServer server;
    private final McpGateway gateway;
    private final BooleanSupplier closing;
    private final Clock clock;
    private final Instant startedAt;

    /** The routes of the server's gateway; {@code closing} says when the front door began to shut down. */
    GatewayRoutes(McpServer server, BooleanSupplier closing, Clock clock) {
        this.server = server;
        this.gateway = server.gateway();
        this.closing = closing;
        this.clock = clock;
        this.startedAt = clock.instant();
    }

    /** Liveness: {@code 200 {"status":"UP"}} while the front door serves, {@code 503 DOWN} once it is closing. */
    RouteReply health() {
        boolean down = closing.getAsBoolean();
        return RouteReply.json(down ? 503 : 200, Json.object().put("status", down ? "DOWN" : "UP"));
    }

    /**
     * Readiness: {@code 200} when every required plugin has at least one routable instance (status {@code UP},
     * not {@code UNHEALTHY}), else {@code 503} listing the plugins that have none with each instance's status,
     * health and the reason health checking gave. The plugins the host or the runner's configuration declared are
     * required: one whose every instance is down leaves tools the gateway was set up to serve unanswerable, so a
     * balancer should send clients to another gateway. Plugins that registered themselves over the API are not:
     * they come and go on their own leases, and one going away is no reason to take the whole gateway out of
     * rotation. A gateway with no required plugins is ready (nothing it serves is missing); one that is closing is
     * not.
     */
    RouteReply ready() {
        if (closing.getAsBoolean()) {
            return RouteReply.json(503, Json.object().put("status", "DOWN")
                    .put("reason", "the gateway is shutting down"));
        }
        Map<String, List<PluginInstance>> byPlugin = gateway.registry().instances().stream()
                .filter(instance -> instance.source() != RegistrationSource.API)
                .collect(Collectors.groupingBy(PluginInstance::pluginName, TreeMap::new, Collectors.toList()));
        ArrayNode notReady = Json.mapper().createArrayNode();
        byPlugin.forEach((plugin, instances) -> {
            if (instances.stream().noneMatch(PluginInstance::isRoutable)) {
                ArrayNode list = notReady.addObject().put("plugin", plugin).putArray("instances");
                for (PluginInstance instance : instances) {
                    list.addObject().put("id", instance.id()).put("status", instance.status().name())
                            .put("health", instance.health().name()).put("reason", instance.healthReason());
                }
            }
        });
        ObjectNode body = Json.object().put("status", notReady.isEmpty() ? "UP" : "DOWN");
        if (!notReady.isEmpty()) {
            body.set("notReady", notReady);
        }
        return RouteReply.json(notReady.isEmpty() ? 200 : 503, body);
    }

    /**
     * The gateway's name and version (as its MCP server reports them in {@code serverInfo}), the Java version, the
     * build (the library's version from its jar manifest or module, null when run from classes; the Java vendor;
     * since when this front door serves and for how long), and counts: instances by status and health, plugins,
     * tools listed, and calls in flight on the instances.
     */
    RouteReply summary() {
        Implementation info = server.options().serverInfo();
        ObjectNode body = Json.object().put("name", info.name()).put("version", info.version())
                .put("java", Runtime.version().toString());
        body.putObject("build")
                .put("gatewayVersion", libraryVersion())
                .put("javaVendor", System.getProperty("java.vendor"))
                .put("startedAt", startedAt.toString())
                .put("uptimeSeconds", Duration.between(startedAt, clock.instant()).toSeconds());
        List<PluginInstance> instances = gateway.registry().instances();
        ObjectNode counts = body.putObject("instances").put("total", instances.size())
                .put("routable", instances.stream().filter(PluginInstance::isRoutable).count());
        ObjectNode byStatus = counts.putObject("byStatus");
        for (InstanceStatus status : InstanceStatus.values()) {
            byStatus.put(status.name(), instances.stream().filter(i -> i.status() == status).count());
        }
        ObjectNode byHealth = counts.putObject("byHealth");
        for (Health health : Health.values()) {
            byHealth.put(health.name(), instances.stream().filter(i -> i.health() == health).count());
        }
        body.put("plugins", instances.stream().map(PluginInstance::pluginName).distinct().count());
        RoutingTable table = gateway.routingTable();
        body.put("tools", table.tools().size());
        body.put("callsInFlight", InstanceView.callsInFlight(table).values().stream().mapToInt(Integer::intValue)
                .sum());
        return RouteReply.json(200, body);
    }

    /** The gateway library's version: its jar manifest's {@code Implementation-Version}, else its module's, or null. */
    private static String libraryVersion() {
        String version = McpGateway.class.getPackage().getImplementationVersion();
        if (version == null && McpGateway.class.getModule().getDescriptor() != null) {
            version = McpGateway.class.getModule().getDescriptor().rawVersion().orElse(null);
        }
        return version;
    }
}
