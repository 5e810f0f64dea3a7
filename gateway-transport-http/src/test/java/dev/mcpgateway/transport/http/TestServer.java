package dev.mcpgateway.transport.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP server on 127.0.0.1 (ephemeral port) for the channel's tests: routes by method and path to
 * scripted handlers, records every request it gets, and answers 405 to anything unscripted.
 */
final class TestServer implements AutoCloseable {
    /** A request as the server received it. */
    record Seen(String method, String path, String query, Map<String, List<String>> headers, String body) {
        /** The first value of a header (names are case-insensitive), or null. */
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().getFirst()).findFirst().orElse(null);
        }
    }

    /** Answers one request. */
    interface Handler {
        void handle(HttpExchange exchange, Seen seen) throws IOException, InterruptedException;
    }

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpServer server;
    private final Map<String, Handler> routes = new ConcurrentHashMap<>();
    private final List<Seen> all = new CopyOnWriteArrayList<>();
    private final BlockingQueue<Seen> arrivals = new LinkedBlockingQueue<>();

    TestServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::dispatch);
        server.start();
    }

    /** The URL of a path on this server. */
    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** Scripts the answer to one method and path (without query). */
    TestServer on(String method, String path, Handler handler) {
        routes.put(method + " " + path, handler);
        return this;
    }

    /** Every request so far, in arrival order. */
    List<Seen> requests() {
        return List.copyOf(all);
    }

    /** The requests so far with this method. */
    List<Seen> requests(String method) {
        return all.stream().filter(s -> s.method().equals(method)).toList();
    }

    /** The next request to arrive with this method (skipping others), waiting at most 5 s. */
    Seen next(String method) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            Seen seen = arrivals.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (seen == null) {
                throw new AssertionError("no " + method + " request arrived within 5 s; got " + all);
            }
            if (seen.method().equals(method)) {
                return seen;
            }
        }
    }

    private void dispatch(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            URI uri = exchange.getRequestURI();
            Seen seen = new Seen(exchange.getRequestMethod(), uri.getPath(), uri.getRawQuery(),
                    Map.copyOf(exchange.getRequestHeaders()), body);
            all.add(seen);
            arrivals.add(seen);
            Handler handler = routes.get(seen.method() + " " + seen.path());
            if (handler == null) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            handler.handle(exchange, seen);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Answers with a body and content type. */
    static void respond(HttpExchange exchange, int status, String contentType, String body, String... headers)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        for (int i = 0; i < headers.length; i += 2) {
            exchange.getResponseHeaders().set(headers[i], headers[i + 1]);
        }
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
    }

    /** Answers with a JSON body. */
    static void json(HttpExchange exchange, int status, String body, String... headers) throws IOException {
        respond(exchange, status, "application/json", body, headers);
    }

    /** Answers with a status and no body. */
    static void status(HttpExchange exchange, int status) throws IOException {
        exchange.sendResponseHeaders(status, -1);
    }

    /** Starts an event stream (chunked); write events with {@link #write}. */
    static OutputStream sse(HttpExchange exchange, String... headers) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        for (int i = 0; i < headers.length; i += 2) {
            exchange.getResponseHeaders().set(headers[i], headers[i + 1]);
        }
        exchange.sendResponseHeaders(200, 0);
        return exchange.getResponseBody();
    }

    /** Writes text to a stream and flushes it onto the wire. */
    static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
