package dev.mcpgateway.benchmarks.load;

import dev.mcpgateway.internal.transport.http.HeaderFields;
import dev.mcpgateway.internal.transport.http.Http1Pool;
import dev.mcpgateway.internal.transport.http.UpstreamReply;
import dev.mcpgateway.internal.transport.http.server.FrontDoorServer;
import dev.mcpgateway.internal.transport.http.server.HttpExchangeAdapter;
import dev.mcpgateway.transport.http.server.HttpFrontDoorOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The floor under scenario 2: a relay that moves each request's bytes to the HTTP plugin and the answer's bytes back,
 * with no MCP work at all. It runs on the same server as the gateway's endpoint ({@link FrontDoorServer}, each
 * request on a virtual thread) and posts with the same keep-alive pool as the gateway's HTTP transport
 * ({@link Http1Pool}), on the request's own thread, the fewest thread hand-offs a relay can have. Whatever a gateway
 * does, it does at least this, so the relay's throughput against the direct path bounds what any gateway reaches on
 * the machine; the gateway's cost above it is its own work. It is a rough bound, not a strict one: each load client
 * has a plugin session of its own through it, as on the direct path, where the gateway shares one upstream session.
 * It relays POSTs only (the load is nothing else) and buffers each answer whole, event streams included.
 */
final class RelayHttpServer implements AutoCloseable {
    /** The request fields an MCP server reads; the rest (Host, Content-Length, ...) belong to each hop. */
    private static final List<String> FORWARDED = List.of("Content-Type", "Accept", "Mcp-Session-Id",
            "MCP-Protocol-Version", "Authorization");
    private static final List<String> RETURNED = List.of("Content-Type", "Mcp-Session-Id");
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);

    private final URI upstream;
    private final ScheduledExecutorService timer;
    private final Http1Pool pool;
    private FrontDoorServer http;

    private RelayHttpServer(URI upstream) {
        this.upstream = upstream;
        this.timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("relay-timer").daemon(true).factory());
        this.pool = new Http1Pool(upstream, Duration.ofSeconds(5), timer);
    }

    /** Listens on a free loopback port and relays every request to {@code upstream}, an {@code http://} endpoint. */
    static RelayHttpServer start(URI upstream) throws IOException {
        RelayHttpServer relay = new RelayHttpServer(upstream);
        try {
            relay.http = FrontDoorServer.start(relay::relay, HttpFrontDoorOptions.builder().port(0).build());
            return relay;
        } catch (IOException | RuntimeException e) {
            relay.close();
            throw e;
        }
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + http.address().getPort() + "/mcp");
    }

    private void relay(HttpExchangeAdapter exchange) {
        try {
            if (!"POST".equals(exchange.method())) {
                exchange.send(405, new byte[0]);
                return;
            }
            byte[] request = FloorHttpServer.requestBody(exchange);
            HeaderFields headers = new HeaderFields();
            for (String name : FORWARDED) {
                String value = exchange.header(name);
                if (value != null) {
                    headers.add(name, value);
                }
            }
            UpstreamReply reply = pool.post(upstream, headers, ANSWER_TIMEOUT, request);
            byte[] answer;
            try (InputStream body = reply.body()) {
                // One array of the answer's length, as the gateway reads an upstream answer.
                String length = reply.header("Content-Length");
                answer = length == null ? body.readAllBytes() : body.readNBytes(Integer.parseInt(length.trim()));
            }
            for (String name : RETURNED) {
                String value = reply.header(name);
                if (value != null) {
                    exchange.setHeader(name, value);
                }
            }
            exchange.send(reply.status(), answer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            if (http != null) {
                http.close();
            }
        } finally {
            pool.close();
            timer.shutdownNow();
        }
    }
}
