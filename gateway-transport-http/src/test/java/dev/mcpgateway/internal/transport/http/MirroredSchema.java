package dev.mcpgateway.internal.transport.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.jsonrpc.Json;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The tool schema the {@code Mcp-Param-*} tests share, on both sides of the gateway: {@code region} (string),
 * {@code shard} (integer), {@code dry} (boolean) and the nested {@code target.zone} (string) are mirrored into the
 * headers {@code Region}, {@code Shard}, {@code Dry-Run} and {@code Zone}; {@code query} is not.
 */
public final class MirroredSchema {
    /** The {@code inputSchema}, as JSON text. */
    public static final String JSON = """
            {"type":"object","properties":{
              "region":{"type":"string","x-mcp-header":"Region"},
              "shard":{"type":"integer","x-mcp-header":"Shard"},
              "dry":{"type":"boolean","x-mcp-header":"Dry-Run"},
              "target":{"type":"object","properties":{"zone":{"type":"string","x-mcp-header":"Zone"}}},
              "query":{"type":"string"}}}""";

    private MirroredSchema() {
    }

    /** The {@code inputSchema} as a fresh tree. */
    public static ObjectNode tree() {
        try {
            return (ObjectNode) Json.mapper().readTree(JSON);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A {@code tools/list} entry with this schema, as JSON text. */
    public static String tool(String name) {
        return "{\"name\":\"" + name + "\",\"inputSchema\":" + JSON + "}";
    }
}
