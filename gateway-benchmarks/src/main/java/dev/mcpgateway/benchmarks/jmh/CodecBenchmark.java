package dev.mcpgateway.benchmarks.jmh;

import dev.mcpgateway.jsonrpc.JsonRpcCodec;
import dev.mcpgateway.jsonrpc.JsonRpcMessage;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Decoding and encoding the JSON-RPC envelope of a typical {@code tools/call} request (about 300 bytes: a small
 * arguments object and a {@code _meta} progress token) and of its result (a text block and structured content),
 * from and to UTF-8 bytes as the stdio and HTTP transports call the codec.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CodecBenchmark {
    private static final JsonRpcCodec CODEC = JsonRpcCodec.INSTANCE;

    static final String TOOL_CALL = """
            {"jsonrpc": "2.0", "id": 1842, "method": "tools/call", "params": {
              "name": "files__read_text_file",
              "arguments": {"path": "/srv/projects/gateway/docs/architecture/routing.md", "head": 200,
                            "encoding": "utf-8", "followSymlinks": false},
              "_meta": {"progressToken": "7c0e4f7a-2b1d-4c8e-9a55-3f6d2e1b9c40"}}}
            """;

    static final String TOOL_RESULT = """
            {"jsonrpc": "2.0", "id": 1842, "result": {
              "content": [{"type": "text", "text": "# Routing\\n\\nEvery call is routed against the routing table\
             in force: the exposed name selects the route, the first matching rule splits traffic between its targets\
             by weight, and the target's load balancer picks one healthy instance.\\n\\nTables are immutable and\
             published with one volatile write, so the hot path never locks.\\n"}],
              "structuredContent": {"path": "/srv/projects/gateway/docs/architecture/routing.md", "lines": 200,
                                    "bytes": 8731, "truncated": true, "modified": "2026-11-20T14:03:11Z"},
              "isError": false}}
            """;

    /** Compact UTF-8, as clients and plugins send it. */
    byte[] toolCallBytes;
    byte[] toolResultBytes;
    JsonRpcMessage toolCall;
    JsonRpcMessage toolResult;

    @Setup(Level.Trial)
    public void prepareMessages() {
        toolCall = CODEC.decode(TOOL_CALL);
        toolResult = CODEC.decode(TOOL_RESULT);
        toolCallBytes = CODEC.encode(toolCall);
        toolResultBytes = CODEC.encode(toolResult);
    }

    @Benchmark
    public JsonRpcMessage decodeToolCall() {
        return CODEC.decode(toolCallBytes);
    }

    @Benchmark
    public byte[] encodeToolCall() {
        return CODEC.encode(toolCall);
    }

    @Benchmark
    public JsonRpcMessage decodeToolResult() {
        return CODEC.decode(toolResultBytes);
    }

    @Benchmark
    public byte[] encodeToolResult() {
        return CODEC.encode(toolResult);
    }
}
