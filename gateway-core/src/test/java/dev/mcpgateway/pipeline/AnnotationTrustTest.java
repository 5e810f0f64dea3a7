package dev.mcpgateway.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.GatewayConfig;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.inprocess.InProcessPlugin;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcException;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.mcp.Tool;
import dev.mcpgateway.mcp.ToolAnnotations;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A read-only tool whose connection broke mid-call is retried on another instance only when its plugin's annotations
 * are trusted (MCP: annotations are untrusted unless they come from a trusted server); a call that never reached the
 * plugin is retried either way.
 */
class AnnotationTrustTest {
    private final List<String> attempts = new CopyOnWriteArrayList<>();
    private McpGateway gateway;

    @AfterEach
    void close() {
        gateway.close();
    }

    @Test
    void aReadOnlyToolOfATrustedPluginIsRetriedAfterItsConnectionBroke() {
        start(GatewayConfig.builder().build());

        assertEquals("looked up", gateway.callTool("calc__lookup", Json.object()).join().firstText());
        assertEquals(List.of("calc-1", "calc-2"), attempts);
    }

    @Test
    void aReadOnlyToolOfAnUntrustedPluginIsNotRetriedAfterItsConnectionBroke() {
        start(GatewayConfig.builder().distrustAnnotations("calc").build());

        CompletionException failed = assertThrows(CompletionException.class,
                () -> gateway.callTool("calc__lookup", Json.object()).join());
        JsonRpcException broken = assertInstanceOf(JsonRpcException.class, failed.getCause());
        assertEquals(ErrorCodes.UPSTREAM_UNAVAILABLE, broken.code());
        assertEquals(List.of("calc-1"), attempts, "its readOnlyHint was not taken on trust");
        assertTrue(gateway.config().trustsAnnotationsOf("other"));
    }

    /** Two instances of a plugin with a read-only tool; the first attempt of each call breaks mid-call. */
    private void start(GatewayConfig config) {
        gateway = McpGateway.builder().config(config)
                .attemptInterceptor(chain -> {
                    attempts.add(chain.routed().endpoint().id());
                    return chain.attempt() == 1
                            ? CompletableFuture.failedFuture(new JsonRpcException(ErrorCodes.UPSTREAM_UNAVAILABLE,
                                    "the connection broke mid-call"))
                            : chain.proceed(chain.call());
                })
                .build();
        Tool lookup = Tool.builder("lookup").description("Looks up")
                .annotations(new ToolAnnotations(null, true, false, null, false)).build();
        for (int i = 0; i < 2; i++) {
            gateway.registerInProcess(InProcessPlugin.builder("calc")
                    .tool(lookup, (args, ctx) -> CallToolResult.text("looked up")).build()).join();
        }
    }
}
