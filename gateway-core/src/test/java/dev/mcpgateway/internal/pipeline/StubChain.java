package dev.mcpgateway.internal.pipeline;

import dev.mcpgateway.ToolCall;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.pipeline.CallInterceptor;
import dev.mcpgateway.routing.Router;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** A call interceptor's chain for unit tests: one call, not routed, whose rest of the chain is a function. */
record StubChain(ToolCall call, Function<ToolCall, CompletableFuture<CallToolResult>> rest)
        implements CallInterceptor.Chain {
    @Override
    public Router.Routed routed() {
        return null;
    }

    @Override
    public int attempt() {
        return 0;
    }

    @Override
    public CompletableFuture<CallToolResult> proceed(ToolCall next) {
        return rest.apply(next);
    }
}
