package dev.mcpgateway.server;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/** {@link SessionStore#none()}: shares nothing. */
enum NoSessionStore implements SessionStore {
    INSTANCE;

    @Override
    public void put(String id, String data, Duration idleTimeout) {
    }

    @Override
    public Optional<String> get(String id) {
        return Optional.empty();
    }

    @Override
    public void touch(Iterable<String> ids, Duration idleTimeout) {
    }

    @Override
    public void remove(String id) {
    }

    @Override
    public void publish(String message) {
    }

    @Override
    public void onMessage(Consumer<String> receiver) {
    }

    @Override
    public void close() {
    }
}
