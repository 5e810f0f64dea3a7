package dev.mcpgateway.transport.http;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletSseServerTransportProvider;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.ServerCapabilities;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/**
 * A plugin server built with the official MCP Java SDK, served by embedded Tomcat on 127.0.0.1 (ephemeral port):
 * an implementation the gateway shares no code with, in a real servlet container. It runs either the SDK's
 * Streamable HTTP transport ({@link #streamable}) or its legacy 2024-11-05 HTTP+SSE transport ({@link #legacySse}),
 * and records every request that reached the servlet. Tools:
 * <ul>
 * <li>{@code add}: the sum of the numbers {@code a} and {@code b}, as text</li>
 * <li>{@code structured}: the weather of {@code city} as {@code structuredContent}, declared by an {@code outputSchema}</li>
 * <li>{@code boom}: a tool failure, {@code isError: true}</li>
 * <li>{@code grow}: adds the tool {@code grown} at runtime, which the SDK announces with {@code tools/list_changed}</li>
 * </ul>
 */
final class SdkHttpServer implements AutoCloseable {
    /** The {@code serverInfo.name} it reports. */
    static final String NAME = "sdk-http";
    /** The output schema {@code structured} declares. */
    static final String WEATHER_SCHEMA = """
            {"type":"object","properties":{"city":{"type":"string"},"temperature":{"type":"number"},
             "tags":{"type":"array","items":{"type":"string"}}},"required":["city","temperature"]}""";

    private static final String NO_ARGUMENTS = "{\"type\":\"object\"}";
    // Tomcat logs its start and stop at INFO through java.util.logging; held strongly so the levels stick.
    private static final Logger TOMCAT_LOG = Logger.getLogger("org.apache");
    // On stop the web-app class loader warns about threads it did not start: the SDK's Reactor schedulers, which
    // are JVM-wide and meant to outlive one server.
    private static final Logger LEAK_CHECK_LOG = Logger.getLogger("org.apache.catalina.loader");

    static {
        TOMCAT_LOG.setLevel(Level.WARNING);
        LEAK_CHECK_LOG.setLevel(Level.SEVERE);
    }

    /**
     * A request as the servlet answered it.
     *
     * @param sessionId       the {@code Mcp-Session-Id} the client sent, or null
     * @param protocolVersion the {@code MCP-Protocol-Version} the client sent, or null
     * @param status          the HTTP status of the answer
     * @param assignedSession the {@code Mcp-Session-Id} the server answered with, or null
     */
    record Seen(String method, String path, String sessionId, String protocolVersion, int status,
                String assignedSession) {
    }

    private final Tomcat tomcat = new Tomcat();
    private final McpSyncServer mcp;
    private final URI uri;
    private final List<Seen> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger eventStreamsOpened = new AtomicInteger();

    private SdkHttpServer(Path baseDir, HttpServlet servlet, String mapping, String path,
                          Function<AtomicReference<McpSyncServer>, McpSyncServer> build) throws LifecycleException {
        AtomicReference<McpSyncServer> self = new AtomicReference<>();
        this.mcp = build.apply(self);
        self.set(mcp);
        tomcat.setBaseDir(baseDir.toString());
        Connector connector = new Connector("HTTP/1.1");
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        tomcat.setConnector(connector);
        Context context = tomcat.addContext("", null);
        Wrapper wrapper = Tomcat.addServlet(context, "mcp", servlet);
        // Annotations are not scanned for a servlet added as an instance; both SDK transports stream asynchronously.
        wrapper.setAsyncSupported(true);
        context.addServletMapping(mapping, "mcp");
        addFilter(context, this::record);
        try {
            tomcat.start();
        } catch (LifecycleException | RuntimeException e) {
            close();
            throw e;
        }
        this.uri = URI.create("http://127.0.0.1:" + connector.getLocalPort() + path);
    }

    /** The SDK's Streamable HTTP transport at {@code /mcp}. */
    static SdkHttpServer streamable(Path baseDir) throws LifecycleException {
        HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider.builder()
                .mcpEndpoint("/mcp").build();
        return new SdkHttpServer(baseDir, transport, "/mcp", "/mcp",
                self -> withTools(McpServer.sync(transport), self));
    }

