package dev.mcpgateway.balancer;

import static dev.mcpgateway.balancer.Endpoints.endpoint;
import static dev.mcpgateway.balancer.Endpoints.named;
import static dev.mcpgateway.balancer.Endpoints.pickConcurrently;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What every strategy must do, and choosing a strategy by its configuration name. */
class LoadBalancerTest {

    static Stream<LoadBalancer> strategies() {
        return LoadBalancer.NAMES.stream().map(LoadBalancer::byName);
    }

    @Test
    void byNameReturnsEachStrategyUnderItsName() {
        assertAll(
                () -> assertSame(LoadBalancer.roundRobin(), LoadBalancer.byName("round-robin")),
                () -> assertSame(LoadBalancer.leastConnections(), LoadBalancer.byName("least-connections")),
                () -> assertSame(LoadBalancer.weightedRoundRobin(), LoadBalancer.byName("weighted")),
                () -> assertSame(LoadBalancer.powerOfTwoChoices(), LoadBalancer.byName("p2c")));
        for (String name : LoadBalancer.NAMES) {
            assertEquals(name, LoadBalancer.byName(name).name());
        }
    }

    @Test
    void byNameAcceptsAliasesAnyCaseAndSurroundingSpace() {
        assertSame(LoadBalancer.weightedRoundRobin(), LoadBalancer.byName("weighted-round-robin"));
        assertSame(LoadBalancer.powerOfTwoChoices(), LoadBalancer.byName("power-of-two-choices"));
        assertSame(LoadBalancer.roundRobin(), LoadBalancer.byName("  Round-Robin "));
    }

    @ParameterizedTest
    @ValueSource(strings = {"random", "", "round_robin"})
    void byNameRejectsAnUnknownNameListingTheAcceptedOnes(String name) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LoadBalancer.byName(name));
        assertTrue(e.getMessage().contains("'" + name + "'"), e.getMessage());
        for (String accepted : LoadBalancer.NAMES) {
            assertTrue(e.getMessage().contains(accepted), e.getMessage());
        }
    }

    @Test
    void byNameRejectsNull() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LoadBalancer.byName(null));
        assertTrue(e.getMessage().contains("use one of"), e.getMessage());
    }

    @ParameterizedTest
    @MethodSource("strategies")
    void anEmptyListPicksNull(LoadBalancer balancer) {
        Picker picker = balancer.newPicker(null, List.of());
        assertNull(picker.pick());
        assertEquals(List.of(), picker.endpoints());
        Picker rebuilt = balancer.newPicker(balancer.newPicker(null, named("a", "b")), List.of());
        assertNull(rebuilt.pick());
    }

    @ParameterizedTest
    @MethodSource("strategies")
    void aSingleEndpointIsAlwaysPicked(LoadBalancer balancer) {
        Endpoint only = endpoint("only", 7);
        Endpoints.startCalls(only, 3);
        Picker picker = balancer.newPicker(null, List.of(only));
        for (int i = 0; i < 100; i++) {
            assertSame(only, picker.pick());
        }
    }

    @ParameterizedTest
    @MethodSource("strategies")
    void endpointsIsAnImmutableCopyOfTheListGiven(LoadBalancer balancer) {
        List<Endpoint> given = new ArrayList<>(named("a", "b", "c"));
        List<Endpoint> original = List.copyOf(given);
        Picker picker = balancer.newPicker(null, given);
        given.remove(0);
        assertEquals(original, picker.endpoints());
        assertThrows(UnsupportedOperationException.class, () -> picker.endpoints().add(endpoint("d")));
        for (int i = 0; i < 100; i++) {
            assertTrue(original.contains(picker.pick()));
        }
    }

    @ParameterizedTest
    @MethodSource("strategies")
    void aPreviousPickerOfAnotherStrategyIsIgnored(LoadBalancer balancer) {
        List<Endpoint> endpoints = named("a", "b", "c");
        for (LoadBalancer other : strategies().toList()) {
            Picker previous = other.newPicker(null, endpoints);
            previous.pick();
            Picker picker = balancer.newPicker(previous, endpoints);
            assertEquals(endpoints, picker.endpoints());
            assertTrue(endpoints.contains(picker.pick()));
        }
    }

    @ParameterizedTest
    @MethodSource("strategies")
    void anEndpointListedTwiceIsRejected(LoadBalancer balancer) {
        List<Endpoint> twice = List.of(endpoint("a"), endpoint("b"), endpoint("a"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> balancer.newPicker(null, twice));
        assertTrue(e.getMessage().contains("'a' is listed twice"), e.getMessage());
        assertThrows(NullPointerException.class, () -> balancer.newPicker(null, null));
    }

    @ParameterizedTest
    @MethodSource("strategies")
    void fourThreadsPickConcurrentlyWithoutFailing(LoadBalancer balancer) throws Exception {
        List<Endpoint> endpoints = List.of(endpoint("a", 2), endpoint("b", 1), endpoint("c", 1));
        Picker picker = balancer.newPicker(null, endpoints);

        Map<String, Long> counts = pickConcurrently(picker, 4, 100_000);

        assertEquals(400_000L, counts.values().stream().mapToLong(Long::longValue).sum(), counts::toString);
        counts.forEach((id, count) -> assertTrue(count > 0, () -> id + " never picked: " + counts));
        endpoints.forEach(e -> assertEquals(0, e.stats().inFlight(), "calls left in flight on " + e.id()));
    }
}
