package dev.mcpgateway.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.GatewayConfig;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.mcp.Tool;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.plugin.PluginManifest;
import dev.mcpgateway.plugin.Registration;
import dev.mcpgateway.plugin.RegistrationSource;
import dev.mcpgateway.plugin.TransportSpec;
import dev.mcpgateway.registry.RegistryStore;
import dev.mcpgateway.registry.RegistryStoreUnavailableException;
import dev.mcpgateway.routing.ExposedTool;
import dev.mcpgateway.testing.FakeClock;
import dev.mcpgateway.testing.Gateways;
import dev.mcpgateway.testing.MemoryRegistryStore;
import dev.mcpgateway.testing.ScriptedServer;
import dev.mcpgateway.testing.ScriptedTransport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * Two gateways sharing one registry store follow each other's API registrations through {@link
 * McpGateway#reconcileStore()}: what one registers, renews, replaces or deregisters, the other serves alike after its
 * next pass, and neither evicts a lease the other renewed.
 */
class SharedStoreTest {
    private static final Duration LEASE = Duration.ofSeconds(30);
    /** Long enough that no scheduled pass runs during a test: the tests decide when passes run. */
    private static final Duration NEVER = Duration.ofHours(1);
    private final FakeClock clock = new FakeClock();
    private final MemoryRegistryStore store = new MemoryRegistryStore();
    @AutoClose
    private final Gateways gateways = new Gateways();

    private McpGateway gateway(RegistryStore on) {
        GatewayConfig config = GatewayConfig.builder().leaseCheckInterval(NEVER).leaseEvictionWindow(NEVER)
                .leaseEvictionMaxShare(1.0).storeReconcileInterval(NEVER).build();
        McpGateway gateway = McpGateway.builder().clock(clock).config(config).registryStore(on)
                .transport(new ScriptedTransport(instance -> ScriptedServer.listing("echo"))).build();
        gateways.add(gateway);
        return gateway;
    }

    private static Registration api(String id, String region) {
        PluginManifest manifest = PluginManifest.builder("files").transport(TransportSpec.Stdio.of("files"))
                .tool(Tool.builder("echo").build()).label("region", region).build();
        return Registration.of(id, manifest).withLease(LEASE).withSource(RegistrationSource.API);
    }

    private static List<String> tools(McpGateway gateway) {
        return gateway.listTools().stream().map(ExposedTool::exposedName).toList();
    }

    @Test
    void anInstanceRegisteredOnOneGatewayIsRoutableOnTheOtherAfterItsNextPass() {
        McpGateway a = gateway(store);
        McpGateway b = gateway(store);
        PluginInstance registered = a.register(api("files-1", "eu")).join();
        assertEquals(List.of(), tools(b), "b read the store before a registered");

        b.reconcileStore().join();
        assertEquals(List.of("files__echo"), tools(b));
        PluginInstance followed = b.registry().instance("files-1").orElseThrow();
        assertEquals(RegistrationSource.API, followed.source());
        assertEquals(registered.leaseExpiresAt(), followed.leaseExpiresAt());
        assertEquals(List.of("load", "load", "put files-1", "load"), store.calls(), "b wrote nothing back");
    }

    @Test
    void aLeaseRenewedOnOneGatewayIsNotEvictedByTheOtherAndItsPassTakesTheRenewalOver() {
        McpGateway a = gateway(store);
        McpGateway b = gateway(store);
        a.register(api("files-1", "eu")).join();
        b.reconcileStore().join();
        clock.advance(Duration.ofSeconds(20));
        Instant renewed = a.registry().renew("files-1").join().leaseExpiresAt();
        clock.advance(Duration.ofSeconds(15)); // past the lease b knows of, short of the renewed one

        assertEquals(List.of(), b.registry().evictExpired().join());
        assertTrue(b.registry().instance("files-1").isPresent(), "renewed elsewhere: not evicted");
        assertTrue(store.kept().containsKey("files-1"), "nor deleted from the store");
        assertTrue(store.calls().contains("removeIfLapsed files-1"));

        b.reconcileStore().join();
        assertEquals(renewed, b.registry().instance("files-1").orElseThrow().leaseExpiresAt());
        assertEquals(List.of("files__echo"), tools(b));

        clock.advance(LEASE); // now lapsed everywhere: whichever gateway looks first evicts it
        assertEquals(List.of("files-1"), b.registry().evictExpired().join().stream().map(PluginInstance::id).toList());
        assertFalse(store.kept().containsKey("files-1"));
        a.reconcileStore().join();
        assertFalse(a.registry().instance("files-1").isPresent(), "evicted through b: gone from a too");
    }

