package dev.mcpgateway.examples.demo;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.GatewayConfig;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.inprocess.InProcessPlugin;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.naming.ToolNaming;

/**
 * What the example plugins share: a gateway serving one in-process plugin under its tools' bare names, and JSON
 * schemas for their tools' inputs.
 */
public final class DemoServers {
    private DemoServers() {
    }

    /**
     * A gateway serving {@code plugin} alone, with its tools exposed under their own names ({@code list_files}
     * rather than {@code files__list_files}): a gateway in front of this server adds its own namespace.
     */
    public static McpGateway gatewayServing(InProcessPlugin plugin) {
        McpGateway gateway = McpGateway.builder()
                .config(GatewayConfig.builder().toolNaming(ToolNaming.unprefixed()).build())
                .build();
        try {
            gateway.registerInProcess(plugin).join();
            return gateway;
        } catch (RuntimeException e) {
            gateway.close();
            throw e;
        }
    }

    /** An object schema with the given required properties and no others required; add properties to it. */
    public static ObjectNode objectSchema(String... required) {
        ObjectNode schema = Json.object().put("type", "object");
        schema.putObject("properties");
        if (required.length > 0) {
            ArrayNode names = schema.putArray("required");
            for (String name : required) {
                names.add(name);
            }
        }
        return schema;
    }

    /** Adds a property of the given JSON type and description to an {@link #objectSchema}. */
    public static ObjectNode property(ObjectNode schema, String name, String type, String description) {
        schema.withObjectProperty("properties").putObject(name).put("type", type).put("description", description);
        return schema;
    }
}
