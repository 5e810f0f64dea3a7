package dev.mcpgateway.testing;

import com.nimbusds.jose.jwk.JWKSet;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A real JWKS endpoint on 127.0.0.1 serving the public parts of whatever keys a test gives it, counting fetches. */
public final class JwksServer implements AutoCloseable {
    private final HttpServer server;
    private final AtomicInteger fetches = new AtomicInteger();
    private volatile String body;
    private volatile CountDownLatch answerGate = new CountDownLatch(0);

    public JwksServer(JWKSet keys) throws IOException {
        serve(keys);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/jwks.json", exchange -> {
            fetches.incrementAndGet();
            try {
                answerGate.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] json = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, json.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(json);
            }
        });
        server.start();
    }

    /** From now on serves these keys' public parts (a rotation). */
    public void serve(JWKSet keys) {
        body = keys.toString(true);
    }

    /** Holds every answer back until the returned latch is counted down (a hung endpoint). */
    public CountDownLatch hang() {
        CountDownLatch gate = new CountDownLatch(1);
        answerGate = gate;
        return gate;
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json");
    }

    public int fetches() {
        return fetches.get();
    }

    /** Takes the endpoint down: connections are refused from now on. */
    public void stop() {
        server.stop(0);
    }

    @Override
    public void close() {
        stop();
    }
}