    @Test
    void anInstanceReplacedOrDeregisteredOnOneGatewayIsSoOnTheOtherAfterItsNextPass() {
        McpGateway a = gateway(store);
        McpGateway b = gateway(store);
        a.register(api("files-1", "eu")).join();
        b.reconcileStore().join();
        b.reconcileStore().join(); // nothing changed: nothing happens
        assertEquals("eu", b.registry().instance("files-1").orElseThrow().manifest().labels().get("region"));

        a.register(api("files-1", "us")).join();
        b.reconcileStore().join();
        assertEquals("us", b.registry().instance("files-1").orElseThrow().manifest().labels().get("region"));

        a.registry().deregister("files-1").join();
        b.reconcileStore().join();
        assertFalse(b.registry().instance("files-1").isPresent());
        assertEquals(List.of(), tools(b));
    }

    @Test
    void aPassWhoseLoadPredatesThisGatewaysOwnChangeDoesNotUndoIt() throws Exception {
        GatedStore gated = new GatedStore(store);
        McpGateway b = gateway(gated);

        // Registered here while a load that began before the put is under way: the load does not hold it.
        CompletableFuture<Void> pass = gated.holdNextLoad(b::reconcileStore);
        b.register(api("files-1", "eu")).join();
        gated.release();
        pass.join();
        assertTrue(b.registry().instance("files-1").isPresent(), "not forgotten on the word of an older load");

        // Deregistered here while a load that still holds it is under way.
        pass = gated.holdNextLoad(b::reconcileStore);
        b.registry().deregister("files-1").join();
        gated.release();
        pass.join();
        assertFalse(b.registry().instance("files-1").isPresent(), "not brought back by an older load");

        b.register(api("files-2", "eu")).join();
        b.reconcileStore().join(); // a load after the write: nothing to hold back, nothing to change
        assertEquals(List.of("files-2"), b.registry().instances().stream().map(PluginInstance::id).toList());
    }

    @Test
    void aStoreThatCannotBeReadChangesNothingUntilItCan() {
        McpGateway a = gateway(store);
        McpGateway b = gateway(store);
        a.register(api("files-1", "eu")).join();
        b.reconcileStore().join();
        a.registry().deregister("files-1").join();
        store.down(true);

        CompletionException failed = assertThrows(CompletionException.class, () -> b.reconcileStore().join());
        assertInstanceOf(RegistryStoreUnavailableException.class, failed.getCause());
        assertThrows(CompletionException.class, () -> b.reconcileStore().join());
        assertTrue(b.registry().instance("files-1").isPresent(), "an unreadable store is no empty store");
        assertEquals(List.of("files__echo"), tools(b));

        store.down(false);
        b.reconcileStore().join();
        assertFalse(b.registry().instance("files-1").isPresent());
    }

    @Test
    void withoutAStoreAPassDoesNothing() {
        McpGateway alone = gateway(RegistryStore.none());
        alone.register(api("files-1", "eu")).join();
        alone.reconcileStore().join();
        assertTrue(alone.registry().instance("files-1").isPresent(), "kept nowhere, yet not forgotten");
    }

    @Test
    void theIntervalIsValidatedLikeTheOtherDurations() {
        assertEquals(Duration.ofSeconds(5), GatewayConfig.defaults().storeReconcileInterval());
        IllegalArgumentException invalid = assertThrows(IllegalArgumentException.class,
                () -> GatewayConfig.builder().storeReconcileInterval(Duration.ofMillis(1)).build());
        assertEquals("storeReconcileInterval must be at least 10 ms, got PT0.001S", invalid.getMessage());
    }

    /** A store whose next load, once armed, reads what is kept and then waits to return until released. */
    private static final class GatedStore implements RegistryStore {
        private final MemoryRegistryStore kept;
        private volatile CountDownLatch loaded;
        private volatile CountDownLatch released;
        /** The gate the next load waits at, taken by that load. */
        private volatile CountDownLatch armed;

        GatedStore(MemoryRegistryStore kept) {
            this.kept = kept;
        }

        /** Starts {@code pass} and returns once its load has read the store; the load returns on {@link #release}. */
        <T> CompletableFuture<T> holdNextLoad(java.util.function.Supplier<CompletableFuture<T>> pass)
                throws InterruptedException {
            loaded = new CountDownLatch(1);
            released = new CountDownLatch(1);
            armed = released;
            CompletableFuture<T> started = pass.get();
            assertTrue(loaded.await(10, TimeUnit.SECONDS), "the pass loaded");
            return started;
        }

        void release() {
            released.countDown();
        }

        @Override
        public List<Stored> load() {
            List<Stored> read = kept.load();
            CountDownLatch gate = armed;
            if (gate != null) {
                armed = null;
                loaded.countDown();
                try {
                    assertTrue(gate.await(10, TimeUnit.SECONDS), "released");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return read;
        }

        @Override
        public void put(Stored instance) {
            kept.put(instance);
        }

        @Override
        public void renew(String id, Instant leaseExpiresAt) {
            kept.renew(id, leaseExpiresAt);
        }

        @Override
        public void remove(String id) {
            kept.remove(id);
        }

        @Override
        public boolean removeIfLapsed(String id, Instant leaseExpiresAt) {
            return kept.removeIfLapsed(id, leaseExpiresAt);
        }

        @Override
        public void close() {
        }
    }
}
