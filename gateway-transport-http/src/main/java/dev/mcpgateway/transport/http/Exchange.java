package dev.mcpgateway.transport.http;

import dev.mcpgateway.jsonrpc.RequestId;
import java.io.InputStream;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A request of a {@link StreamableHttpChannel} in flight, so a cancellation can stop reading its answer. Created
 * on the worker that POSTs the request, which is the thread a cancellation interrupts.
 */
final class Exchange {
    final RequestId id;
    volatile boolean cancelled;
    private final Thread worker = Thread.currentThread();
    private final ReentrantLock deliveryLock;
    private volatile InputStream body;

    Exchange(RequestId id, ReentrantLock deliveryLock) {
        this.id = id;
        this.deliveryLock = deliveryLock;
    }

    void attach(InputStream in) {
        body = in;
        if (cancelled) {
            HttpReplies.closeQuietly(in);
        }
    }

    void cancel() {
        cancelled = true;
        InputStream in = body;
        if (in != null) {
            HttpReplies.closeQuietly(in);
        }
        if (worker != Thread.currentThread()) {
            // A read blocked on the response does not notice the close; the interrupt ends it. Under the
            // delivery lock, so it cannot land while the worker is inside the receiver.
            deliveryLock.lock();
            try {
                worker.interrupt();
            } finally {
                deliveryLock.unlock();
            }
        }
    }
}
