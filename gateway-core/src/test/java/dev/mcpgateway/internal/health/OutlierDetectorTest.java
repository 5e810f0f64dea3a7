package dev.mcpgateway.internal.health;

import static dev.mcpgateway.testing.Plugins.manifest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.balancer.Endpoint;
import dev.mcpgateway.event.GatewayEvent;
import dev.mcpgateway.health.OutlierDetection;
import dev.mcpgateway.internal.health.HealthVerdicts.Source;
import dev.mcpgateway.internal.health.OutlierDetector.Failure;
import dev.mcpgateway.internal.health.OutlierDetector.Permit;
import dev.mcpgateway.internal.registry.InMemoryRegistry;
import dev.mcpgateway.plugin.Registration;
import dev.mcpgateway.testing.FakeClock;
import dev.mcpgateway.testing.Registries;
import dev.mcpgateway.testing.RecordingListener;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The decisions of outlier detection, driven call by call with a fake clock. */
class OutlierDetectorTest {
    private static final long MS = 1_000_000;
    private final FakeClock clock = new FakeClock();
    private final RecordingListener events = new RecordingListener();
    private final InMemoryRegistry registry = Registries.inMemory(clock);
    private final HealthVerdicts verdicts = new HealthVerdicts(registry);
    private OutlierDetector detector;
    private List<Endpoint> peers;

    @AfterEach
    void close() {
        registry.close();
    }

    /** Starts a detector over instances {@code a}, {@code b}, ... of plugin {@code files}. */
    private void start(OutlierDetection options, int instances) {
        registry.addListener(verdicts);
        registry.addListener(events);
        for (int i = 0; i < instances; i++) {
            registry.register(Registration.of(String.valueOf((char) ('a' + i)), manifest("files", "1.0.0", "read")))
                    .join();
        }
        peers = registry.table().routeByExposedName("files__read").endpoints();
        detector = new OutlierDetector(options, verdicts, clock);
        registry.addListener(detector);
    }

    private static OutlierDetection.Builder options() {
        return OutlierDetection.builder();
    }

    private Permit fail(String id, Failure failure) {
        OutlierDetector.Instance instance = detector.instance(id);
        Permit permit = detector.permit(instance);
        if (permit == Permit.GRANTED || permit == Permit.TRIAL) {
            detector.failed(instance, permit, peers, failure);
        }
        return permit;
    }

    private Permit answer(String id, long latencyMillis) {
        OutlierDetector.Instance instance = detector.instance(id);
        Permit permit = detector.permit(instance);
        if (permit == Permit.GRANTED || permit == Permit.TRIAL) {
            detector.answered(instance, permit, peers, latencyMillis * MS);
        }
        return permit;
    }

    private boolean ejected(String id) {
        return verdicts.isDown(id, Source.OUTLIER);
    }

    /** The reason of the instance's last health change, once the registry applied every report so far. */
    private String lastReason(String id) {
        registry.renew(id).join();
        List<GatewayEvent.HealthChanged> changes = events.events(GatewayEvent.HealthChanged.class).stream()
                .filter(change -> change.instance().id().equals(id)).toList();
        return changes.get(changes.size() - 1).reason();
    }

    /** Moves the clock and runs the sweep the gateway's scheduler would run. */
    private void advance(Duration duration) {
        clock.advance(duration);
        detector.endEjections();
    }

    @Test
    void consecutiveFailuresEjectAndASuccessStartsTheCountAgain() {
        start(options().build(), 3);
        for (int i = 0; i < 4; i++) {
            fail("a", Failure.TIMEOUT);
        }
        answer("a", 5);
        for (int i = 0; i < 4; i++) {
            fail("a", Failure.TIMEOUT);
        }
        assertFalse(ejected("a"), "a success broke the run of failures");

        fail("a", Failure.TIMEOUT);
        assertTrue(ejected("a"));
        assertEquals("ejected for 30 s: 5 consecutive failures (timeouts)", lastReason("a"));
        assertEquals(Permit.EJECTED, detector.permit(detector.instance("a")), "the table may lag: refused here too");
        assertEquals("Plugin instance 'a' is out of rotation, ejected for 30 s: 5 consecutive failures (timeouts)",
                detector.refusal(detector.instance("a"), Permit.EJECTED));
    }

    @Test
    void theReasonNamesTheKindsOfFailure() {
        start(options().consecutiveFailures(3).build(), 4);
        fail("a", Failure.TIMEOUT);
        fail("a", Failure.UNREACHABLE);
        fail("a", Failure.TIMEOUT);
        assertEquals("ejected for 30 s: 3 consecutive failures (2 timeouts, 1 unreachable)", lastReason("a"));

        for (int i = 0; i < 3; i++) {
            fail("b", Failure.UNREACHABLE);
        }
        assertEquals("ejected for 30 s: 3 consecutive failures (unreachable)", lastReason("b"));
    }

