package dev.mcpgateway.transport.stdio.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.inprocess.InProcessPlugin;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.mcp.ProtocolVersions;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.server.McpServer;
import dev.mcpgateway.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link StdioServer} over in-process pipes, serving a real gateway with the {@link CalcPlugin}: the handshake,
 * lists and calls, malformed and oversized input, responses out of order, progress, unsolicited messages, and the
 * three ways to stop (stdin ends, close(), the client stops reading).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StdioServerTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String VERSION = "2025-06-18";

    private final CalcPlugin.Gate gate = new CalcPlugin.Gate();
    private final McpGateway gateway = McpGateway.builder().build();
    private final ClientEnd client = new ClientEnd();
    private McpServer server;
    private StdioServer stdio;

    @AfterEach
    void closeEverything() throws Exception {
        gate.open();
        if (stdio != null) {
            stdio.close();
            server.close();
        }
        gateway.close();
        client.close();
    }

    @Test
    void servesTheHandshakeTheToolListAndACall() {
        start(StdioServerOptions.defaults());

        JsonNode initialized = initialize();
        assertEquals(VERSION, initialized.path("protocolVersion").asText());
        assertEquals("mcp-gateway", initialized.path("serverInfo").path("name").asText());
        assertTrue(initialized.path("capabilities").has("tools"), initialized::toString);

        JsonNode tools = client.call(2, "tools/list", null).path("tools");
        assertEquals(Set.of("calc__add", "calc__count", "calc__wait"), names(tools));
        JsonNode add = find(tools, "calc__add");
        assertEquals("Adds two numbers", add.path("description").asText());
        assertEquals(CalcPlugin.ADD_SCHEMA, add.path("inputSchema"));

        JsonNode sum = client.call(3, "tools/call", toolCall("calc__add", Json.object().put("a", 2).put("b", 3.5)));
        assertEquals("5.5", sum.path("content").path(0).path("text").asText());
        assertEquals("text", sum.path("content").path(0).path("type").asText());
        assertFalse(sum.path("isError").asBoolean(false));
    }

    @Test
    void servesA2026ClientWithoutAHandshake() {
        start(StdioServerOptions.defaults());
        ObjectNode params = Json.object();
        params.putObject("_meta").put(ProtocolVersions.META_PROTOCOL_VERSION, ProtocolVersions.MODERN)
                .putObject(ProtocolVersions.META_CLIENT_CAPABILITIES);

        JsonNode discovered = client.call(1, "server/discover", params);
        assertEquals(ProtocolVersions.MODERN, discovered.path("supportedVersions").path(0).asText());
        JsonNode tools = client.call(2, "tools/list", params);
        assertEquals(Set.of("calc__add", "calc__count", "calc__wait"), names(tools.path("tools")));
        assertEquals("complete", tools.path("resultType").asText());
        assertTrue(tools.path("ttlMs").isIntegralNumber() && tools.path("cacheScope").isTextual(), tools::toString);
        ObjectNode call = params.deepCopy().put("name", "calc__add");
        call.putObject("arguments").put("a", 1).put("b", 2);
        assertEquals("3", client.call(3, "tools/call", call).path("content").path(0).path("text").asText());
        client.request(4, "ping", params);
        assertEquals(ErrorCodes.METHOD_NOT_FOUND, client.response(4).path("error").path("code").asInt(),
                "ping is gone in 2026-07-28");
    }

    @Test
    void aSecondInitializeIsRefusedAndLeavesTheSessionAsItWas() {
        start(StdioServerOptions.defaults());
        initialize();

        ObjectNode again = Json.object().put("protocolVersion", "2025-03-26");
        again.putObject("capabilities");
        again.putObject("clientInfo").put("name", "stdio-test").put("version", "2.0");
        client.request(2, "initialize", again);
        JsonNode refused = client.response(2).path("error");
        assertEquals(ErrorCodes.INVALID_REQUEST, refused.path("code").asInt(), refused::toString);
        assertTrue(refused.path("message").asText().contains("already initialized"), refused::toString);
        assertTrue(refused.path("message").asText().contains("new gateway process"), refused::toString);

        JsonNode sum = client.call(3, "tools/call", toolCall("calc__add", Json.object().put("a", 1).put("b", 2)));
        assertEquals("3", sum.path("content").path(0).path("text").asText());
    }

    @Test
    void answersMalformedInputAndKeepsServing() {
        start(StdioServerOptions.defaults());
        initialize();

        client.sendLine("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":");
        JsonNode parseError = client.next();
        assertTrue(parseError.get("id").isNull(), parseError::toString);
        assertEquals(ErrorCodes.PARSE_ERROR, parseError.path("error").path("code").asInt());

        client.sendLine("{\"jsonrpc\":\"1.0\",\"id\":6,\"method\":\"ping\"}");
        JsonNode invalid = client.response(6);
        assertEquals(ErrorCodes.INVALID_REQUEST, invalid.path("error").path("code").asInt());
        assertTrue(invalid.path("error").path("message").asText().contains("\"jsonrpc\" must be the string \"2.0\""),
                invalid::toString);

        client.sendLine("[{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"ping\"}]");
        JsonNode batch = client.next();
        assertTrue(batch.get("id").isNull(), batch::toString);
        assertEquals(ErrorCodes.INVALID_REQUEST, batch.path("error").path("code").asInt());

        // Blank lines and CRLF endings are tolerated without an answer.
        client.sendRaw("\n   \n{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"ping\"}\r\n");
        assertEquals(Json.object(), client.result(8));

        // A line after others in the read buffer is decoded where it lies: its error counts from its own start.
        client.sendRaw("\n   \n{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":x}\r\n");
        assertEquals("Parse error: unexpected 'x' where a value was expected (line 1, column 34)",
                client.next().path("error").path("message").asText());
        assertFalse(stdio.done().isDone());
    }

    @Test
    void answersAnOversizedRequestUnderItsIdWithoutReadingItWhole() {
        int limit = 4096;
        start(StdioServerOptions.defaults().withMaxLineBytes(limit));
        initialize();
        String padding = "x".repeat(3 * limit);

        client.sendLine("{\"jsonrpc\":\"2.0\",\"id\":\"big\",\"method\":\"tools/call\",\"params\":{\"name\":\"calc__add\","
                + "\"arguments\":{\"pad\":\"" + padding + "\"}}}");
        JsonNode tooLong = client.response("big");
        assertEquals(ErrorCodes.INVALID_REQUEST, tooLong.path("error").path("code").asInt());
        String message = tooLong.path("error").path("message").asText();
        assertTrue(message.contains("over the gateway's limit of 4096 bytes"), message);

        // The id comes after the bulk: the error cannot name it.
        client.sendLine("{\"jsonrpc\":\"2.0\",\"method\":\"tools/call\",\"params\":{\"pad\":\"" + padding + "\"},\"id\":9}");
        JsonNode anonymous = client.next();
        assertTrue(anonymous.get("id").isNull(), anonymous::toString);
        assertEquals(ErrorCodes.INVALID_REQUEST, anonymous.path("error").path("code").asInt());

        assertEquals(Json.object(), client.call(10, "ping", null));
    }

    @Test
    void writesResponsesAsCallsCompleteNotInRequestOrder() {
        start(StdioServerOptions.defaults());
        initialize();

        client.request(20, "tools/call", toolCall("calc__wait", Json.object()));
        client.request(21, "tools/call", toolCall("calc__add", Json.object().put("a", 1).put("b", 1)));
        assertEquals("2", client.result(21).path("content").path(0).path("text").asText());

        gate.open();
        assertEquals("released", client.result(20).path("content").path(0).path("text").asText());
    }

    @Test
    void relaysProgressBeforeTheResult() {
        start(StdioServerOptions.defaults());
        initialize();
        ObjectNode params = toolCall("calc__count", Json.object().put("steps", 3));
        params.putObject("_meta").put("progressToken", "tok-1");

        client.request(30, "tools/call", params);
        for (int step = 1; step <= 3; step++) {
            JsonNode progress = client.next();
            assertEquals("notifications/progress", progress.path("method").asText(), progress::toString);
            assertNull(progress.get("id"));
            assertEquals("tok-1", progress.path("params").path("progressToken").asText());
            assertEquals(step, progress.path("params").path("progress").asDouble());
            assertEquals(3, progress.path("params").path("total").asDouble());
            assertEquals("step " + step, progress.path("params").path("message").asText());
        }
        assertEquals("counted 3", client.result(30).path("content").path(0).path("text").asText());
    }

    @Test
    void sendsUnsolicitedMessagesToStdout() {
        start(StdioServerOptions.defaults());
        initialize();

        gateway.registerInProcess(InProcessPlugin.builder("late")
                .tool("hello", "Says hello", (arguments, context) -> CallToolResult.text("hello"))
                .build()).join();
        JsonNode changed = client.next();
        assertEquals("notifications/tools/list_changed", changed.path("method").asText(), changed::toString);
        assertTrue(names(client.call(40, "tools/list", null).path("tools")).contains("late__hello"));
    }

    @Test
    void whenStdinEndsItLetsCallsInFlightAnswerThenStops() throws Exception {
        start(StdioServerOptions.defaults().withDrainTimeout(WAIT));
        initialize();
        client.request(50, "tools/call", toolCall("calc__wait", Json.object()));
        CompletableFuture<Void> done = stdio.done();

        client.endInput();
        gate.open();

        assertEquals("released", client.result(50).path("content").path(0).path("text").asText());
        client.expectEnd();
        done.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertReaderEnded();
    }

    @Test
    void whenStdinEndsCallsThatOutlastTheDrainTimeoutAreCancelled() throws Exception {
        start(StdioServerOptions.defaults().withDrainTimeout(Duration.ofMillis(50)));
        initialize();
        client.request(60, "tools/call", toolCall("calc__wait", Json.object()));
        awaitDispatched();

        client.endInput();

        JsonNode cancelled = client.response(60);
        assertEquals(ErrorCodes.INTERNAL_ERROR, cancelled.path("error").path("code").asInt(), cancelled::toString);
        assertEquals("The request was cancelled", cancelled.path("error").path("message").asText());
        client.expectEnd();
        stdio.done().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Test
    void closeStopsAtOnceWhileStdinIsStillOpen() throws Exception {
        start(StdioServerOptions.defaults().withDrainTimeout(WAIT));
        initialize();
        client.request(70, "tools/call", toolCall("calc__wait", Json.object()));
        awaitDispatched();
        CompletableFuture<Void> done = stdio.done();

        stdio.close();

        assertTrue(done.isDone(), "done() completes before close() returns");
        JsonNode cancelled = client.response(70);
        assertEquals("The request was cancelled", cancelled.path("error").path("message").asText(), cancelled::toString);
        client.expectEnd();
        assertReaderEnded();
        stdio.close();
        assertTrue(stdio.done().isDone());
    }

    @Test
    void stopsWhenTheClientStopsReading() throws Exception {
        start(StdioServerOptions.defaults());
        initialize();

        client.stopReading();
        // The answer to this cannot be written: the failed write tells the server its client is gone.
        client.request(80, "ping", null);

        stdio.done().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertReaderEnded();
    }

    private void start(StdioServerOptions options) {
        gateway.registerInProcess(CalcPlugin.create(gate)).join();
        // Created after the plugin is routable, the server has no list change to announce.
        server = McpServer.create(gateway);
        stdio = StdioServer.start(server, client.serverIn(), client.serverOut(), options);
    }

    private JsonNode initialize() {
        ObjectNode params = Json.object().put("protocolVersion", VERSION);
        params.putObject("capabilities");
        params.putObject("clientInfo").put("name", "stdio-test").put("version", "1.0");
        JsonNode result = client.call(1, "initialize", params);
        client.notification("notifications/initialized");
        return result;
    }

    /** Returns once the server handed every message sent so far to the session: it handles them in order. */
    private void awaitDispatched() {
        assertEquals(Json.object(), client.call("barrier", "ping", null));
    }

    private static ObjectNode toolCall(String name, ObjectNode arguments) {
        ObjectNode params = Json.object().put("name", name);
        params.set("arguments", arguments);
        return params;
    }

    private static Set<String> names(JsonNode tools) {
        return StreamSupport.stream(tools.spliterator(), false).map(tool -> tool.path("name").asText())
                .collect(Collectors.toSet());
    }

    private static JsonNode find(JsonNode tools, String name) {
        List<JsonNode> matches = new ArrayList<>();
        tools.forEach(tool -> {
            if (name.equals(tool.path("name").asText())) {
                matches.add(tool);
            }
        });
        assertEquals(1, matches.size(), () -> "exactly one tool named " + name + " in " + tools);
        return matches.get(0);
    }

    private static void assertReaderEnded() {
        Await.until("the stdin reader thread has ended", WAIT, () -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(thread -> thread.getName().equals(StdioServer.READER_THREAD) && thread.isAlive()));
    }
}
