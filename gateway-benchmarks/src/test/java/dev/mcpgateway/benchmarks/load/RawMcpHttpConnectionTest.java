package dev.mcpgateway.benchmarks.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RawMcpHttpConnectionTest {
    @Test
    void readsAJsonAnswerWithContentLengthAndLeavesTheNextOneInTheStream() throws IOException {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"hi\"}]}}";
        InputStream in = stream("HTTP/1.1 200 OK\r\nContent-type: application/json\r\nMcp-session-id: abc\r\n"
                + "Content-length: " + body.length() + "\r\n\r\n" + body
                + "HTTP/1.1 202 Accepted\r\nContent-length: 0\r\n\r\n");

        RawMcpHttpConnection.Response first = RawMcpHttpConnection.readResponse(in);
        RawMcpHttpConnection.Response second = RawMcpHttpConnection.readResponse(in);

        assertEquals(200, first.status());
        assertEquals("abc", first.sessionId());
        assertEquals(7, first.body().path("id").asInt());
        assertFalse(first.isError());
        assertEquals(202, second.status());
        assertNull(second.body());
    }

    @Test
    void readsAChunkedEventStreamUpToItsResponseSkippingProgressAndComments() throws IOException {
        String events = ": keep-alive\n\n"
                + "id: 1\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{\"progress\":1}}\n\n"
                + "id: 2\ndata: {\"jsonrpc\":\"2.0\",\"id\":3,\n"
                + "data: \"result\":{\"content\":[],\"isError\":true}}\n\n";
        byte[] bytes = events.getBytes(StandardCharsets.UTF_8);
        int half = bytes.length / 2;
        String chunked = Integer.toHexString(half) + "\r\n" + new String(bytes, 0, half, StandardCharsets.UTF_8)
                + "\r\n" + Integer.toHexString(bytes.length - half) + ";ext=1\r\n"
                + new String(bytes, half, bytes.length - half, StandardCharsets.UTF_8) + "\r\n0\r\n\r\n";

        RawMcpHttpConnection.Response response = RawMcpHttpConnection.readResponse(stream(
                "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked));

        assertEquals(3, response.body().path("id").asInt());
        assertTrue(response.body().path("result").path("isError").asBoolean());
        assertTrue(response.isError());
    }

    @Test
    void jsonRpcErrorsAndHttpErrorsAreErrors() throws IOException {
        String error = "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32602,\"message\":\"Unknown tool\"}}";
        assertTrue(RawMcpHttpConnection.readResponse(stream("HTTP/1.1 200 OK\r\nContent-Length: " + error.length()
                + "\r\n\r\n" + error)).isError());
        assertTrue(RawMcpHttpConnection.readResponse(stream("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"))
                .isError());
        assertThrows(IOException.class, () -> RawMcpHttpConnection.readResponse(stream("HTTP/1.1 200 OK\r\n")));
        assertThrows(IOException.class, () -> RawMcpHttpConnection.lastResponseEvent(
                ": only a comment\n\n".getBytes(StandardCharsets.UTF_8)));
    }

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
