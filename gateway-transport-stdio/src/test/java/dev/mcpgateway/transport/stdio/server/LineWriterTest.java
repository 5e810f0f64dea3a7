package dev.mcpgateway.transport.stdio.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.internal.transport.stdio.server.LineWriter;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcCodec;
import dev.mcpgateway.jsonrpc.JsonRpcMessage;
import dev.mcpgateway.jsonrpc.JsonRpcNotification;
import dev.mcpgateway.jsonrpc.JsonRpcResponse;
import dev.mcpgateway.jsonrpc.RequestId;
import dev.mcpgateway.testing.Stderr;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Framing of what the stdio server writes: whole lines, never interleaved, and a broken stream noticed once. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LineWriterTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final AtomicInteger broken = new AtomicInteger();
    private final LineWriter writer = new LineWriter(out, broken::incrementAndGet);

    @Test
    void writesEachMessageAsOneLine() {
        ObjectNode result = Json.object().put("text", "two\nlines");
        assertTrue(writer.send(JsonRpcResponse.success(RequestId.of(1), result)));
        assertTrue(writer.send(new JsonRpcNotification("notifications/progress", Json.object().put("progress", 1))));

        List<JsonRpcMessage> messages = decodeLines();
        assertEquals(List.of(JsonRpcResponse.success(RequestId.of(1), result),
                new JsonRpcNotification("notifications/progress", Json.object().put("progress", 1))), messages);
    }

    @Test
    void concurrentSendersNeverInterleave() throws Exception {
        int threads = 8;
        int perThread = 200;
        String padding = "p".repeat(10_000);
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int sender = t;
            senders.add(Thread.ofVirtual().start(() -> {
                awaitQuietly(start);
                for (int i = 0; i < perThread; i++) {
                    writer.send(JsonRpcResponse.success(RequestId.of(sender * perThread + i),
                            Json.object().put("padding", padding)));
                }
            }));
        }
        start.countDown();
        for (Thread sender : senders) {
            sender.join();
        }

        Set<RequestId> ids = new HashSet<>();
        for (JsonRpcMessage message : decodeLines()) {
            ids.add(((JsonRpcResponse) message).id());
        }
        assertEquals(threads * perThread, ids.size(), "every message arrived whole and once");
    }

    @Test
    void aResponseThatCannotBeEncodedBecomesAnInternalError() throws Exception {
        ObjectNode result = Json.object();
        result.putPOJO("unserializable", new Object());

        String log = Stderr.of(() -> {
            assertTrue(writer.send(JsonRpcResponse.success(RequestId.of("r"), result)));
            assertFalse(writer.send(new JsonRpcNotification("notifications/message", result)),
                    "a notification that cannot be encoded is dropped");
        });

        JsonRpcResponse written = (JsonRpcResponse) decodeLines().get(0);
        assertEquals(RequestId.of("r"), written.id());
        assertEquals(ErrorCodes.INTERNAL_ERROR, written.error().code());
        assertEquals("Internal error: the gateway could not encode the result as JSON", written.error().message());
        assertEquals(1, decodeLines().size());
        // Whatever put an unencodable value in a message has a bug: both failures are logged with their stack traces.
        assertTrue(log.contains("the response to request \"r\" cannot be encoded"), log);
        assertTrue(log.contains("a message for the client cannot be encoded and was dropped"), log);
        assertEquals(2, log.lines().filter(line -> line.startsWith("java.lang.IllegalArgumentException")).count(), log);
    }

    @Test
    void afterCloseNothingIsWrittenAndTheStreamIsClosed() {
        ClosingStream stream = new ClosingStream();
        LineWriter closing = new LineWriter(stream, broken::incrementAndGet);
        assertTrue(closing.send(new JsonRpcNotification("first", null)));

        closing.close();

        assertTrue(stream.closed);
        assertFalse(closing.send(new JsonRpcNotification("second", null)));
        assertEquals("{\"jsonrpc\":\"2.0\",\"method\":\"first\"}\n", stream.text());
        assertEquals(0, broken.get(), "closing is not breaking");
    }

    @Test
    void aFailedWriteIsReportedOnceAndStopsLaterWrites() {
        OutputStream gone = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Broken pipe");
            }
        };
        LineWriter failing = new LineWriter(gone, broken::incrementAndGet);

        assertFalse(failing.send(new JsonRpcNotification("first", null)));
        assertFalse(failing.send(new JsonRpcNotification("second", null)));

        assertEquals(1, broken.get());
    }

    private List<JsonRpcMessage> decodeLines() {
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.endsWith("\n"), "the last message ends its line");
        List<JsonRpcMessage> messages = new ArrayList<>();
        for (String line : text.split("\n")) {
            messages.add(JsonRpcCodec.INSTANCE.decode(line));
        }
        return messages;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Remembers what was written and whether it was closed. */
    private static final class ClosingStream extends ByteArrayOutputStream {
        private boolean closed;

        @Override
        public void close() {
            closed = true;
        }

        String text() {
            return toString(StandardCharsets.UTF_8);
        }
    }
}
