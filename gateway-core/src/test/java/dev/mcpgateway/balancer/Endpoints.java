package dev.mcpgateway.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.mcpgateway.health.Health;
import dev.mcpgateway.plugin.InstanceStatus;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.plugin.RegistrationSource;
import dev.mcpgateway.plugin.PluginManifest;
import dev.mcpgateway.plugin.TransportSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;

/** Test fixtures for balancer tests: endpoints with given ids, weights and loads, and pick counting. */
final class Endpoints {
    private Endpoints() {
    }

    /** An UP, healthy endpoint with weight 1 and fresh stats. */
    static Endpoint endpoint(String id) {
        return endpoint(id, 1);
    }

    /** An UP, healthy endpoint with the given weight and fresh stats. */
    static Endpoint endpoint(String id, int weight) {
        PluginManifest manifest = PluginManifest.builder("test")
                .transport(new TransportSpec.InProcess("test"))
                .weight(weight)
                .build();
        PluginInstance instance = new PluginInstance(id, manifest, InstanceStatus.UP, Health.HEALTHY,
                Instant.EPOCH, null, Instant.EPOCH, null, null, RegistrationSource.HOST);
        return new Endpoint(instance, new EndpointStats());
    }

    /** Weight-1 endpoints with the given ids. */
    static List<Endpoint> named(String... ids) {
        List<Endpoint> endpoints = new ArrayList<>();
        for (String id : ids) {
            endpoints.add(endpoint(id));
        }
        return List.copyOf(endpoints);
    }

    /** Endpoints {@code a, b, c, …} with the given weights. */
    static List<Endpoint> weighted(int... weights) {
        List<Endpoint> endpoints = new ArrayList<>();
        for (int i = 0; i < weights.length; i++) {
            endpoints.add(endpoint(String.valueOf((char) ('a' + i)), weights[i]));
        }
        return List.copyOf(endpoints);
    }

    /** Starts {@code calls} calls on the endpoint, raising its in-flight count by that much. */
    static void startCalls(Endpoint endpoint, int calls) {
        for (int i = 0; i < calls; i++) {
            endpoint.stats().callStarted();
        }
    }

    /** Completes one successful call of the given latency, leaving the in-flight count as it was. */
    static void recordLatency(Endpoint endpoint, long latencyNanos) {
        endpoint.stats().callStarted();
        endpoint.stats().callFinished(latencyNanos, true);
    }

    /** Picks {@code picks} times and counts the picks per endpoint id, every endpoint listed (in order). */
    static Map<String, Integer> countPicks(Picker picker, int picks) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        picker.endpoints().forEach(e -> counts.put(e.id(), 0));
        for (int i = 0; i < picks; i++) {
            Endpoint picked = picker.pick();
            assertNotNull(picked, "pick " + i + " returned null");
            counts.merge(picked.id(), 1, Integer::sum);
        }
        return counts;
    }

    /** The ids of the next {@code picks} picks, joined by spaces, e.g. {@code "a a b"}. */
    static String sequence(Picker picker, int picks) {
        StringBuilder ids = new StringBuilder();
        for (int i = 0; i < picks; i++) {
            ids.append(i == 0 ? "" : " ").append(picker.pick().id());
        }
        return ids.toString();
    }

    /** Asserts that each endpoint's share of {@code counts} is within {@code tolerance} of its expected share. */
    static void assertShares(Map<String, ? extends Number> counts, Map<String, Double> expected, double tolerance) {
        double total = counts.values().stream().mapToLong(Number::longValue).sum();
        assertEquals(expected.keySet(), counts.keySet(), "endpoints picked");
        expected.forEach((id, share) -> {
            double actual = counts.get(id).longValue() / total;
            assertEquals(share, actual, tolerance, () -> "share of " + id + " in " + counts);
        });
    }

    /**
     * Picks from {@code threads} threads at once, {@code picksPerThread} each, wrapping every pick in a simulated call
     * (started, then finished) so strategies reading live stats see them change. Fails on any exception or null pick.
     *
     * @return the picks per endpoint id
     */
    static Map<String, Long> pickConcurrently(Picker picker, int threads, int picksPerThread) throws Exception {
        Map<String, LongAdder> counts = new ConcurrentHashMap<>();
        picker.endpoints().forEach(e -> counts.put(e.id(), new LongAdder()));
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> workers = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int t = 0; t < threads; t++) {
                workers.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < picksPerThread; i++) {
                        Endpoint picked = picker.pick();
                        if (picked == null) {
                            throw new AssertionError("pick returned null");
                        }
                        picked.stats().callStarted();
                        counts.get(picked.id()).increment();
                        picked.stats().callFinished(1_000 + i % 1_000, true);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> worker : workers) {
                worker.get(); // rethrows whatever a worker threw
            }
        }
        Map<String, Long> totals = new LinkedHashMap<>();
        counts.forEach((id, count) -> totals.put(id, count.sum()));
        return totals;
    }
}
