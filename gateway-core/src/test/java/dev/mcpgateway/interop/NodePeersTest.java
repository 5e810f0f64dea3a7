package dev.mcpgateway.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.testing.NodePeer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness itself: the npm peers in {@code interop/} talking to each other directly, no gateway in between,
 * so a gateway test that fails on them fails because of the gateway.
 */
class NodePeersTest {

    @Test
    void v2ClientSpeaks20260728WithTheV2StatelessServer() {
        try (NodePeer server = NodePeer.v2StatelessServer(); NodePeer client = NodePeer.v2Client(server.endpoint())) {
            JsonNode info = client.call(NodePeer.op("connect"));
            assertEquals("2026-07-28", info.path("protocolVersion").asText(), info::toString);
            assertEquals("modern", info.path("era").asText(), info::toString);

            JsonNode tools = client.request(NodePeer.op("listTools"));
            assertEquals(List.of("echo", "count", "ask_name", "region_query"), names(tools.path("result").path("tools")));
            assertEquals(60000, tools.path("raw").path("ttlMs").asInt(), tools::toString);
            assertEquals("public", tools.path("raw").path("cacheScope").asText(), tools::toString);
            assertEquals("complete", tools.path("raw").path("resultType").asText(), tools::toString);

            JsonNode counted = client.request(call("count", args().put("n", 3)).put("progress", true));
            assertEquals("counted to 3", firstText(counted.path("result")), counted::toString);
            assertEquals(List.of(1, 2, 3), counted.path("progress").findValues("progress").stream()
                    .map(JsonNode::asInt).toList(), counted::toString);

            ObjectNode answer = NodePeer.mapper().createObjectNode().put("action", "accept");
            answer.putObject("content").put("name", "Ada");
            client.call(NodePeer.op("setElicitationAnswer").set("answer", answer));
            JsonNode greeted = client.request(call("ask_name", args()).put("wire", true));
            assertEquals("Hello, Ada", firstText(greeted.path("result")), greeted::toString);
            assertEquals("What is your name?", greeted.path("elicitations").path(0).path("message").asText(),
                    greeted::toString);
            // The round trip really was MRTR: an input_required answer, then a retry carrying the answer.
            assertEquals("input_required", greeted.path("wire").path(1).path("received").path("result")
                    .path("resultType").asText(), greeted::toString);
            assertEquals("Ada", greeted.path("wire").path(2).path("sent").path("params").path("inputResponses")
                    .path("name").path("content").path("name").asText(), greeted::toString);

            // The server rejects the call unless the Mcp-Param-Region header mirrors the argument (SEP-2243).
            JsonNode region = client.call(call("region_query", args().put("region", "eu-west").put("query", "q")));
            assertEquals("eu-west: q", firstText(region));

            JsonNode read = client.request(NodePeer.op("readResource").put("uri", "memo://notes/7"));
            assertEquals("note 7", read.path("result").path("contents").path(0).path("text").asText(), read::toString);
            assertEquals(1000, read.path("raw").path("ttlMs").asInt(), read::toString);

            JsonNode unknown = client.request(call("no_such_tool", args()));
            assertEquals(-32602, unknown.path("error").path("code").asInt(), unknown::toString);
        }
    }

