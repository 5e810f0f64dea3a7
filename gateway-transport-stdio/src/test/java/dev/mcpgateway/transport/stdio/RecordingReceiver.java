package dev.mcpgateway.transport.stdio;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mcpgateway.jsonrpc.JsonRpcMessage;
import dev.mcpgateway.jsonrpc.JsonRpcResponse;
import dev.mcpgateway.transport.ChannelException;
import dev.mcpgateway.transport.MessageChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Records what a channel delivers, in order, and lets a test wait for the next event. */
final class RecordingReceiver implements MessageChannel.Receiver {
    /** Something the channel delivered. */
    sealed interface Event permits Message, Invalid, Closed {
    }

    record Message(JsonRpcMessage message) implements Event {
    }

    record Invalid(String reason) implements Event {
    }

    record Closed(ChannelException cause) implements Event {
    }

    private static final long WAIT_SECONDS = 10;

    private final BlockingQueue<Event> pending = new LinkedBlockingQueue<>();
    private final List<Event> all = new ArrayList<>();

    @Override
    public void onMessage(JsonRpcMessage message) {
        record(new Message(message));
    }

    @Override
    public void onInvalid(String reason) {
        record(new Invalid(reason));
    }

    @Override
    public void onClosed(ChannelException cause) {
        record(new Closed(cause));
    }

    /** The next event not yet taken; fails the test if none comes within 10 s. */
    Event next() throws InterruptedException {
        Event event = pending.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        if (event == null) {
            fail("no event from the channel within " + WAIT_SECONDS + " s; got so far: " + events());
        }
        return event;
    }

    /** The next event, which must be a response. */
    JsonRpcResponse nextResponse() throws InterruptedException {
        Event event = next();
        return assertInstanceOf(JsonRpcResponse.class,
                assertInstanceOf(Message.class, event, "expected a message, got " + event).message());
    }

    /** The next event, which must be an invalid-input report; returns its reason. */
    String nextInvalid() throws InterruptedException {
        Event event = next();
        return assertInstanceOf(Invalid.class, event, "expected an invalid-input report, got " + event).reason();
    }

    /** The next event, which must be the end of the channel; returns its cause. */
    ChannelException nextClosed() throws InterruptedException {
        Event event = next();
        return assertInstanceOf(Closed.class, event, "expected the end of the channel, got " + event).cause();
    }

    /** Every event delivered so far, in order. */
    synchronized List<Event> events() {
        return List.copyOf(all);
    }

    /** How many times the channel reported its end. */
    synchronized long closedCount() {
        return all.stream().filter(Closed.class::isInstance).count();
    }

    private synchronized void record(Event event) {
        all.add(event);
        pending.add(event);
    }
}
