package dev.mcpgateway.transport.stdio.testserver;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.plugin.TransportSpec;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A small but real MCP server (legacy era, stdio) for the gateway's end-to-end tests, written against the spec
 * with plain Jackson so it shares no code with the gateway. It runs as a child process, handles one message at a
 * time on its main thread and exits when its stdin ends. Like real servers, it logs a notification before it
 * answers {@code initialize}. Tools:
 * <ul>
 * <li>{@code echo}: returns {@code arguments.text} as text and as {@code structuredContent}, its pid in the
 *     result's {@code _meta}, and a member MCP does not define ({@code x-mini})</li>
 * <li>{@code fail}: a tool failure, {@code isError: true}</li>
 * <li>{@code crash}: exits with code {@value #CRASH_EXIT_CODE} without answering</li>
 * <li>{@code hang}: never answers; a {@code notifications/cancelled} for it is written to stderr as
 *     {@code cancelled <id>} and remembered</li>
 * <li>{@code cancelled_ids}: the hanging requests cancelled so far, as {@code {cancelled: [{requestId, tool}]}}</li>
 * <li>{@code garbage}: writes {@code arguments.lines} (1 if not given) non-JSON lines to stdout and as many lines to
 *     stderr, then answers</li>
 * <li>{@code progress}: sends three {@code notifications/progress} with the request's progress token, then answers</li>
 * <li>{@code add_tool}: adds the tool {@code extra}, answers, then sends {@code notifications/tools/list_changed}</li>
 * <li>{@code meta}: answers with the request's {@code _meta} as {@code structuredContent}</li>
 * </ul>
 */
public final class MiniMcpServer {
    /** The exit code of the {@code crash} tool. */
    public static final int CRASH_EXIT_CODE = 3;
    /** The {@code serverInfo.name} it reports. */
    public static final String NAME = "mini-mcp";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> VERSIONS = List.of("2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05");
    private static final int METHOD_NOT_FOUND = -32601;
    private static final int INVALID_PARAMS = -32602;

    private final PrintStream out;
    /** Requests of {@code hang} that were not cancelled yet: the id as JSON text, to the tool name. */
    private final Map<String, String> hanging = new HashMap<>();
    private final ArrayNode cancelled = JSON.createArrayNode();
    private boolean extraTool;

    private MiniMcpServer(PrintStream out) {
        this.out = out;
    }

    /** How the tests launch it. */
    public static TransportSpec.Stdio spec() {
        return JavaMain.spec(MiniMcpServer.class);
    }

    /** The definition of {@code echo} as {@code tools/list} sends it. */
    public static ObjectNode echoDefinition() {
        ObjectNode tool = JSON.createObjectNode().put("name", "echo").put("description", "Echoes arguments.text");
        ObjectNode input = tool.putObject("inputSchema").put("type", "object");
        input.putObject("properties").putObject("text").put("type", "string");
        input.putArray("required").add("text");
        ObjectNode output = tool.putObject("outputSchema").put("type", "object");
        ObjectNode properties = output.putObject("properties");
        properties.putObject("echoed").put("type", "string");
        properties.putObject("length").put("type", "integer");
        tool.putObject("annotations").put("readOnlyHint", true);
        return tool;
    }

    /** Serves MCP on stdin/stdout until stdin ends; takes no arguments. */
    public static void main(String[] args) throws IOException {
        PrintStream stdout = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        MiniMcpServer server = new MiniMcpServer(stdout);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            server.handle(line);
        }
        // stdin ended: the client is gone, and MCP's stdio shutdown expects the server to exit now.
    }

    private void handle(String line) {
        JsonNode message;
        try {
            message = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            System.err.println("unparseable line: " + line);
            return;
        }
        String method = message.path("method").asText(null);
        JsonNode id = message.get("id");
        JsonNode params = message.path("params");
        if (method == null) {
            return; // a response to a request this server never sends
        }
        if (id == null) {
            notification(method, params);
            return;
        }
        switch (method) {
            case "initialize" -> initialize(id, params);
            case "ping" -> answer(id, JSON.createObjectNode());
            case "tools/list" -> answer(id, toolList());
            case "tools/call" -> call(id, params);
            default -> error(id, METHOD_NOT_FOUND, "Method not found: " + method);
        }
    }

    private void notification(String method, JsonNode params) {
        if (!"notifications/cancelled".equals(method)) {
            return; // notifications/initialized and the like need nothing
        }
        JsonNode requestId = params.path("requestId");
        String tool = hanging.remove(requestId.toString());
        if (tool != null) {
            System.err.println("cancelled " + requestId);
            cancelled.addObject().put("tool", tool).set("requestId", requestId);
        }
    }

    private void initialize(JsonNode id, JsonNode params) {
        send(notificationOf("notifications/message", JSON.createObjectNode().put("level", "info")
                .put("logger", NAME).put("data", "starting up")));
        String requested = params.path("protocolVersion").asText();
        ObjectNode result = JSON.createObjectNode()
                .put("protocolVersion", VERSIONS.contains(requested) ? requested : VERSIONS.get(0));
        result.putObject("capabilities").putObject("tools").put("listChanged", true);
        result.putObject("serverInfo").put("name", NAME).put("version", "1.0.0");
        answer(id, result);
    }

    private ObjectNode toolList() {
        ObjectNode result = JSON.createObjectNode();
        ArrayNode tools = result.putArray("tools");
        tools.add(echoDefinition());
        for (String name : List.of("fail", "crash", "hang", "cancelled_ids", "garbage", "progress", "add_tool", "meta")) {
            tools.add(simpleTool(name));
        }
        if (extraTool) {
            tools.add(simpleTool("extra"));
        }
        return result;
    }

    private static ObjectNode simpleTool(String name) {
        ObjectNode tool = JSON.createObjectNode().put("name", name).put("description", "Test tool " + name);
        tool.putObject("inputSchema").put("type", "object");
        return tool;
    }

    private void call(JsonNode id, JsonNode params) {
        String tool = params.path("name").asText();
        JsonNode arguments = params.path("arguments");
        switch (tool) {
            case "echo" -> answer(id, echo(arguments.path("text").asText()));
            case "fail" -> {
                ObjectNode result = text("fail: the tool failed on purpose").put("isError", true);
                result.putObject("structuredContent").put("reason", "on purpose");
                answer(id, result);
            }
            case "crash" -> {
                System.err.println("crashing on purpose");
                System.exit(CRASH_EXIT_CODE);
            }
            case "hang" -> hanging.put(id.toString(), tool);
            case "cancelled_ids" -> {
                ObjectNode result = text("cancelled: " + cancelled);
                result.putObject("structuredContent").set("cancelled", cancelled.deepCopy());
                answer(id, result);
            }
            case "garbage" -> {
                for (int i = arguments.path("lines").asInt(1); i > 0; i--) {
                    out.print("this line is not JSON-RPC {\n");
                    System.err.println("a line on stderr");
                }
                answer(id, text("after garbage"));
            }
            case "progress" -> progress(id, params.path("_meta").get("progressToken"));
            case "meta" -> {
                ObjectNode result = text("meta");
                result.set("structuredContent", params.path("_meta").deepCopy());
                answer(id, result);
            }
            case "add_tool" -> {
                extraTool = true;
                answer(id, text("added extra"));
                send(notificationOf("notifications/tools/list_changed", null));
            }
            case "extra" -> {
                if (extraTool) {
                    answer(id, text("extra"));
                } else {
                    error(id, INVALID_PARAMS, "Unknown tool: extra");
                }
            }
            default -> error(id, INVALID_PARAMS, "Unknown tool: " + tool);
        }
    }

    private static ObjectNode echo(String text) {
        ObjectNode result = text(text);
        result.putObject("structuredContent").put("echoed", text).put("length", text.length());
        result.putObject("_meta").put("pid", ProcessHandle.current().pid());
        result.putObject("x-mini").putArray("nested").add(1).add("two");
        return result;
    }

    private void progress(JsonNode id, JsonNode token) {
        if (token == null) {
            answer(id, text("progress: the request carried no _meta.progressToken").put("isError", true));
            return;
        }
        for (int step = 1; step <= 3; step++) {
            ObjectNode params = JSON.createObjectNode().put("progress", step).put("total", 3)
                    .put("message", "step " + step + " of 3");
            params.set("progressToken", token);
            send(notificationOf("notifications/progress", params));
        }
        answer(id, text("progressed"));
    }

    private static ObjectNode text(String text) {
        ObjectNode result = JSON.createObjectNode();
        result.putArray("content").addObject().put("type", "text").put("text", text);
        return result;
    }

    private static ObjectNode notificationOf(String method, ObjectNode params) {
        ObjectNode message = JSON.createObjectNode().put("jsonrpc", "2.0").put("method", method);
        if (params != null) {
            message.set("params", params);
        }
        return message;
    }

    private void answer(JsonNode id, ObjectNode result) {
        ObjectNode message = JSON.createObjectNode().put("jsonrpc", "2.0");
        message.set("id", id);
        message.set("result", result);
        send(message);
    }

    private void error(JsonNode id, int code, String text) {
        ObjectNode message = JSON.createObjectNode().put("jsonrpc", "2.0");
        message.set("id", id);
        message.putObject("error").put("code", code).put("message", text);
        send(message);
    }

    private void send(ObjectNode message) {
        try {
            // Jackson escapes line breaks inside strings, so one message is exactly one line.
            out.print(JSON.writeValueAsString(message) + "\n");
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        out.flush();
    }
}
