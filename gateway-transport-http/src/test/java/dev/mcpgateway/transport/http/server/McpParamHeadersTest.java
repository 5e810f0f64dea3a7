package dev.mcpgateway.transport.http.server;

import static dev.mcpgateway.transport.http.server.FrontDoorContract.assertRejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.inprocess.InProcessPlugin;
import dev.mcpgateway.internal.transport.http.MirroredSchema;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.mcp.Tool;
import dev.mcpgateway.server.McpServer;
import dev.mcpgateway.transport.http.server.McpHttp.Reply;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The endpoint holds a 2026-07-28 {@code tools/call} to the {@code Mcp-Param-*} headers its tool's {@code x-mcp-header}
 * annotations ask for, over real HTTP on 127.0.0.1: present whenever the body has a value, equal to it after Base64
 * decoding (integers as numbers), and free of characters a header cannot carry; else 400 with -32020, before the
 * tool runs. Behind it: a gateway with one in-process plugin {@code geo} whose {@code query} tool marks four
 * parameters, one nested.
 */
@Timeout(30)
class McpParamHeadersTest {
    private final AtomicInteger calls = new AtomicInteger();
    private McpGateway gateway;
    private McpServer server;
    private McpHttpServer endpoint;
    private McpHttp http;

    @BeforeEach
    void setUp() throws Exception {
        Tool query = Tool.builder("query").description("Runs a query in a region")
                .inputSchema(MirroredSchema.tree()).build();
        gateway = McpGateway.builder().build();
        gateway.registerInProcess(InProcessPlugin.builder("geo").tool(query, (args, ctx) -> {
            calls.incrementAndGet();
            return CallToolResult.text("ran in " + args.path("region").asText("nowhere"));
        }).build()).join();
        server = McpServer.create(gateway);
        endpoint = McpHttpServer.start(server, HttpFrontDoorOptions.builder().port(0)
                .sseKeepAlive(Duration.ofSeconds(30)).build());
        http = new McpHttp(endpoint.endpoint());
    }

    @AfterEach
    void tearDown() {
        http.close();
        endpoint.close();
        server.close();
        gateway.close();
    }

    private Reply call(String arguments, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "Mcp-Name";
        all[1] = "geo__query";
        System.arraycopy(headers, 0, all, 2, headers.length);
        return http.send(http.stateless("tools/call", "\"name\":\"geo__query\",\"arguments\":" + arguments, all));
    }

