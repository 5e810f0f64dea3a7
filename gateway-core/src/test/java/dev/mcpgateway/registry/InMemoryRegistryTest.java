package dev.mcpgateway.registry;

import static dev.mcpgateway.testing.Plugins.manifest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.event.GatewayEvent;
import dev.mcpgateway.health.Health;
import dev.mcpgateway.internal.registry.InMemoryRegistry;
import dev.mcpgateway.plugin.InstanceStatus;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.plugin.Registration;
import dev.mcpgateway.plugin.ToolKey;
import dev.mcpgateway.testing.Await;
import dev.mcpgateway.testing.FakeClock;
import dev.mcpgateway.testing.RecordingListener;
import dev.mcpgateway.testing.Registries;
import dev.mcpgateway.testing.Stderr;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InMemoryRegistryTest {
    private final FakeClock clock = new FakeClock();
    private final RecordingListener events = new RecordingListener();
    private final InMemoryRegistry registry = Registries.inMemory(clock);

    InMemoryRegistryTest() {
        registry.addListener(events);
    }

    @AfterEach
    void close() {
        registry.close();
    }

    @Test
    void registeredInstanceIsRoutableWhenTheFutureCompletes() {
        PluginInstance files = registry.register(Registration.of(manifest("files", "1.0.0", "read", "list"))).join();

        assertEquals("files-1", files.id());
        assertEquals(InstanceStatus.UP, files.status());
        assertEquals(Health.UNKNOWN, files.health());
        assertEquals(1, registry.table().version());
        assertNotNull(registry.table().route(new ToolKey("files", "read")));
        assertEquals(List.of("files__list", "files__read"),
                registry.table().tools().stream().map(t -> t.exposedName()).toList());
        assertEquals(List.of(files), registry.findByTool(new ToolKey("files", "read")));
        assertInstanceOf(GatewayEvent.InstanceRegistered.class, events.events().get(0));
        assertInstanceOf(GatewayEvent.RoutingTableUpdated.class, events.events().get(1));
    }

    @Test
    void assignsDistinctIdsPerPluginAndKeepsGivenIds() {
        assertEquals("files-1", registry.register(Registration.of(manifest("files", "1", "read"))).join().id());
        assertEquals("files-2", registry.register(Registration.of(manifest("files", "1", "read"))).join().id());
        assertEquals("custom", registry.register(Registration.of("custom", manifest("files", "1", "read"))).join().id());
        assertEquals("web-1", registry.register(Registration.of(manifest("web", "1", "get"))).join().id());
        assertEquals(List.of("custom", "files-1", "files-2", "web-1"),
                registry.instances().stream().map(PluginInstance::id).toList());
    }

    @Test
    void reRegistrationReplacesTheInstanceAndKeepsItsRegistrationTime() {
        PluginInstance first = registry.register(Registration.of("a", manifest("files", "1.0.0", "read"))).join();
        clock.advance(Duration.ofMinutes(5));
        PluginInstance second = registry.register(Registration.of("a", manifest("files", "1.1.0", "read", "write"))).join();

        assertEquals(first.registeredAt(), second.registeredAt());
        assertEquals("1.1.0", registry.instance("a").orElseThrow().manifest().version());
        GatewayEvent.InstanceRegistered replaced = events.events(GatewayEvent.InstanceRegistered.class).get(1);
        assertEquals(first, replaced.replaced());
        assertNotNull(registry.table().route(new ToolKey("files", "write")));
    }

    @Test
    void anIdHeldByAnotherPluginIsRefusedAndTheInstanceStays() {
        PluginInstance files = registry.register(Registration.of("a", manifest("files", "1.0.0", "read"))).join();

        CompletionException error = assertThrows(CompletionException.class,
                () -> registry.register(Registration.of("a", manifest("web", "1.0.0", "get"))).join());

        InstanceConflictException conflict = assertInstanceOf(InstanceConflictException.class, error.getCause());
        assertEquals("instance id 'a' belongs to plugin 'files', not 'web'; choose another id, or deregister that"
                + " instance first", conflict.getMessage());
        assertEquals(files, registry.instance("a").orElseThrow());
        assertNull(registry.table().route(new ToolKey("web", "get")));
    }

    @Test
    void leaseExpiresOnTheClockUnlessRenewed() {
        registry.register(Registration.of("a", manifest("files", "1", "read")).withLease(Duration.ofSeconds(30))).join();
        registry.register(Registration.of("forever", manifest("files", "1", "read"))).join();

        clock.advance(Duration.ofSeconds(29));
        assertEquals(List.of(), registry.evictExpired().join());
        PluginInstance renewed = registry.renew("a").join();
        assertEquals(clock.instant().plusSeconds(30), renewed.leaseExpiresAt());

        clock.advance(Duration.ofSeconds(29));
        assertEquals(List.of(), registry.evictExpired().join());

        clock.advance(Duration.ofSeconds(1));
        List<PluginInstance> expired = registry.evictExpired().join();
        assertEquals(List.of("a"), expired.stream().map(PluginInstance::id).toList());
        assertTrue(registry.instance("a").isEmpty());
        assertTrue(registry.instance("forever").isPresent(), "an instance without a lease never expires");
        assertEquals(List.of("forever"), registry.table().route(new ToolKey("files", "read")).endpoints().stream()
                .map(e -> e.id()).toList());
        assertEquals("a", events.events(GatewayEvent.LeaseExpired.class).get(0).instance().id());
    }

    @Test
    void renewingOnlyMovesTheLeaseAndPublishesNoNewTable() {
        registry.register(Registration.of("a", manifest("files", "1", "read")).withLease(Duration.ofSeconds(30))).join();
        long version = registry.table().version();
        events.clear();

        clock.advance(Duration.ofSeconds(10));
        registry.renew("a").join();

        assertEquals(version, registry.table().version());
        assertEquals(List.of(), events.events());
        assertEquals(clock.instant().plusSeconds(30), registry.instance("a").orElseThrow().leaseExpiresAt());
    }

    @Test
    void statusAndHealthDecideRoutabilityAndRepeatedValuesChangeNothing() {
        registry.register(Registration.of("a", manifest("files", "1", "read"))).join();
        ToolKey read = new ToolKey("files", "read");

        registry.setStatus("a", InstanceStatus.OUT_OF_SERVICE).join();
        assertTrue(!registry.table().route(read).isRoutable());
        assertEquals(List.of(), registry.table().tools(), "tools without a routable instance are not listed");
        long version = registry.table().version();
        events.clear();
        registry.setStatus("a", InstanceStatus.OUT_OF_SERVICE).join();
        assertEquals(version, registry.table().version());
        assertEquals(List.of(), events.events());

        registry.setStatus("a", InstanceStatus.UP).join();
        assertTrue(registry.table().route(read).isRoutable());

        registry.reportHealth("a", Health.UNHEALTHY, "probe timed out").join();
        assertTrue(!registry.table().route(read).isRoutable());
        GatewayEvent.HealthChanged change = events.events(GatewayEvent.HealthChanged.class).get(0);
        assertEquals(Health.UNKNOWN, change.previous());
        assertEquals("probe timed out", change.reason());

        registry.reportHealth("a", Health.HEALTHY, "probe passed").join();
        assertTrue(registry.table().route(read).isRoutable());
    }

    @Test
    void healthSinceSaysWhenTheHealthLastChangedAndWhy() {
        PluginInstance registered = registry.register(Registration.of("a", manifest("files", "1", "read"))).join();
        assertEquals(clock.instant(), registered.healthSince(), "UNKNOWN since it registered");
        assertNull(registered.healthReason());

        clock.advance(Duration.ofSeconds(5));
        PluginInstance down = registry.reportHealth("a", Health.UNHEALTHY, "2 probes timed out").join();
        assertEquals(clock.instant(), down.healthSince());
        assertEquals("2 probes timed out", down.healthReason());

        clock.advance(Duration.ofSeconds(5));
        PluginInstance again = registry.reportHealth("a", Health.UNHEALTHY, "3 probes timed out").join();
        assertEquals(down, again, "the same health again changes nothing, so healthSince keeps its time");
        registry.setStatus("a", InstanceStatus.OUT_OF_SERVICE).join();
        assertEquals(down.healthSince(), registry.instance("a").orElseThrow().healthSince(),
                "a status change is not a health change");

        clock.advance(Duration.ofSeconds(5));
        PluginInstance recovered = registry.reportHealth("a", Health.HEALTHY, "probe passed").join();
        assertEquals(clock.instant(), recovered.healthSince());
        assertEquals("probe passed", recovered.healthReason());
        assertEquals(registered.registeredAt(), recovered.registeredAt());
    }

    @Test
    void manifestUpdatesChangeTheToolsAndCannotRenameThePlugin() {
        PluginInstance a = registry.register(Registration.of("a", manifest("files", "1", "read"))).join();
        registry.updateManifest("a", manifest("files", "1", "read", "write")).join();
        assertNotNull(registry.table().route(new ToolKey("files", "write")));

        registry.updateManifest("a", manifest("files", "1", "write")).join();
        assertNull(registry.table().route(new ToolKey("files", "read")), "a tool the plugin dropped is gone");

        CompletionException error = assertThrows(CompletionException.class,
                () -> registry.updateManifest("a", manifest("other", "1", "x")).join());
        assertInstanceOf(IllegalArgumentException.class, error.getCause());
        assertTrue(error.getCause().getMessage().contains("cannot rename"), error.getCause().getMessage());
        assertEquals(a.registeredAt(), registry.instance("a").orElseThrow().registeredAt());
    }

    @Test
    void deregisterRemovesTheInstanceAndItsTools() {
        registry.register(Registration.of("a", manifest("files", "1", "read"))).join();
        PluginInstance removed = registry.deregister("a").join();

        assertEquals("a", removed.id());
        assertTrue(registry.instances().isEmpty());
        assertNull(registry.table().route(new ToolKey("files", "read")));
        assertEquals(List.of(), registry.table().tools());
    }

    @Test
    void operationsOnUnknownInstancesFailWithTheId() {
        for (var call : List.<java.util.function.Supplier<java.util.concurrent.CompletableFuture<?>>>of(
                () -> registry.renew("ghost"), () -> registry.deregister("ghost"),
                () -> registry.setStatus("ghost", InstanceStatus.UP),
                () -> registry.reportHealth("ghost", Health.HEALTHY, "ok"),
                () -> registry.updateManifest("ghost", manifest("files", "1", "read")))) {
            CompletionException error = assertThrows(CompletionException.class, () -> call.get().join());
            UnknownInstanceException unknown = assertInstanceOf(UnknownInstanceException.class, error.getCause());
            assertEquals("ghost", unknown.instanceId());
        }
    }

    @Test
    void aFailingListenerDoesNotStopOthersOrTheChange() throws Exception {
        registry.addListener(event -> {
            throw new IllegalStateException("boom");
        });
        RecordingListener after = new RecordingListener();
        registry.addListener(after);

        String log = Stderr.of(() -> registry.register(Registration.of("a", manifest("files", "1", "read"))).join());

        assertEquals(2, after.events().size());
        assertTrue(registry.instance("a").isPresent());
        // A listener that throws has a bug: the log shows where, once for each event it failed on.
        assertEquals(2, log.lines().filter(line -> line.contains("java.lang.IllegalStateException: boom")).count(),
                log);
        assertTrue(log.contains("\tat dev.mcpgateway.registry.InMemoryRegistryTest"), log);
    }

    @Test
    void changesAfterCloseFailClearly() {
        registry.close();
        CompletionException error = assertThrows(CompletionException.class,
                () -> registry.register(Registration.of(manifest("files", "1", "read"))).join());
        assertInstanceOf(IllegalStateException.class, error.getCause());
        assertTrue(error.getCause().getMessage().contains("closed"), error.getCause().getMessage());
    }

    @Test
    void drainTakesTheInstanceOutOfServiceAndCompletesOnceItsCallsFinished() {
        registry.register(Registration.of("a", manifest("files", "1", "read"))).join();
        var stats = registry.table().route(new ToolKey("files", "read")).endpoints().get(0).stats();
        stats.callStarted();
        stats.callStarted();

        var drained = registry.drain("a");
        Await.until("the instance is out of service", Duration.ofSeconds(10),
                () -> registry.instance("a").orElseThrow().status() == InstanceStatus.OUT_OF_SERVICE);
        assertFalse(registry.table().route(new ToolKey("files", "read")).isRoutable());
        stats.callFinished(1_000, true);
        assertFalse(drained.isDone(), "a call is still in flight");

        stats.callFinished(1_000, true);
        assertEquals(InstanceStatus.OUT_OF_SERVICE, drained.join().status());
        assertTrue(registry.instance("a").isPresent(), "a drained instance stays registered");
        assertEquals(InstanceStatus.OUT_OF_SERVICE, registry.drain("a").join().status(), "idle: drained at once");

        CompletionException unknown = assertThrows(CompletionException.class, () -> registry.drain("ghost").join());
        assertInstanceOf(UnknownInstanceException.class, unknown.getCause());
    }

    @Test
    void loadFiguresSurviveStatusChanges() {
        registry.register(Registration.of("a", manifest("files", "1", "read"))).join();
        var before = registry.table().route(new ToolKey("files", "read")).endpoints().get(0);
        before.stats().callStarted();

        registry.reportHealth("a", Health.HEALTHY, "ok").join();

        var after = registry.table().route(new ToolKey("files", "read")).endpoints().get(0);
        assertNotEquals(before, after);
        assertSame(before.stats(), after.stats());
        assertEquals(1, after.stats().inFlight());
    }
}
