package dev.mcpgateway.transport.stdio.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.inprocess.InProcessPlugin;
import dev.mcpgateway.inprocess.ToolContext;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.mcp.Tool;
import java.math.BigDecimal;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The in-process plugin the stdio server tests serve, named {@value #NAME}. Tools (exposed as
 * {@code calc__<tool>}):
 * <ul>
 * <li>{@code add}: the sum of the numbers {@code a} and {@code b}, as text</li>
 * <li>{@code count}: reports progress {@code 1 … steps} of {@code steps}, then answers {@code counted <steps>}</li>
 * <li>{@code wait}: answers {@code released} once the gate opens, or fails after {@value #WAIT_SECONDS} s</li>
 * </ul>
 */
final class CalcPlugin {
    static final String NAME = "calc";
    static final int WAIT_SECONDS = 20;
    /** The input schema of {@code add}. */
    static final ObjectNode ADD_SCHEMA = schema("""
            {"type":"object","properties":{"a":{"type":"number"},"b":{"type":"number"}},"required":["a","b"]}""");

    private CalcPlugin() {
    }

    /** Holds calls of {@code wait} until it opens. */
    static final class Gate {
        private final CountDownLatch open = new CountDownLatch(1);

        /** A gate that is already open: {@code wait} answers at once. */
        static Gate opened() {
            Gate gate = new Gate();
            gate.open();
            return gate;
        }

        /** Lets every waiting and later call of {@code wait} answer. */
        void open() {
            open.countDown();
        }

        private void pass() throws InterruptedException {
            if (!open.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never opened the gate");
            }
        }
    }

    /** The plugin, its {@code wait} tool held by {@code gate}. */
    static InProcessPlugin create(Gate gate) {
        return InProcessPlugin.builder(NAME)
                .tool(Tool.builder("add").description("Adds two numbers").inputSchema(ADD_SCHEMA.deepCopy()).build(),
                        (arguments, context) -> CallToolResult.text(sum(arguments)))
                .tool("count", "Counts to 'steps', reporting progress", CalcPlugin::count)
                .tool("wait", "Answers once the test lets it", (arguments, context) -> {
                    gate.pass();
                    return CallToolResult.text("released");
                })
                .build();
    }

    private static ObjectNode schema(String json) {
        try {
            return (ObjectNode) Json.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static String sum(JsonNode arguments) {
        BigDecimal a = arguments.path("a").decimalValue();
        BigDecimal b = arguments.path("b").decimalValue();
        return a.add(b).stripTrailingZeros().toPlainString();
    }

    private static CallToolResult count(JsonNode arguments, ToolContext context) {
        int steps = arguments.path("steps").asInt(1);
        for (int step = 1; step <= steps; step++) {
            context.progress(step, (double) steps, "step " + step);
        }
        return CallToolResult.text("counted " + steps);
    }
}
