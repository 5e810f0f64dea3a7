package dev.mcpgateway.internal.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.health.HealthCheckOptions;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ProbeTimingTest {
    private static final Duration INTERVAL = Duration.ofSeconds(10);

    private static ProbeTiming timing(double jitter) {
        return new ProbeTiming(HealthCheckOptions.builder().interval(INTERVAL).jitter(jitter).build(),
                new SplittableRandom(42));
    }

    @Test
    void firstProbesAreSpreadOverTheWholeInterval() {
        ProbeTiming timing = timing(0.1);

        long[] firsts = IntStream.range(0, 1_000).mapToLong(i -> timing.first().toMillis()).toArray();

        assertTrue(IntStream.range(0, firsts.length).allMatch(i -> firsts[i] >= 0 && firsts[i] < INTERVAL.toMillis()));
        for (int tenth = 0; tenth < 10; tenth++) {
            long from = tenth * 1_000L;
            long inTenth = java.util.Arrays.stream(firsts).filter(ms -> ms >= from && ms < from + 1_000).count();
            assertTrue(inTenth > 50, "every tenth of the interval gets some first probes, " + from + " ms: " + inTenth);
        }
    }

    @Test
    void intervalsStrayByAtMostTheJitterEitherWay() {
        ProbeTiming timing = timing(0.1);

        long[] nexts = IntStream.range(0, 1_000).mapToLong(i -> timing.next(false).toMillis()).toArray();

        long min = java.util.Arrays.stream(nexts).min().orElseThrow();
        long max = java.util.Arrays.stream(nexts).max().orElseThrow();
        assertTrue(min >= 9_000 && max <= 11_000, "within ±10 %: " + min + ".." + max);
        assertTrue(min < 9_200 && max > 10_800, "and using the range: " + min + ".." + max);
    }

    @Test
    void withoutJitterTheIntervalIsExact() {
        assertEquals(INTERVAL, timing(0).next(false));
    }

    @Test
    void aResultToConfirmIsRecheckedAfterTheRecheckInterval() {
        ProbeTiming timing = timing(0.1);

        assertEquals(Duration.ofSeconds(1), timing.next(true));
        ProbeTiming fast = new ProbeTiming(HealthCheckOptions.builder().interval(Duration.ofMillis(400)).build(),
                new SplittableRandom(42));
        assertEquals(Duration.ofMillis(400), fast.next(true), "never later than the interval");
    }
}
