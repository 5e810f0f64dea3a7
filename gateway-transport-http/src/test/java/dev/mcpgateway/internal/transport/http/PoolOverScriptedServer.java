package dev.mcpgateway.internal.transport.http;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** What the {@link Http1Pool} tests share: a pool toward a raw-socket server whose answers each test scripts. */
abstract class PoolOverScriptedServer {
    static final Duration WAIT = Duration.ofSeconds(5);

    ScriptedServer server;
    Http1Pool pool;

    @BeforeEach
    void start() throws IOException {
        server = new ScriptedServer();
        pool = new Http1Pool(server.url(), WAIT, null); // socket read timeouts: a channel made without a gateway
    }

    @AfterEach
    void stop() throws IOException {
        pool.close();
        server.close();
    }

    /** An empty POST to the server, allowing {@link #WAIT} for the answer's head. */
    UpstreamReply post() throws IOException {
        return post(WAIT);
    }

    /** An empty POST to the server, allowing {@code timeout} for the answer's head. */
    UpstreamReply post(Duration timeout) throws IOException {
        return pool.post(server.url(), new HeaderFields(), timeout, new byte[0]);
    }
}
