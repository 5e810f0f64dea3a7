package dev.mcpgateway.registry;

import static dev.mcpgateway.testing.Plugins.manifest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.balancer.LoadBalancer;
import dev.mcpgateway.event.GatewayEvent;
import dev.mcpgateway.health.Health;
import dev.mcpgateway.internal.registry.InMemoryRegistry;
import dev.mcpgateway.internal.routing.DefaultRouter;
import dev.mcpgateway.internal.routing.RoutingTableBuilder;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.naming.ToolNaming;
import dev.mcpgateway.plugin.InstanceStatus;
import dev.mcpgateway.plugin.Registration;
import dev.mcpgateway.plugin.ToolKey;
import dev.mcpgateway.routing.ExposedTool;
import dev.mcpgateway.routing.RoutingException;
import dev.mcpgateway.routing.ToolRoute;
import dev.mcpgateway.routing.VersionConstraint;
import dev.mcpgateway.testing.FakeClock;
import dev.mcpgateway.testing.RecordingListener;
import dev.mcpgateway.testing.Registries;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Tools whose instances are all down stay listed for the grace period, failing fast, then leave the listing. */
class ToolGracePeriodTest {
    private static final Duration GRACE = Duration.ofSeconds(60);
    private static final ToolKey READ = new ToolKey("files", "read");

    private final FakeClock clock = new FakeClock(Instant.parse("2026-12-06T19:01:00Z"));
    private final RecordingListener events = new RecordingListener();
    private final List<InMemoryRegistry> registries = new ArrayList<>();
    private final InMemoryRegistry registry = registry(GRACE);
    private final DefaultRouter router = new DefaultRouter(registry::table);

    @AfterEach
    void close() {
        registries.forEach(InMemoryRegistry::close);
    }

    private InMemoryRegistry registry(Duration grace) {
        InMemoryRegistry created = Registries.inMemory(clock,
                new RoutingTableBuilder(LoadBalancer.roundRobin(), List.of(), ToolNaming.namespaced(), grace));
        created.addListener(events);
        registries.add(created);
        return created;
    }

    private static List<String> listed(InMemoryRegistry registry) {
        return registry.table().tools().stream().map(ExposedTool::exposedName).toList();
    }

    private RoutingException callFails() {
        return assertThrows(RoutingException.class, () -> router.route("files__read", VersionConstraint.ANY));
    }

    @Test
    void aDownPluginsToolsStayListedFailingFastThenLeaveAndComeBackOnRecovery() {
        registry.register(Registration.of("files-1", manifest("files", "1.0.0", "read"))).join();
        registry.register(Registration.of("files-2", manifest("files", "1.0.0", "read"))).join();
        registry.reportHealth("files-1", Health.UNHEALTHY, "connection refused").join();
        clock.advance(Duration.ofSeconds(71));
        registry.reportHealth("files-2", Health.UNHEALTHY, "2 probes timed out").join();

        assertFalse(registry.table().route(READ).isRoutable());
        assertEquals(List.of("files__read"), listed(registry), "listed while its grace lasts");
        RoutingException during = callFails();
        assertEquals(ErrorCodes.NO_HEALTHY_INSTANCE, during.code());
        assertEquals("Plugin 'files' is unavailable since 2026-12-06T19:02:11Z: files-1: connection refused;"
                + " files-2: 2 probes timed out", during.getMessage(), "since the last instance went down");

        clock.advance(GRACE.minusSeconds(1));
        long version = registry.table().version();
        events.clear();
        registry.evictExpired().join();
        assertEquals(version, registry.table().version(), "nothing ran out: no new table");
        assertEquals(List.of(), events.events());
        assertEquals(List.of("files__read"), listed(registry));

        clock.advance(Duration.ofSeconds(1));
        registry.evictExpired().join();
        assertEquals(List.of(), listed(registry), "withdrawn once the grace period has passed");
        assertEquals(version + 1, registry.table().version());
        assertEquals(1, events.events(GatewayEvent.RoutingTableUpdated.class).size());
        ToolRoute kept = registry.table().routeByExposedName("files__read");
        assertNotNull(kept, "the route stays, under the same name");
        assertFalse(kept.isListed());
        assertEquals(during.getMessage(), callFails().getMessage(), "and its calls still fail fast, saying why");

        registry.evictExpired().join();
        assertEquals(version + 1, registry.table().version(), "withdrawn once, not again on every pass");

        registry.reportHealth("files-2", Health.HEALTHY, "probe passed").join();
        assertEquals(List.of("files__read"), listed(registry), "listed again on recovery");
        assertEquals("files-2", router.route("files__read", VersionConstraint.ANY).endpoint().id());
    }

    @Test
    void theGraceRunsOutOnAnyChangeAfterItsEndNotOnlyOnThePeriodicPass() {
        registry.register(Registration.of("files-1", manifest("files", "1.0.0", "read"))).join();
        registry.reportHealth("files-1", Health.UNHEALTHY, "probe failed").join();

        clock.advance(GRACE);
        registry.register(Registration.of("web-1", manifest("web", "1.0.0", "get"))).join();

        assertEquals(List.of("web__get"), listed(registry), "a table is built for the instant it is built");
    }

    @Test
    void aZeroGracePeriodUnlistsAtOnce() {
        InMemoryRegistry strict = registry(Duration.ZERO);
        strict.register(Registration.of("files-1", manifest("files", "1.0.0", "read"))).join();

        strict.reportHealth("files-1", Health.UNHEALTHY, "probe failed").join();

        assertEquals(List.of(), listed(strict));
        assertNotNull(strict.table().route(READ));
    }

    @Test
    void onlyInstancesThatAreAllDownHaveAGracePeriod() {
        registry.register(Registration.of("files-1", manifest("files", "1.0.0", "read"))).join();
        registry.register(Registration.of("files-2", manifest("files", "1.0.0", "read"))).join();

        registry.setStatus("files-1", InstanceStatus.OUT_OF_SERVICE).join();
        registry.reportHealth("files-2", Health.UNHEALTHY, "probe failed").join();
        assertEquals(List.of(), listed(registry), "one taken out of service on purpose: unlisted as before");
        assertEquals("No healthy instance for tool 'files/read'; instances: files-1 (files 1.0.0, OUT_OF_SERVICE/UNKNOWN),"
                + " files-2 (files 1.0.0, UP/UNHEALTHY)", callFails().getMessage());

        registry.setStatus("files-1", InstanceStatus.UP).join();
        registry.reportHealth("files-1", Health.UNHEALTHY, "probe failed").join();
        assertEquals(List.of("files__read"), listed(registry), "both down now: the grace applies");
        registry.setStatus("files-2", InstanceStatus.STARTING).join();
        assertEquals(List.of(), listed(registry), "a starting instance is not down: unlisted as before");
    }

    @Test
    void theListingDoesNotChangeWhileTheToolIsRoutable() {
        registry.register(Registration.of("files-1", manifest("files", "1.0.0", "read"))).join();
        registry.register(Registration.of("files-2", manifest("files", "1.0.0", "read"))).join();
        registry.reportHealth("files-1", Health.UNHEALTHY, "probe failed").join();
        long version = registry.table().version();

        clock.advance(GRACE.multipliedBy(2));
        registry.evictExpired().join();

        assertEquals(version, registry.table().version());
        assertEquals(List.of("files__read"), listed(registry));
        assertTrue(registry.table().route(READ).isRoutable());
    }
}
