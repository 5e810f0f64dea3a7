package dev.mcpgateway.benchmarks.jmh;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.auth.AccessPolicy;
import dev.mcpgateway.auth.AccessPolicy.Who;
import dev.mcpgateway.auth.Principal;
import dev.mcpgateway.inprocess.InProcessPlugin;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcRequest;
import dev.mcpgateway.jsonrpc.JsonRpcResponse;
import dev.mcpgateway.jsonrpc.RequestId;
import dev.mcpgateway.server.McpServer;
import dev.mcpgateway.server.MessageSink;
import dev.mcpgateway.server.ServerOptions;
import dev.mcpgateway.server.ServerSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What per-tool authorization costs a client session of the MCP server: a {@code tools/call} of an in-process tool
 * and a {@code tools/list} of 1,000 tools (20 plugins of 50), with no policy ({@code none}) or a policy of four
 * rules whose last grants the token's own {@code tools:<pattern>} scopes ({@code policy}; the token may use 2 of
 * the 20 plugins). The call's difference is the check on the call path; the list's, filtering the catalogue;
 * {@code decide} is the policy's decision alone.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AccessBenchmark {
    static final int PLUGINS = 20;
    static final int TOOLS_PER_PLUGIN = 50;
    static final Principal PRINCIPAL = new Principal("bench", "https://auth.example.test/", "bench-app",
            Set.of("mcp:use", "tools:" + Fleet.pluginName(3) + "/*", "tools:" + Fleet.pluginName(7) + "/*"),
            Set.of("gateway"), null, Map.of("groups", List.of("engineering")));

    @Param({"none", "policy"})
    public String access;

    McpGateway gateway;
    McpServer server;
    ServerSession session;
    JsonRpcRequest call;
    JsonRpcRequest list;
    AccessPolicy policy;
    /** Every tool's namespace and name, in listing order, for the bare decision. */
    String[][] tools;
    private int next;

    @Setup(Level.Trial)
    public void start() {
        policy = switch (access) {
            case "none" -> AccessPolicy.ALLOW_ALL;
            case "policy" -> AccessPolicy.builder()
                    .deny("*/delete_*", Who.claim("groups", "contractors"))
                    .allow("admin/*", Who.scope("admin"))
                    .allow("docs/*", Who.anyone())
                    .allow("*", Who.grantedByScopes("tools:"))
                    .build();
            default -> throw new IllegalArgumentException("access must be 'none' or 'policy', got '" + access + "'");
        };
        gateway = McpGateway.builder().build();
        List<InProcessPlugin> plugins = new ArrayList<>();
        for (int p = 0; p < PLUGINS; p++) {
            plugins.add(Fleet.plugin(Fleet.pluginName(p), "1.0.0", TOOLS_PER_PLUGIN));
        }
        Fleet.registerAll(gateway, plugins);
        server = McpServer.create(gateway, ServerOptions.defaults().withAccessPolicy(policy).withPageSize(10_000));
        session = server.newSession("principal bench", PRINCIPAL);
        ObjectNode initialize = Json.object().put("protocolVersion", "2025-06-18");
        initialize.putObject("clientInfo").put("name", "bench").put("version", "1");
        session.handle(new JsonRpcRequest(RequestId.of(0), "initialize", initialize), MessageSink.NONE).join();
        String tool = gateway.listTools().stream().map(t -> t.exposedName())
                .filter(name -> name.startsWith(Fleet.pluginName(7))).findFirst().orElseThrow();
        ObjectNode params = Json.object().put("name", tool);
        params.putObject("arguments");
        call = new JsonRpcRequest(RequestId.of(1), "tools/call", params);
        list = new JsonRpcRequest(RequestId.of(2), "tools/list", Json.object());
        tools = gateway.listTools().stream().map(t -> new String[] {t.key().namespace(), t.key().name()})
                .toArray(String[][]::new);
    }

    @TearDown(Level.Trial)
    public void stop() {
        server.close();
        gateway.close();
    }

    /** One call of a tool the token may use. */
    @Benchmark
    public JsonRpcResponse call() {
        return session.handle(call, MessageSink.NONE).join();
    }

    /** The decision alone, for the next tool of the rotation: the part of a call or a list entry the policy adds. */
    @Benchmark
    public boolean decide() {
        int i = next;
        next = i + 1 == tools.length ? 0 : i + 1;
        return policy.allows(PRINCIPAL, tools[i][0], tools[i][1]);
    }

    /** The whole list as the token sees it: 1,000 tools, or the 100 of its two plugins. */
    @Benchmark
    public JsonRpcResponse list() {
        return session.handle(list, MessageSink.NONE).join();
    }
}
