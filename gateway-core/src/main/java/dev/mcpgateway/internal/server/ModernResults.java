package dev.mcpgateway.internal.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.mcp.CacheHint;
import dev.mcpgateway.mcp.ProtocolVersions;
import java.util.Set;

/** What the 2026-07-28 era adds to every result the gateway answers a request of that era with. */
final class ModernResults {
    /** Lists whose aggregated 2026-07-28 results carry the hints of the plugins behind them. */
    private static final Set<String> AGGREGATED_LISTS = Set.of("tools/list", "prompts/list", "resources/list",
            "resources/templates/list");
    /** Results that must carry caching hints for a 2026-07-28 client (when complete). */
    private static final Set<String> CACHEABLE = Set.of("server/discover", "tools/list", "prompts/list",
            "resources/list", "resources/templates/list", "resources/read");
    private static final CacheHint PRIVATE = new CacheHint(null, CacheHint.Scope.PRIVATE);

    private ModernResults() {
    }

    /**
     * A 2026-07-28 result as that era requires: {@code resultType}, the gateway's {@code serverInfo} in {@code _meta},
     * and on complete cacheable results {@code ttlMs} and {@code cacheScope}. A shallow copy: the result may be
     * shared (a cached one), and only its top level changes.
     */
    static JsonNode stamped(ServerEngine engine, CatalogView view, String method, JsonNode body) {
        if (!(body instanceof ObjectNode object)) {
            return body;
        }
        ObjectNode stamped = Json.object();
        stamped.setAll(object);
        if (!stamped.has("resultType")) {
            stamped.put("resultType", "complete");
        }
        ObjectNode meta = Json.object();
        if (object.get("_meta") instanceof ObjectNode existing) {
            meta.setAll(existing);
        }
        meta.set(ProtocolVersions.META_SERVER_INFO, engine.serverInfoJson());
        stamped.set("_meta", meta);
        if (CACHEABLE.contains(method) && "complete".equals(stamped.path("resultType").asText())) {
            CacheHint hint = AGGREGATED_LISTS.contains(method)
                    ? engine.catalog(engine.gateway().routingTable()).hint(method) : CacheHint.NONE;
            if (view.personal() && AGGREGATED_LISTS.contains(method)) {
                hint = hint.and(PRIVATE); // lists filtered for who asks must not be served to others
            }
            hint.writeTo(stamped, engine.options().defaultCacheTtl(), CacheHint.Scope.PUBLIC);
        }
        return stamped;
    }
}
