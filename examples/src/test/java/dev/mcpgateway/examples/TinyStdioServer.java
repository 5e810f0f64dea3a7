package dev.mcpgateway.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A stdio MCP plugin in one small class, written against the specification rather than any MCP library: one
 * JSON-RPC message per line on stdin/stdout, the 2025-06-18 handshake, and two tools: {@code greet}, which answers
 * {@code Hello, <name>!}, and {@code count}, which reports {@code steps} progress notifications (when the call
 * carries a progress token) before it answers {@code counted <steps>}. It answers methods it does not know (the
 * gateway's stateless-era probe among them) with -32601, ignores notifications, and exits when stdin ends.
 */
public final class TinyStdioServer {
    /** The {@code serverInfo.name} it reports. */
    static final String NAME = "tiny-stdio";

    private static final ObjectMapper JSON = new ObjectMapper();

    private TinyStdioServer() {
    }

    /** Serves until stdin ends; takes no arguments. */
    public static void main(String[] args) throws IOException {
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode message = JSON.readTree(line);
            if (!message.hasNonNull("id") || !message.has("method")) {
                continue;
            }
            ObjectNode response = JSON.createObjectNode().put("jsonrpc", "2.0");
            response.set("id", message.get("id"));
            answer(message.path("method").asText(), message.path("params"), response, out);
            send(out, response);
        }
    }

    /** Writes one message on its own line. */
    private static void send(PrintStream out, ObjectNode message) {
        try {
            out.println(JSON.writeValueAsString(message));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.flush();
    }

    private static void answer(String method, JsonNode params, ObjectNode response, PrintStream out) {
        switch (method) {
            case "initialize" -> {
                ObjectNode result = response.putObject("result").put("protocolVersion", "2025-06-18");
                result.putObject("capabilities").putObject("tools");
                result.putObject("serverInfo").put("name", NAME).put("version", "1.0.0");
            }
            case "ping" -> response.putObject("result");
            case "tools/list" -> {
                ArrayNode tools = response.putObject("result").putArray("tools");
                ObjectNode greet = tools.addObject().put("name", "greet").put("description", "Greets someone by name");
                ObjectNode schema = greet.putObject("inputSchema").put("type", "object");
                schema.putObject("properties").putObject("name").put("type", "string");
                schema.putArray("required").add("name");
                ObjectNode count = tools.addObject().put("name", "count")
                        .put("description", "Counts to steps, reporting progress at each step");
                count.putObject("inputSchema").put("type", "object")
                        .putObject("properties").putObject("steps").put("type", "integer");
            }
            case "tools/call" -> {
                String tool = params.path("name").asText();
                if ("greet".equals(tool)) {
                    String name = params.path("arguments").path("name").asText("stranger");
                    response.putObject("result").putArray("content").addObject()
                            .put("type", "text").put("text", "Hello, " + name + "!");
                } else if ("count".equals(tool)) {
                    int steps = params.path("arguments").path("steps").asInt(1);
                    JsonNode token = params.path("_meta").get("progressToken");
                    for (int step = 1; token != null && step <= steps; step++) {
                        ObjectNode progress = JSON.createObjectNode().put("jsonrpc", "2.0")
                                .put("method", "notifications/progress");
                        progress.putObject("params").put("progress", step).put("total", steps)
                                .put("message", "step " + step).set("progressToken", token);
                        send(out, progress);
                    }
                    response.putObject("result").putArray("content").addObject()
                            .put("type", "text").put("text", "counted " + steps);
                } else {
                    response.putObject("error").put("code", -32602).put("message", "Unknown tool: " + tool);
                }
            }
            default -> response.putObject("error").put("code", -32601).put("message", "Method not found: " + method);
        }
    }
}
