package dev.mcpgateway.transport.stdio.testserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcMessage;
import dev.mcpgateway.jsonrpc.JsonRpcRequest;
import dev.mcpgateway.jsonrpc.JsonRpcResponse;
import dev.mcpgateway.jsonrpc.RequestId;
import dev.mcpgateway.plugin.TransportSpec;
import dev.mcpgateway.transport.ChannelException;
import dev.mcpgateway.transport.MessageChannel;
import dev.mcpgateway.transport.stdio.StdioChannel;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A gateway process whose environment the test sets, holding {@code GATEWAY_SECRET}: it launches three
 * {@link ScriptedServer} plugins in {@code env} mode and prints, one JSON line each, what they see of their
 * environment ({@code plugin}, {@code value} of {@code GATEWAY_SECRET}, {@code envKeys}). {@code plain} is
 * launched as is; {@code configured} gets {@code TOKEN} set to the secret, as the runner does for
 * {@code env: {TOKEN: ${GATEWAY_SECRET}}}; {@code inheriting} inherits the whole environment.
 */
public final class EnvProbeGatewayMain {
    private static final long ANSWER_SECONDS = 20;

    private EnvProbeGatewayMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, TransportSpec.Stdio> plugins = new LinkedHashMap<>();
        plugins.put("plain", ScriptedServer.spec(Map.of(), false, null, "env"));
        plugins.put("configured", ScriptedServer.spec(Map.of("TOKEN", System.getenv("GATEWAY_SECRET")), false, null,
                "env"));
        plugins.put("inheriting", ScriptedServer.spec(Map.of(), true, null, "env"));
        for (var plugin : plugins.entrySet()) {
            ObjectNode seen = (ObjectNode) probe(plugin.getKey(), plugin.getValue());
            seen.put("plugin", plugin.getKey());
            System.out.println(Json.mapper().writeValueAsString(seen));
        }
        System.out.flush();
    }

    private static JsonNode probe(String name, TransportSpec.Stdio spec) throws Exception {
        CompletableFuture<JsonRpcResponse> answer = new CompletableFuture<>();
        StdioChannel channel = new StdioChannel(spec, name);
        channel.start(new MessageChannel.Receiver() {
            @Override
            public void onMessage(JsonRpcMessage message) {
                if (message instanceof JsonRpcResponse response) {
                    answer.complete(response);
                }
            }

            @Override
            public void onInvalid(String reason) {
                answer.completeExceptionally(new IllegalStateException(reason));
            }

            @Override
            public void onClosed(ChannelException cause) {
                answer.completeExceptionally(new IllegalStateException("plugin " + name + " ended", cause));
            }
        });
        try {
            channel.send(new JsonRpcRequest(RequestId.of(1), "env", Json.object().put("name", "GATEWAY_SECRET")))
                    .get(ANSWER_SECONDS, TimeUnit.SECONDS);
            return answer.get(ANSWER_SECONDS, TimeUnit.SECONDS).result();
        } finally {
            channel.close();
        }
    }
}