    @Test
    void aFailureRateEjectsOnlyOnceTheWindowHoldsMinimumCalls() {
        start(options().consecutiveFailures(100).failureRate(0.5, 10, Duration.ofSeconds(10)).build(), 3);
        for (int i = 0; i < 4; i++) {
            fail("a", Failure.TIMEOUT);
            answer("a", 5);
        }
        fail("a", Failure.TIMEOUT);
        assertFalse(ejected("a"), "5 of 9 calls failed, but 9 calls are too few to judge");

        fail("a", Failure.TIMEOUT);
        assertTrue(ejected("a"));
        assertEquals("ejected for 30 s: 6 of its last 10 calls failed within 10 s (60 %, failureRateThreshold 50 %)",
                lastReason("a"));
    }

    @Test
    void callsOlderThanTheWindowNoLongerCount() {
        start(options().consecutiveFailures(100).failureRate(0.5, 10, Duration.ofSeconds(10)).build(), 3);
        for (int i = 0; i < 9; i++) {
            fail("a", Failure.TIMEOUT);
        }
        clock.advance(Duration.ofSeconds(11));
        for (int i = 0; i < 8; i++) {
            answer("a", 5);
        }
        fail("a", Failure.TIMEOUT);
        assertFalse(ejected("a"), "the nine old failures left the window: 1 of 9 calls failed");
        fail("a", Failure.TIMEOUT);
        assertFalse(ejected("a"), "2 of 10");
    }

    @Test
    void anInstanceFarSlowerThanItsPeersIsEjected() {
        start(options().failureRate(0.5, 10, Duration.ofSeconds(10)).latencyFactor(5).build(), 4);
        for (int i = 0; i < 10; i++) {
            answer("b", 10);
            answer("c", 12);
            answer("d", 8);
            answer("a", 40);
        }
        assertFalse(ejected("a"), "4 times its peers' median is within the factor");
        for (int i = 0; i < 10; i++) {
            answer("a", 200);
        }
        clock.advance(Duration.ofSeconds(1)); // the comparison runs at most once a tenth of the window
        answer("a", 200);
        assertTrue(ejected("a"));
        assertTrue(lastReason("a").matches("ejected for 30 s: it answers in 1\\d\\d\\.\\d ms on average, 1\\d\\.\\d times"
                + " the median 10\\.0 ms of its 3 peers \\(latencyFactor 5\\.0\\)"), lastReason("a"));
    }

    @Test
    void latencyIsNotJudgedWithFewerThanTwoPeersOrTooFewCalls() {
        start(options().failureRate(0.5, 10, Duration.ofSeconds(10)).build(), 2);
        for (int i = 0; i < 20; i++) {
            answer("b", 1);
            answer("a", 1_000);
        }
        assertFalse(ejected("a"), "with one peer there is no telling which of the two is odd");

        registry.register(Registration.of("c", manifest("files", "1.0.0", "read"))).join();
        peers = registry.table().routeByExposedName("files__read").endpoints();
        for (int i = 0; i < 20; i++) {
            answer("c", 1);
        }
        clock.advance(Duration.ofSeconds(11));
        for (int i = 0; i < 9; i++) {
            answer("a", 1_000);
        }
        assertFalse(ejected("a"), "9 calls in the window are too few to judge");
        answer("a", 1_000);
        assertTrue(ejected("a"));
    }