    @Test
    void v1ClientAndPinnedV2ClientAgainstServerEverything() {
        try (NodePeer server = NodePeer.everythingServer();
                NodePeer v1 = NodePeer.v1Client(server.endpoint());
                NodePeer v2 = NodePeer.v2Client(server.endpoint())) {
            // The v2 client is pinned to 2026-07-28: a legacy-only server is an error, not a quiet fallback.
            JsonNode refused = v2.request(NodePeer.op("connect"));
            assertEquals("ERA_NEGOTIATION_FAILED", refused.path("error").path("code").asText(), refused::toString);

            JsonNode info = v1.call(NodePeer.op("connect"));
            assertEquals("legacy", info.path("era").asText());
            assertFalse(info.path("sessionId").asText().isEmpty(), info::toString);
            assertTrue(names(v1.call(NodePeer.op("listTools")).path("tools")).contains("trigger-elicitation-request"));

            assertEquals("Echo: hi", firstText(v1.call(call("echo", args().put("message", "hi")))));

            JsonNode slow = v1.request(call("trigger-long-running-operation",
                    args().put("duration", 0.2).put("steps", 2)).put("progress", true));
            assertEquals(2, slow.path("progress").size(), slow::toString);

            ObjectNode answer = NodePeer.mapper().createObjectNode().put("action", "accept");
            answer.putObject("content").put("name", "Ada");
            v1.call(NodePeer.op("setElicitationAnswer").set("answer", answer));
            JsonNode elicited = v1.request(call("trigger-elicitation-request", args()));
            assertEquals(1, elicited.path("elicitations").size(), elicited::toString);
            assertTrue(elicited.path("result").toString().contains("Name: Ada"), elicited::toString);
        }
    }

    @Test
    void withoutNodeTheFailureSaysWhatToInstall(@TempDir Path emptyDir) {
        AssertionError failure = assertThrows(AssertionError.class,
                () -> NodePeer.script(NodePeer.V2_CLIENT).path(emptyDir.toString()).start());
        assertTrue(failure.getMessage().startsWith("node is not on the PATH"), failure.getMessage());
        assertTrue(failure.getMessage().contains("apt-get install -y nodejs npm"), failure.getMessage());
        assertTrue(failure.getMessage().contains("npm ci --prefix interop"), failure.getMessage());
        assertTrue(failure.getMessage().contains("bash .ci/run"), failure.getMessage());
    }

    @Test
    void withoutTheNpmPackagesTheFailureSaysToRunNpmCi(@TempDir Path root) throws IOException {
        Path interop = Files.createDirectories(root.resolve("interop"));
        Files.copy(NodePeer.interopDir().resolve("package.json"), interop.resolve("package.json"));
        AssertionError failure = assertThrows(AssertionError.class,
                () -> NodePeer.script(NodePeer.V2_CLIENT).interopDir(interop).start());
        assertTrue(failure.getMessage().contains("@modelcontextprotocol/client 2.0.0 is missing"), failure.getMessage());
        assertTrue(failure.getMessage().contains("npm ci --prefix interop"), failure.getMessage());
    }

    @Test
    void aPeerThatDiesFailsWithItsStderr() {
        try (NodePeer first = NodePeer.v2StatelessServer();
                NodePeer second = NodePeer.script(NodePeer.V2_STATELESS_SERVER)
                        .args(String.valueOf(first.port())).start()) {
            AssertionError failure = assertThrows(AssertionError.class, second::port);
            assertTrue(failure.getMessage().contains("EADDRINUSE"), failure.getMessage());
            assertTrue(failure.getMessage().contains("exited with code"), failure.getMessage());
        }
    }

    @Test
    void stdioServerCommandNamesNodeAndTheInstalledEntryPoint() {
        List<String> command = NodePeer.stdioServerCommand("@modelcontextprotocol/server-memory");
        assertTrue(command.get(0).endsWith("node") || command.get(0).endsWith("node.exe"), command::toString);
        assertTrue(Files.isRegularFile(Path.of(command.get(1))), command::toString);
    }

    private static ObjectNode call(String tool, ObjectNode arguments) {
        ObjectNode command = NodePeer.op("callTool").put("name", tool);
        command.set("arguments", arguments);
        return command;
    }

    private static ObjectNode args() {
        return NodePeer.mapper().createObjectNode();
    }

    private static String firstText(JsonNode result) {
        return result.path("content").path(0).path("text").asText();
    }

    private static List<String> names(JsonNode items) {
        List<String> names = new ArrayList<>();
        items.forEach(item -> names.add(item.path("name").asText()));
        return names;
    }
}
