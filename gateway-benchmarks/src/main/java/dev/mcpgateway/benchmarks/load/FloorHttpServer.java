package dev.mcpgateway.benchmarks.load;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The floor under the HTTP front door: the same JDK HTTP server with one virtual thread per exchange, answering
 * every request with a canned {@code tools/call} result under the request's id, with no MCP processing at all.
 * What scenario 1 costs above this is the gateway's own work (MCP session, JSON-RPC, routing, in-process call).
 */
final class FloorHttpServer implements AutoCloseable {
    private static final byte[] ID = "\"id\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PREFIX = "{\"jsonrpc\":\"2.0\",\"id\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SUFFIX = (",\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"hello\"}],"
            + "\"protocolVersion\":\"" + RawMcpHttpConnection.PROTOCOL_VERSION + "\"}}")
            .getBytes(StandardCharsets.US_ASCII);

    private final HttpServer http;
    private final ExecutorService executor;

    private FloorHttpServer(HttpServer http, ExecutorService executor) {
        this.http = http;
        this.executor = executor;
    }

    /** Listens on a free loopback port. */
    static FloorHttpServer start() throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        http.setExecutor(executor);
        http.createContext("/mcp", FloorHttpServer::answer);
        http.start();
        return new FloorHttpServer(http, executor);
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/mcp");
    }

    private static void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            // Sized by Content-Length, as the gateway's front door reads it, so the floor pays what the door pays.
            String declared = exchange.getRequestHeaders().getFirst("Content-Length");
            byte[] request = declared == null ? exchange.getRequestBody().readAllBytes()
                    : exchange.getRequestBody().readNBytes(Integer.parseInt(declared.trim()));
            exchange.getResponseHeaders().set("Mcp-Session-Id", "floor");
            int id = indexOf(request, ID);
            if (id < 0) {
                exchange.sendResponseHeaders(202, -1); // a notification
                return;
            }
            int start = id + ID.length;
            int end = start;
            while (end < request.length && request[end] != ',' && request[end] != '}') {
                end++;
            }
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            int length = PREFIX.length + (end - start) + SUFFIX.length;
            exchange.sendResponseHeaders(200, length);
            OutputStream out = exchange.getResponseBody();
            out.write(PREFIX);
            out.write(request, start, end - start);
            out.write(SUFFIX);
        }
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
        http.stop(0);
        executor.shutdownNow();
    }
}