    /** The SDK's legacy HTTP+SSE transport: the event stream at {@code /sse}, messages POSTed to {@code /message}. */
    @SuppressWarnings("deprecation") // the SDK deprecates the 2024-11-05 transport; old servers are what is tested
    static SdkHttpServer legacySse(Path baseDir) throws LifecycleException {
        HttpServletSseServerTransportProvider transport = HttpServletSseServerTransportProvider.builder()
                .sseEndpoint("/sse").messageEndpoint("/message").build();
        return new SdkHttpServer(baseDir, transport, "/*", "/sse", self -> withTools(McpServer.sync(transport), self));
    }

    /** The URL a plugin manifest names to reach it. */
    URI uri() {
        return uri;
    }

    /** Every request the servlet answered, in the order it finished with them. */
    List<Seen> requests() {
        return List.copyOf(requests);
    }

    /** How many event streams the servlet opened for a GET: the server can push to a client only through one. */
    int eventStreamsOpened() {
        return eventStreamsOpened.get();
    }

    @Override
    public void close() {
        try {
            if (mcp != null) {
                mcp.close();
            }
        } finally {
            try {
                tomcat.stop();
                tomcat.destroy();
            } catch (LifecycleException e) {
                throw new IllegalStateException("embedded Tomcat did not stop", e);
            }
        }
    }

    private void record(HttpServletRequest request, HttpServletResponse response) {
        requests.add(new Seen(request.getMethod(), request.getRequestURI(), request.getHeader("Mcp-Session-Id"),
                request.getHeader("MCP-Protocol-Version"), response.getStatus(), response.getHeader("Mcp-Session-Id")));
        String type = response.getContentType();
        if ("GET".equals(request.getMethod()) && response.getStatus() == 200 && type != null
                && type.startsWith("text/event-stream")) {
            eventStreamsOpened.incrementAndGet();
        }
    }

    /** Calls {@code after} once the servlet returned (for a stream: once it is open and the servlet went async). */
    private static void addFilter(Context context, BiConsumer<HttpServletRequest, HttpServletResponse> after) {
        Filter filter = (request, response, chain) -> {
            chain.doFilter(request, response);
            after.accept((HttpServletRequest) request, (HttpServletResponse) response);
        };
        FilterDef def = new FilterDef();
        def.setFilterName("record");
        def.setFilter(filter);
        def.setAsyncSupported("true");
        context.addFilterDef(def);
        FilterMap map = new FilterMap();
        map.setFilterName("record");
        map.addURLPattern("/*");
        context.addFilterMap(map);
    }

    private static McpSyncServer withTools(McpServer.SyncSpecification<?> spec, AtomicReference<McpSyncServer> self) {
        McpJsonMapper json = McpJsonDefaults.getMapper();
        return spec.serverInfo(NAME, "2.1.0-test")
                .capabilities(ServerCapabilities.builder().tools(true).build())
                .tools(add(json), structured(json), boom(json), grow(json, self))
                .build();
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
        Tool tool = Tool.builder("structured", json, "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}")
                .description("Reports the weather as structured content")
                .outputSchema(json, WEATHER_SCHEMA)
                .build();
        return SyncToolSpecification.builder().tool(tool).callHandler((exchange, request) -> {
            String city = String.valueOf(request.arguments().getOrDefault("city", "Berlin"));
            Map<String, Object> weather = Map.of("city", city, "temperature", 21.5, "tags", List.of("sunny", "dry"));
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
            // With tools.listChanged declared, addTool itself sends notifications/tools/list_changed to every session.
            self.get().addTool(SyncToolSpecification.builder().tool(grown)
                    .callHandler((e, r) -> CallToolResult.builder().addTextContent("grown").build()).build());
            return CallToolResult.builder().addTextContent("grew").build();
        }).build();
    }

    private static BigDecimal decimal(Object number) {
        return new BigDecimal(String.valueOf(number));
    }
}
