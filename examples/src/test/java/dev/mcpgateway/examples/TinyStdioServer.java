package dev.mcpgateway.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * A stdio MCP plugin in one small class, written against the specification rather than any MCP library: one
 * JSON-RPC message per line on stdin/stdout, the 2025-06-18 handshake, and one tool, {@code greet}, which answers
 * {@code Hello, <name>!}. It answers methods it does not know (the gateway's stateless-era probe among them) with
 * -32601, ignores notifications, and exits when stdin ends.
 */
public final class TinyStdioServer {
    /** The {@code serverInfo.name} it reports. */
    static final String NAME = "tiny-stdio";

    private static final ObjectMapper JSON = new ObjectMapper();

    private TinyStdioServer() {
    }

    /** The command that runs it as a child JVM on the test class path. */
    static List<String> command() {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), TinyStdioServer.class.getName());
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
            answer(message.path("method").asText(), message.path("params"), response);
            out.println(JSON.writeValueAsString(response));
            out.flush();
        }
    }

    private static void answer(String method, JsonNode params, ObjectNode response) {
        switch (method) {
            case "initialize" -> {
                ObjectNode result = response.putObject("result").put("protocolVersion", "2025-06-18");
                result.putObject("capabilities").putObject("tools");
                result.putObject("serverInfo").put("name", NAME).put("version", "1.0.0");
            }
            case "ping" -> response.putObject("result");
            case "tools/list" -> {
                ObjectNode greet = response.putObject("result").putArray("tools").addObject()
                        .put("name", "greet").put("description", "Greets someone by name");
                ObjectNode schema = greet.putObject("inputSchema").put("type", "object");
                schema.putObject("properties").putObject("name").put("type", "string");
                schema.putArray("required").add("name");
            }
            case "tools/call" -> {
                if ("greet".equals(params.path("name").asText())) {
                    String name = params.path("arguments").path("name").asText("stranger");
                    response.putObject("result").putArray("content").addObject()
                            .put("type", "text").put("text", "Hello, " + name + "!");
                } else {
                    response.putObject("error").put("code", -32602)
                            .put("message", "Unknown tool: " + params.path("name").asText());
                }
            }
            default -> response.putObject("error").put("code", -32601).put("message", "Method not found: " + method);
        }
    }
}
