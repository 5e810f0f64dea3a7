package dev.mcpgateway.benchmarks.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenLoopScheduleTest {
    /** A clock that only moves when the schedule sleeps or the test says so. */
    private long now;
    private final List<Long> sleeps = new ArrayList<>();

    private OpenLoopSchedule schedule(long start, long offset, long interval) {
        return new OpenLoopSchedule(() -> now, nanos -> {
            sleeps.add(nanos);
            now += nanos;
        }, start, offset, interval);
    }

    @Test
    void sendsAtStartPlusOffsetPlusMultiplesOfTheInterval() throws InterruptedException {
        now = 1_000;
        OpenLoopSchedule schedule = schedule(1_000, 250, 1_000);

        assertEquals(1_250, schedule.awaitNext());
        assertEquals(1_250, now);
        now += 100; // the call took 100 ns
        assertEquals(2_250, schedule.awaitNext());
        assertEquals(3_250, schedule.awaitNext());
        assertEquals(List.of(250L, 900L, 1_000L), sleeps);
        assertEquals(11_250, schedule.intendedNanos(10));
    }

    @Test
    void aClientThatFellBehindSendsItsOverdueRequestsAtOnceKeepingTheirIntendedTimes() throws InterruptedException {
        now = 0;
        OpenLoopSchedule schedule = schedule(0, 0, 1_000);
        assertEquals(0, schedule.awaitNext());
        now = 3_500; // one answer took 3.5 intervals

        assertEquals(1_000, schedule.awaitNext());
        assertEquals(2_000, schedule.awaitNext());
        assertEquals(3_000, schedule.awaitNext());
        assertEquals(List.of(), sleeps); // none of those waited: latency counts from 1000, 2000, 3000
        assertEquals(4_000, schedule.awaitNext());
        assertEquals(List.of(500L), sleeps);
    }
}
