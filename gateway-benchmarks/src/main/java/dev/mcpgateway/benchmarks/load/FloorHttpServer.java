package dev.mcpgateway.benchmarks.load;

import dev.mcpgateway.internal.transport.http.server.FrontDoorServer;
import dev.mcpgateway.internal.transport.http.server.HttpExchangeAdapter;
import dev.mcpgateway.transport.http.server.HttpFrontDoorOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * The floor under the HTTP front door: the same server the gateway's endpoint runs on (Jetty, configured by
 * {@link FrontDoorServer} exactly as for the endpoint: each request on a virtual thread), answering every request with a canned {@code tools/call} result under the request's id, with no
 * MCP processing at all. What scenario 1 costs above this is the gateway's own work (MCP session, JSON-RPC, routing,
 * in-process call).
 */
final class FloorHttpServer implements AutoCloseable {
    private static final byte[] ID = "\"id\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PREFIX = "{\"jsonrpc\":\"2.0\",\"id\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SUFFIX = (",\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"hello\"}],"
            + "\"protocolVersion\":\"" + RawMcpHttpConnection.PROTOCOL_VERSION + "\"}}")
            .getBytes(StandardCharsets.US_ASCII);

    private final FrontDoorServer http;

    private FloorHttpServer(FrontDoorServer http) {
        this.http = http;
    }

    /** Listens on a free loopback port. */
    static FloorHttpServer start() throws IOException {
        return new FloorHttpServer(FrontDoorServer.start(FloorHttpServer::answer,
                HttpFrontDoorOptions.builder().port(0).build()));
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + http.address().getPort() + "/mcp");
    }

    private static void answer(HttpExchangeAdapter exchange) {
        try {
            answerCall(exchange);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void answerCall(HttpExchangeAdapter exchange) throws IOException {
        byte[] request = requestBody(exchange);
        exchange.setHeader("Mcp-Session-Id", "floor");
        int id = indexOf(request, ID);
        if (id < 0) {
            exchange.send(202, new byte[0]); // a notification
            return;
        }
        int start = id + ID.length;
        int end = start;
        while (end < request.length && request[end] != ',' && request[end] != '}') {
            end++;
        }
        exchange.setHeader("Content-Type", "application/json");
        byte[] answer = new byte[PREFIX.length + (end - start) + SUFFIX.length];
        System.arraycopy(PREFIX, 0, answer, 0, PREFIX.length);
        System.arraycopy(request, start, answer, PREFIX.length, end - start);
        System.arraycopy(SUFFIX, 0, answer, PREFIX.length + end - start, SUFFIX.length);
        exchange.send(200, answer);
    }

    /**
     * The request's body, read into one array of its Content-Length as the gateway's front door reads it, so that a
     * floor pays what the door pays.
     */
    static byte[] requestBody(HttpExchangeAdapter exchange) throws IOException {
        String declared = exchange.header("Content-Length");
        return declared == null ? exchange.body().readAllBytes()
                : exchange.body().readNBytes(Integer.parseInt(declared.trim()));
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Override
    public void close() {
        http.close();
    }
}
