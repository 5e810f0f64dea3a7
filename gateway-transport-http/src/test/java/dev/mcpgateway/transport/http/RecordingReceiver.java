package dev.mcpgateway.transport.http;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.mcpgateway.jsonrpc.JsonRpcMessage;
import dev.mcpgateway.transport.ChannelException;
import dev.mcpgateway.transport.MessageChannel;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Records what a channel hands its receiver, and checks deliveries never overlap. */
final class RecordingReceiver implements MessageChannel.Receiver {
    final BlockingQueue<JsonRpcMessage> messages = new LinkedBlockingQueue<>();
    final List<String> invalid = new CopyOnWriteArrayList<>();
    final AtomicInteger closedCount = new AtomicInteger();
    final CountDownLatch closed = new CountDownLatch(1);
    volatile ChannelException closedCause;
    private final AtomicInteger inside = new AtomicInteger();
    volatile boolean overlapped;

    @Override
    public void onMessage(JsonRpcMessage message) {
        if (inside.incrementAndGet() > 1) {
            overlapped = true;
        }
        messages.add(message);
        inside.decrementAndGet();
    }

    @Override
    public void onInvalid(String reason) {
        invalid.add(reason);
    }

    @Override
    public void onClosed(ChannelException cause) {
        closedCause = cause;
        closedCount.incrementAndGet();
        closed.countDown();
    }

    /** The next delivered message, waiting at most 5 s. */
    JsonRpcMessage next() throws InterruptedException {
        JsonRpcMessage message = messages.poll(5, TimeUnit.SECONDS);
        assertNotNull(message, "no message was delivered within 5 s");
        return message;
    }

    /** Waits at most 5 s for onClosed. */
    void awaitClosed() throws InterruptedException {
        if (!closed.await(5, TimeUnit.SECONDS)) {
            throw new AssertionError("onClosed was not called within 5 s");
        }
    }
}
