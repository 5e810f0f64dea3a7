package dev.mcpgateway.registry;

import java.time.Instant;
import java.util.List;

/** {@link RegistryStore#none()}: keeps nothing. */
enum NoStore implements RegistryStore {
    INSTANCE;

    @Override
    public List<Stored> load() {
        return List.of();
    }

    @Override
    public void put(Stored instance) {
    }

    @Override
    public void renew(String id, Instant leaseExpiresAt) {
    }

    @Override
    public void remove(String id) {
    }

    @Override
    public boolean removeIfLapsed(String id, Instant leaseExpiresAt) {
        return true;
    }

    @Override
    public void close() {
    }
}
