package dev.mcpgateway.internal.transport.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.transport.http.server.HttpFrontDoorOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ThreadPool;
import org.eclipse.jetty.util.thread.VirtualThreadPool;
import org.junit.jupiter.api.Test;

/** Which threads the front door's server runs on, by JDK: every one virtual from 25, virtual requests before. */
class FrontDoorServerThreadsTest {
    @Test
    void fromJdk25EveryThreadIsVirtualAndNothingCapsTheTasks() {
        ThreadPool threads = FrontDoorServer.threadPool(25);

        VirtualThreadPool virtual = assertInstanceOf(VirtualThreadPool.class, threads);
        assertEquals(0, virtual.getMaxConcurrentTasks(), "an open event stream holds a task: no cap of 200");
        // Stopped (here: never started), it refuses as QueuedThreadPool does, without Jetty's warning and stack
        // trace, which a server stopping under a connection being read would log.
        assertFalse(virtual.tryExecute(() -> { }));
    }

    @Test
    void beforeJdk25TheSelectorsArePlatformThreadsAndRequestsRunOnVirtualOnes() {
        ThreadPool threads = FrontDoorServer.threadPool(21);

        QueuedThreadPool queued = assertInstanceOf(QueuedThreadPool.class, threads);
        assertNotNull(queued.getVirtualThreadsExecutor(), "requests on virtual threads");
    }

    @Test
    void aRequestIsHandledOnAVirtualThread() throws Exception {
        AtomicReference<Thread> handling = new AtomicReference<>();
        try (FrontDoorServer server = FrontDoorServer.start(exchange -> {
            handling.set(Thread.currentThread());
            try (InputStream body = exchange.body()) {
                body.readAllBytes();
                exchange.send(200, "ok".getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, HttpFrontDoorOptions.builder().host("127.0.0.1").port(0).build())) {
            URI uri = URI.create("http://127.0.0.1:" + server.address().getPort() + "/mcp");
            try (HttpClient client = HttpClient.newHttpClient()) {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, response.statusCode(), response.body());
            }
        }
        assertTrue(handling.get().isVirtual(), handling.get().toString());
    }
}
