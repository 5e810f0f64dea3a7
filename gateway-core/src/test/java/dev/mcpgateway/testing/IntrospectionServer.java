package dev.mcpgateway.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real RFC 7662 introspection endpoint on 127.0.0.1: answers each token with the JSON a test set for it (else
 * {@code {"active":false}}), counting calls and keeping the last request's credentials and form.
 */
public final class IntrospectionServer implements AutoCloseable {
    private final HttpServer server;
    private final Map<String, String> answers = new ConcurrentHashMap<>();
    private final AtomicInteger calls = new AtomicInteger();
    private volatile int status = 200;
    private volatile CountDownLatch answerGate = new CountDownLatch(0);
    private volatile String lastAuthorization;
    private volatile String lastForm;

    public IntrospectionServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/introspect", exchange -> {
            calls.incrementAndGet();
            lastAuthorization = exchange.getRequestHeaders().getFirst("Authorization");
            lastForm = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String token = "";
            for (String pair : lastForm.split("&")) {
                if (pair.startsWith("token=")) {
                    token = URLDecoder.decode(pair.substring("token=".length()), StandardCharsets.UTF_8);
                }
            }
            try {
                answerGate.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] json = answers.getOrDefault(token, "{\"active\":false}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, json.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(json);
            }
        });
        server.start();
    }

    /** Answers {@code token} with {@code json} from now on. */
    public void answer(String token, String json) {
        answers.put(token, json);
    }

    /** Answers every request with this HTTP status (the bodies stay as set). */
    public void status(int status) {
        this.status = status;
    }

    /** Holds every answer back until the returned latch is counted down (a hung endpoint). */
    public CountDownLatch hang() {
        CountDownLatch gate = new CountDownLatch(1);
        answerGate = gate;
        return gate;
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/introspect");
    }

    public int calls() {
        return calls.get();
    }

    public String lastAuthorization() {
        return lastAuthorization;
    }

    public String lastForm() {
        return lastForm;
    }

    public void stop() {
        server.stop(0);
    }

    @Override
    public void close() {
        stop();
    }
}