    private static String base64(String value) {
        return "=?base64?" + Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)) + "?=";
    }

    private static String message(Reply reply) {
        return reply.json().path("error").path("message").asText();
    }

    private void assertMismatch(Reply reply, String... inMessage) {
        assertRejected(reply, 400, ErrorCodes.HEADER_MISMATCH);
        for (String part : inMessage) {
            assertTrue(message(reply).contains(part), "'" + part + "' in: " + message(reply));
        }
    }

    private static void assertRan(Reply reply, String text) {
        assertEquals(200, reply.status(), reply.body());
        assertEquals(text, reply.result().path("content").path(0).path("text").asText(), reply.body());
    }

    @Test
    void headersMatchingTheBodyAreAccepted() {
        Reply reply = call("{\"region\":\"us-west1\",\"shard\":42,\"dry\":false,\"target\":{\"zone\":\"b\"},"
                + "\"query\":\"SELECT 1\"}", "Mcp-Param-Region", "us-west1", "Mcp-Param-Shard", "42",
                "mcp-param-dry-run", "false", "MCP-PARAM-ZONE", "b");

        assertRan(reply, "ran in us-west1");
        assertEquals(1, calls.get());
    }

    @Test
    void aMissingHeaderForAValueInTheBodyIsRejectedBeforeTheToolRuns() {
        assertMismatch(call("{\"region\":\"us-west1\"}"), "Mcp-Param-Region is missing", "arguments.region",
                "'us-west1'");
        assertMismatch(call("{\"target\":{\"zone\":\"b\"}}"), "Mcp-Param-Zone is missing", "arguments.target.zone");
        assertMismatch(call("{\"region\":\"us-west1\",\"shard\":7}", "Mcp-Param-Region", "us-west1"),
                "Mcp-Param-Shard is missing");
        assertEquals(0, calls.get(), "no rejected call reached the tool");
    }

    @Test
    void noHeaderIsExpectedForAParameterThatIsAbsentOrNull() {
        assertRan(call("{\"query\":\"SELECT 1\"}"), "ran in nowhere");
        assertRan(call("{\"region\":null,\"target\":{}}"), "ran in nowhere");
        assertRan(call("{\"target\":\"not an object\"}"), "ran in nowhere");
    }

    @Test
    void aHeaderThatDiffersFromTheBodyIsRejected() {
        assertMismatch(call("{\"region\":\"us-west1\"}", "Mcp-Param-Region", "eu-north1"),
                "Mcp-Param-Region header value 'eu-north1' does not match body value 'us-west1'");
        assertMismatch(call("{\"dry\":true}", "Mcp-Param-Dry-Run", "TRUE"), "Mcp-Param-Dry-Run");
        assertMismatch(call("{\"target\":{\"zone\":\"b\"}}", "Mcp-Param-Zone", "c"), "Mcp-Param-Zone");
        assertMismatch(call("{\"region\":\"us-west1\"}", "Mcp-Param-Region", base64("us-east1")), "Mcp-Param-Region");
        assertEquals(0, calls.get());
    }

    @Test
    void base64EncodedHeadersAreComparedDecoded() {
        assertRan(call("{\"region\":\"Hello, 世界\"}", "Mcp-Param-Region", base64("Hello, 世界")), "ran in Hello, 世界");
        assertRan(call("{\"region\":\" padded \"}", "Mcp-Param-Region", base64(" padded ")), "ran in  padded ");
        assertRan(call("{\"region\":\"=?base64?literal?=\"}", "Mcp-Param-Region", base64("=?base64?literal?=")),
                "ran in =?base64?literal?=");
        assertRan(call("{\"region\":\"us-west1\"}", "Mcp-Param-Region", base64("us-west1")), "ran in us-west1");
    }

    @Test
    void integersAreComparedAsNumbers() {
        assertRan(call("{\"region\":\"r\",\"shard\":42}", "Mcp-Param-Region", "r", "Mcp-Param-Shard", "42.0"), "ran in r");
        assertRan(call("{\"region\":\"r\",\"shard\":-7}", "Mcp-Param-Region", "r", "Mcp-Param-Shard", "-7"), "ran in r");
        assertRan(call("{\"region\":\"r\",\"shard\":42.0}", "Mcp-Param-Region", "r", "Mcp-Param-Shard", "42"), "ran in r");
        assertMismatch(call("{\"shard\":42}", "Mcp-Param-Shard", "43"), "Mcp-Param-Shard header value '43'");
        assertMismatch(call("{\"shard\":42}", "Mcp-Param-Shard", "forty-two"), "Mcp-Param-Shard");
    }

    @Test
    void headersWithInvalidCharactersOrMalformedBase64AreRejected() throws IOException {
        assertMismatch(call("{\"region\":\"us-west1\"}", "Mcp-Param-Region", "=?base64?not base64!?="),
                "Mcp-Param-Region", "malformed");
        // Unpadded Base64 is not the encoding a client sends.
        assertMismatch(call("{\"region\":\"ab\"}", "Mcp-Param-Region", "=?base64?YWI?="), "Mcp-Param-Region");
        // Even for a parameter the body leaves out: the header itself is malformed.
        assertMismatch(call("{}", "Mcp-Param-Region", "=?base64?%%%?="), "Mcp-Param-Region");

        // Bytes beyond ASCII, which java.net.http refuses to send: written on a socket.
        String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"geo__query\","
                + "\"arguments\":{\"region\":\"grüße\"}," + McpHttp.MODERN_META + "}}";
        RawReply raw = rawPost(body, "Mcp-Param-Region: grüße");
        assertEquals(400, raw.status(), raw.text());
        assertTrue(raw.text().contains(Integer.toString(ErrorCodes.HEADER_MISMATCH)), raw.text());
        assertEquals(0, calls.get());
    }

    @Test
    void headersOfParametersTheToolDoesNotMarkAreIgnored() {
        assertRan(call("{\"region\":\"r\",\"query\":\"q\"}", "Mcp-Param-Region", "r", "Mcp-Param-Query", "other",
                "Mcp-Param-Anything", "=?base64?%%%?="), "ran in r");
    }

    @Test
    void anUnknownToolIsLeftToTheServer() {
        Reply reply = http.send(http.stateless("tools/call", "\"name\":\"geo__nope\",\"arguments\":{\"region\":\"r\"}",
                "Mcp-Name", "geo__nope"));

        JsonNode error = reply.json().path("error");
        assertEquals(ErrorCodes.INVALID_PARAMS, error.path("code").asInt(), reply.body());
    }

    /** An answer read off a socket: the status and everything after the status line. */
    private record RawReply(int status, String text) {
    }

    /** POSTs with the header lines as given, their bytes UTF-8 (so beyond ASCII), and reads the answer to its end. */
    private RawReply rawPost(String body, String... headerLines) throws IOException {
        byte[] payload = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder("POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                + "Content-Type: application/json\r\nAccept: application/json, text/event-stream\r\n"
                + "MCP-Protocol-Version: " + McpHttp.MODERN + "\r\nMcp-Method: tools/call\r\nMcp-Name: geo__query\r\n"
                + "Content-Length: " + payload.length + "\r\n");
        for (String line : headerLines) {
            head.append(line).append("\r\n");
        }
        head.append("\r\n");
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), endpoint.address().getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.UTF_8));
            out.write(payload);
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(answer.substring(answer.indexOf(' ') + 1, answer.indexOf(' ') + 4));
            return new RawReply(status, answer);
        }
    }
}
