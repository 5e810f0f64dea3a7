package dev.mcpgateway.internal.transport.http.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.event.GatewayEventRecord;
import dev.mcpgateway.jsonrpc.Json;
import java.util.List;

/**
 * {@code GET /api/v1/events?limit=}: the gateway's recent control-plane events ({@link McpGateway#recentEvents()}),
 * newest first, for operators and the dashboard.
 */
final class EventsRoute {
    /** Events answered when the request names no {@code limit}. */
    static final int DEFAULT_LIMIT = 50;
    /** The largest {@code limit}: more than the gateway keeps is never needed. */
    static final int MAX_LIMIT = 200;

    private EventsRoute() {
    }

    static RouteReply recent(McpGateway gateway, ApiRequest request) {
        int limit = (int) request.queryLong("limit", 1, MAX_LIMIT, DEFAULT_LIMIT);
        List<GatewayEventRecord> events = gateway.recentEvents();
        ObjectNode body = Json.object();
        ArrayNode list = body.putArray("events");
        for (GatewayEventRecord event : events.subList(0, Math.min(limit, events.size()))) {
            list.addObject().put("time", event.time().toString()).put("kind", event.kind().label())
                    .put("instance", event.instanceId()).put("plugin", event.plugin()).put("from", event.from())
                    .put("to", event.to()).put("reason", event.reason());
        }
        return RouteReply.json(200, body);
    }
}
