package dev.mcpgateway.registry;

import static dev.mcpgateway.testing.Plugins.manifest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.health.Health;
import dev.mcpgateway.internal.registry.InMemoryRegistry;
import dev.mcpgateway.internal.registry.RegistrationJson;
import dev.mcpgateway.plugin.InstanceStatus;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.plugin.Registration;
import dev.mcpgateway.plugin.RegistrationSource;
import dev.mcpgateway.plugin.ToolKey;
import dev.mcpgateway.testing.FakeClock;
import dev.mcpgateway.testing.MemoryRegistryStore;
import dev.mcpgateway.testing.Registries;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The control loop writes API-registered instances to the registry store before it applies their change, and applies
 * nothing the store could not keep; instances the host or configuration declares never reach the store.
 */
class RegistryStoreWritesTest {
    private static final Duration LEASE = Duration.ofSeconds(30);
    private final FakeClock clock = new FakeClock();
    private final MemoryRegistryStore store = new MemoryRegistryStore();
    private final InMemoryRegistry registry = Registries.inMemory(clock, store);

    @AfterEach
    void close() {
        registry.close();
    }

    private static Registration api(String id) {
        return Registration.of(id, manifest("files", "1.0.0", "read")).withLease(LEASE)
                .withSource(RegistrationSource.API);
    }

    private static Throwable failure(CompletableFuture<?> future) {
        CompletionException thrown = assertThrows(CompletionException.class, future::join);
        return thrown.getCause();
    }

    @Test
    void apiInstancesArePutRenewedAndRemoved() {
        PluginInstance registered = registry.register(api("files-1")).join();
        RegistryStore.Stored stored = store.kept().get("files-1");
        assertEquals("files", stored.plugin());
        assertEquals(registered.leaseExpiresAt(), stored.leaseExpiresAt());
        assertEquals(api("files-1"), RegistrationJson.read(stored.registration()));

        clock.advance(Duration.ofSeconds(10));
        PluginInstance renewed = registry.renew("files-1").join();
        assertEquals(renewed.leaseExpiresAt(), store.kept().get("files-1").leaseExpiresAt());

        registry.deregister("files-1").join();
        assertEquals(List.of("put files-1", "renew files-1", "remove files-1"), store.calls());
        assertTrue(store.kept().isEmpty());
    }

    @Test
    void anAssignedIdIsTheOneKept() {
        PluginInstance registered = registry.register(api(null)).join();
        assertEquals(registered.id(), RegistrationJson.read(store.kept().get(registered.id()).registration())
                .instanceId());
    }

    @Test
    void hostAndConfigInstancesAndHealthAndManifestChangesAreNotKeptButDrainsAre() {
        registry.register(Registration.of("host-1", manifest("files", "1.0.0", "read")).withLease(LEASE)).join();
        registry.register(Registration.of("config-1", manifest("files", "1.0.0", "read"))
                .withSource(RegistrationSource.CONFIG)).join();
        registry.renew("host-1").join();
        registry.deregister("config-1").join();
        registry.register(api("files-1")).join();
        registry.setStatus("files-1", InstanceStatus.OUT_OF_SERVICE).join();
        registry.reportHealth("files-1", Health.UNHEALTHY, "probe failed").join();
        registry.updateManifest("files-1", manifest("files", "1.0.1", "read", "write")).join();
        registry.setStatus("files-1", InstanceStatus.DOWN).join();
        assertEquals(List.of("put files-1", "drain files-1", "undrain files-1"), store.calls());
    }

    @Test
    void whenTheHostTakesAnApiInstanceOverItIsForgotten() {
        registry.register(api("files-1")).join();
        registry.register(Registration.of("files-1", manifest("files", "1.0.0", "read"))).join();
        assertEquals(List.of("put files-1", "remove files-1"), store.calls());
        assertTrue(store.kept().isEmpty());
    }

    @Test
    void aChangeTheStoreCannotKeepIsNotAppliedAndLaterOnesAre() {
        registry.register(api("files-1")).join();
        PluginInstance before = registry.instance("files-1").orElseThrow();
        long version = registry.table().version();
        store.down(true);

        assertInstanceOf(RegistryStoreUnavailableException.class, failure(registry.register(api("files-2"))));
        clock.advance(Duration.ofSeconds(10));
        assertInstanceOf(RegistryStoreUnavailableException.class, failure(registry.renew("files-1")));
        assertInstanceOf(RegistryStoreUnavailableException.class, failure(registry.deregister("files-1")));
        // A host instance in the same moment is applied: only the changes the store refused are not.
        registry.register(Registration.of("host-1", manifest("other", "1.0.0", "ping"))).join();

        assertFalse(registry.instance("files-2").isPresent());
        assertEquals(before, registry.instance("files-1").orElseThrow(), "neither renewed nor removed");
        assertEquals(List.of("files-1"), registry.findByTool(new ToolKey("files", "read")).stream()
                .map(PluginInstance::id).toList());
        assertEquals(version + 1, registry.table().version(), "only the host instance rebuilt the table");
        assertEquals(List.of("files-1"), List.copyOf(store.kept().keySet()));

        store.down(false);
        registry.register(api("files-2")).join();
        registry.renew("files-1").join();
        registry.deregister("files-1").join();
        assertEquals(List.of("files-2"), List.copyOf(store.kept().keySet()));
    }

    @Test
    void anyStoreFailureIsReportedAsUnavailableWithItsCause() {
        IllegalStateException broken = new IllegalStateException("connection refused: jdbc:postgresql://u:p@db/x");
        InMemoryRegistry other = Registries.inMemory(clock, new ThrowingStore(broken));
        try {
            Throwable failure = failure(other.register(api("files-1")));
            assertInstanceOf(RegistryStoreUnavailableException.class, failure);
            assertEquals(broken, failure.getCause());
            assertFalse(failure.getMessage().contains("u:p"), "the store's own message stays out: " + failure);
            assertTrue(other.instances().isEmpty());
        } finally {
            other.close();
        }
    }

    @Test
    void aLapsedLeaseTheStoreCannotForgetStaysUntilItCan() {
        registry.register(api("files-1")).join();
        clock.advance(LEASE);
        store.down(true);
        assertEquals(List.of(), registry.evictExpired().join());
        assertTrue(registry.instance("files-1").isPresent());

        store.down(false);
        assertEquals(List.of("files-1"), registry.evictExpired().join().stream().map(PluginInstance::id).toList());
        assertTrue(store.kept().isEmpty());
    }

    @Test
    void aRestoredInstanceKeepsItsLeaseExpiryAndIsNotWrittenAgain() {
        Instant expiry = clock.instant().plusSeconds(5);
        PluginInstance restored = registry.restore(api("files-1"), expiry).join();
        assertEquals(expiry, restored.leaseExpiresAt());
        assertEquals(RegistrationSource.API, restored.source());
        assertEquals(List.of(), store.calls());
        assertEquals(1, registry.findByTool(new ToolKey("files", "read")).size());
    }

    /** A store whose every write fails with its own exception, as a driver would. */
    private record ThrowingStore(RuntimeException failure) implements RegistryStore {
        @Override
        public List<Stored> load() {
            throw failure;
        }

        @Override
        public void put(Stored instance) {
            throw failure;
        }

        @Override
        public void renew(String id, Instant leaseExpiresAt) {
            throw failure;
        }

        @Override
        public void remove(String id) {
            throw failure;
        }

        @Override
        public boolean removeIfLapsed(String id, Instant leaseExpiresAt) {
            throw failure;
        }

        @Override
        public void close() {
        }
    }
}
