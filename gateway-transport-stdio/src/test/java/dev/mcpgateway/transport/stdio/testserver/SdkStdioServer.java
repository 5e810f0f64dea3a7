package dev.mcpgateway.transport.stdio.testserver;

import dev.mcpgateway.plugin.TransportSpec;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.ServerCapabilities;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A plugin server built with the official MCP Java SDK (sync server, stdio transport), run as a child process so
 * the gateway is tested against an implementation it shares nothing with. Tools:
 * <ul>
 * <li>{@code add}: the sum of the numbers {@code a} and {@code b}, as text</li>
 * <li>{@code structured}: {@link #WEATHER} as {@code structuredContent}, declared by an {@code outputSchema}</li>
 * <li>{@code boom}: a tool failure, {@code isError: true}</li>
 * <li>{@code grow}: adds the tool {@code grown} at runtime and announces it with {@code tools/list_changed}</li>
 * </ul>
 * It exits once its stdin ends, as MCP's stdio shutdown expects.
 */
public final class SdkStdioServer {
    /** The {@code serverInfo.name} it reports. */
    public static final String NAME = "sdk-interop";
    /** What {@code structured} returns as structured content (for {@code city} Berlin). */
    public static final Map<String, Object> WEATHER = weather("Berlin");

    private static final String NO_ARGUMENTS = "{\"type\":\"object\"}";

    private SdkStdioServer() {
    }

    /** How the tests launch it. */
    public static TransportSpec.Stdio spec() {
        return JavaMain.spec(SdkStdioServer.class);
    }

    /** Serves MCP with the SDK on stdin/stdout until stdin ends; takes no arguments. */
    public static void main(String[] args) throws InterruptedException {
        McpJsonMapper json = McpJsonDefaults.getMapper();
        CountDownLatch stdinEnded = new CountDownLatch(1);
        AtomicReference<McpSyncServer> self = new AtomicReference<>();
        McpSyncServer server = McpServer.sync(new StdioServerTransportProvider(json, endSignalling(System.in, stdinEnded),
                        System.out))
                .serverInfo(NAME, "2.1.0-test")
                .capabilities(ServerCapabilities.builder().tools(true).build())
                .tools(add(json), structured(json), boom(json), grow(json, self))
                .build();
        self.set(server);
        stdinEnded.await();
        server.close();
        // The SDK's own executor threads would keep the JVM alive a while longer; the client is gone, so leave.
        System.exit(0);
    }

    private static SyncToolSpecification add(McpJsonMapper json) {
        Tool tool = Tool.builder("add", json, """
                        {"type":"object","properties":{"a":{"type":"number"},"b":{"type":"number"}},"required":["a","b"]}
                        """).description("Adds two numbers").build();
        return SyncToolSpecification.builder().tool(tool).callHandler((exchange, request) -> {
            BigDecimal sum = decimal(request.arguments().get("a")).add(decimal(request.arguments().get("b")));
            return CallToolResult.builder().addTextContent(sum.stripTrailingZeros().toPlainString()).build();
        }).build();
    }

    private static SyncToolSpecification structured(McpJsonMapper json) {
        Tool tool = Tool.builder("structured", json, """
                        {"type":"object","properties":{"city":{"type":"string"}}}
                        """)
                .description("Reports the weather as structured content")
                .outputSchema(json, """
                        {"type":"object","properties":{"city":{"type":"string"},"temperature":{"type":"number"},
                         "tags":{"type":"array","items":{"type":"string"}}},"required":["city","temperature"]}
                        """)
                .build();
        return SyncToolSpecification.builder().tool(tool).callHandler((exchange, request) -> {
            Object city = request.arguments().getOrDefault("city", "Berlin");
            Map<String, Object> weather = weather(String.valueOf(city));
            return CallToolResult.builder().addTextContent("weather in " + city).structuredContent(weather).build();
        }).build();
    }

    private static SyncToolSpecification boom(McpJsonMapper json) {
        Tool tool = Tool.builder("boom", json, NO_ARGUMENTS).description("Always fails").build();
        return SyncToolSpecification.builder().tool(tool).callHandler((exchange, request) ->
                CallToolResult.builder().addTextContent("boom: it failed on purpose").isError(true).build()).build();
    }

    private static SyncToolSpecification grow(McpJsonMapper json, AtomicReference<McpSyncServer> self) {
        Tool tool = Tool.builder("grow", json, NO_ARGUMENTS).description("Adds the tool 'grown'").build();
        return SyncToolSpecification.builder().tool(tool).callHandler((exchange, request) -> {
            Tool grown = Tool.builder("grown", json, NO_ARGUMENTS).description("Added at runtime").build();
            self.get().addTool(SyncToolSpecification.builder().tool(grown)
                    .callHandler((e, r) -> CallToolResult.builder().addTextContent("grown").build()).build());
            // addTool announces the change itself when tools.listChanged is declared; asking again shows that
            // a repeated notification is harmless, and keeps the test independent of that SDK detail.
            self.get().notifyToolsListChanged();
            return CallToolResult.builder().addTextContent("grew").build();
        }).build();
    }

    private static Map<String, Object> weather(String city) {
        return Map.of("city", city, "temperature", 21.5, "tags", List.of("sunny", "dry"));
    }

    private static BigDecimal decimal(Object number) {
        return new BigDecimal(String.valueOf(number));
    }

    /** The stream, counting {@code ended} down when it reports its end. */
    private static InputStream endSignalling(InputStream in, CountDownLatch ended) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                return signal(super.read());
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                return signal(super.read(buffer, offset, length));
            }

            private int signal(int result) {
                if (result < 0) {
                    ended.countDown();
                }
                return result;
            }
        };
    }
}