    @Test
    void ejectionsGrowWithEachRepeatUpToTheMaximum() {
        start(options().consecutiveFailures(1).trialCalls(1)
                .ejection(Duration.ofSeconds(30), Duration.ofSeconds(100)).build(), 3);
        fail("a", Failure.TIMEOUT);
        assertEquals("ejected for 30 s: 1 consecutive failures (timeouts)", lastReason("a"));

        advance(Duration.ofSeconds(29));
        assertTrue(ejected("a"), "not before its time");
        advance(Duration.ofSeconds(1));
        assertFalse(ejected("a"), "back on trial");
        assertEquals("its ejection ended (ejected for 30 s: 1 consecutive failures (timeouts)); back on trial",
                lastReason("a"));

        List<Long> lengths = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            assertEquals(Permit.TRIAL, fail("a", Failure.TIMEOUT));
            String reason = lastReason("a");
            assertTrue(reason.endsWith(": a call on trial failed (timeout)"), reason);
            long seconds = Long.parseLong(reason.substring("ejected for ".length(), reason.indexOf(" s:")));
            lengths.add(seconds);
            advance(Duration.ofSeconds(seconds));
        }
        assertEquals(List.of(60L, 90L, 100L, 100L), lengths);
    }

    @Test
    void theMultiplierDecaysWhileTheInstanceStaysInRotation() {
        start(options().consecutiveFailures(1).trialCalls(1).build(), 3);
        fail("a", Failure.TIMEOUT);
        advance(Duration.ofSeconds(30));
        assertEquals(Permit.TRIAL, answer("a", 5));
        fail("a", Failure.TIMEOUT);
        assertEquals("ejected for 60 s: 1 consecutive failures (timeouts)", lastReason("a"), "ejected again soon");

        advance(Duration.ofSeconds(60));
        assertEquals(Permit.TRIAL, answer("a", 5));
        clock.advance(Duration.ofSeconds(30));
        fail("a", Failure.TIMEOUT);
        assertEquals("ejected for 60 s: 1 consecutive failures (timeouts)", lastReason("a"),
                "30 s in rotation took one step off the multiplier of 2");

        advance(Duration.ofSeconds(60));
        assertEquals(Permit.TRIAL, answer("a", 5));
        clock.advance(Duration.ofMinutes(5));
        fail("a", Failure.TIMEOUT);
        assertEquals("ejected for 30 s: 1 consecutive failures (timeouts)", lastReason("a"),
                "long in rotation: back to the base ejection");
    }

    @Test
    void atMostTheMaxEjectedShareOfInstancesIsEjected() {
        start(options().consecutiveFailures(1).build(), 4);
        fail("a", Failure.TIMEOUT);
        fail("b", Failure.TIMEOUT);
        fail("c", Failure.UNREACHABLE);
        assertTrue(ejected("a") && ejected("b"));
        assertFalse(ejected("c"), "half of the four instances are out already");
        assertEquals(Permit.GRANTED, detector.permit(detector.instance("c")));

        advance(Duration.ofSeconds(30));
        fail("c", Failure.UNREACHABLE);
        assertTrue(ejected("c"), "room again once the ejections ended (instances on trial are in rotation)");
    }

    @Test
    void oneInstanceMayAlwaysBeEjectedEvenWithAShareOfZero() {
        start(options().consecutiveFailures(1).maxEjectedShare(0).build(), 3);
        fail("a", Failure.TIMEOUT);
        fail("b", Failure.TIMEOUT);
        assertTrue(ejected("a"), "a single hung instance must fail fast");
        assertFalse(ejected("b"));
    }

    @Test
    void theOnlyInstanceOfAPluginIsEjectedToo() {
        start(options().consecutiveFailures(2).build(), 1);
        fail("a", Failure.TIMEOUT);
        fail("a", Failure.TIMEOUT);
        assertTrue(ejected("a"));
    }

    @Test
    void onTrialOnlyTrialCallsRunAtOnceAndEnoughSuccessesBringItFullyBack() {
        start(options().consecutiveFailures(1).trialCalls(3).build(), 3);
        fail("a", Failure.TIMEOUT);
        advance(Duration.ofSeconds(30));
        OutlierDetector.Instance a = detector.instance("a");

        List<Permit> permits = List.of(detector.permit(a), detector.permit(a), detector.permit(a), detector.permit(a));
        assertEquals(List.of(Permit.TRIAL, Permit.TRIAL, Permit.TRIAL, Permit.TRIAL_FULL), permits);
        assertEquals("Plugin instance 'a' is back from an ejection on trial and already runs its 3 trial calls"
                + " (OutlierDetection.trialCalls); try again later", detector.refusal(a, Permit.TRIAL_FULL));

        detector.abandoned(a, Permit.TRIAL);
        assertEquals(Permit.TRIAL, detector.permit(a), "a cancelled trial call gives its place back");
        detector.answered(a, Permit.TRIAL, peers, 5 * MS);
        detector.answered(a, Permit.TRIAL, peers, 5 * MS);
        assertEquals(Permit.TRIAL, detector.permit(a), "two successes of three");
        detector.answered(a, Permit.TRIAL, peers, 5 * MS);
        assertEquals(Permit.GRANTED, detector.permit(a), "three successes: fully back");
        detector.answered(a, Permit.TRIAL, peers, 5 * MS);
        assertFalse(ejected("a"));
    }

    @Test
    void callsSentBeforeTheEjectionSayNothingAfterIt() {
        start(options().consecutiveFailures(2).trialCalls(1).build(), 3);
        OutlierDetector.Instance a = detector.instance("a");
        Permit early = detector.permit(a);
        fail("a", Failure.TIMEOUT);
        fail("a", Failure.TIMEOUT);
        advance(Duration.ofSeconds(30));

        detector.failed(a, early, peers, Failure.TIMEOUT);
        assertFalse(ejected("a"), "a call from before the ejection timing out now is no trial failure");
        assertEquals(Permit.TRIAL, detector.permit(a));
    }

    @Test
    void aNewSessionWithAnEjectedInstanceBringsItBackWithACleanRecord() {
        start(options().consecutiveFailures(1).build(), 3);
        fail("a", Failure.UNREACHABLE);
        assertEquals(Permit.EJECTED, detector.permit(detector.instance("a")));

        verdicts.connected("a").join();
        assertEquals(Permit.GRANTED, detector.permit(detector.instance("a")), "the restarted process starts afresh");
    }

    @Test
    void anInstanceRegisteredAnewStartsWithACleanRecord() {
        start(options().consecutiveFailures(2).build(), 3);
        fail("a", Failure.TIMEOUT);
        registry.deregister("a").join();
        registry.register(Registration.of("a", manifest("files", "1.0.0", "read"))).join();
        fail("a", Failure.TIMEOUT);
        assertFalse(ejected("a"), "the failure before it left is forgotten");
    }
}
