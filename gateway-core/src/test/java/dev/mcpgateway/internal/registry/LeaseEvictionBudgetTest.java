package dev.mcpgateway.internal.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The sliding eviction budget behind lease self-preservation, and its warning at most once per window. */
class LeaseEvictionBudgetTest {
    private static final Duration WINDOW = Duration.ofSeconds(60);
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void theBudgetIsTheShareOfTheLeasedInstancesAndAtLeastOne() {
        LeaseEvictionBudget budget = new LeaseEvictionBudget(0.15, WINDOW);
        assertEquals(3, budget.available(20, T0));
        assertEquals(1, budget.available(2, T0), "15 % of 2 rounds down to none, yet one may go");
        budget.spend(1, T0);
        assertEquals(0, budget.available(2, T0.plus(WINDOW).minusMillis(1)));
        assertEquals(1, budget.available(2, T0.plus(WINDOW)));
    }

    @Test
    void theNextEvictionIsDueWhenEnoughOfTheWindowsEvictionsHaveLeftIt() {
        LeaseEvictionBudget budget = new LeaseEvictionBudget(0.15, WINDOW);
        budget.spend(1, T0);
        budget.spend(2, T0.plusSeconds(10));
        assertEquals(0, budget.available(20, T0.plusSeconds(10)));
        assertEquals(3, budget.spentInWindow());
        assertEquals(T0.plus(WINDOW), budget.nextEvictionAt(20), "the oldest leaving frees one place");
        assertEquals(T0.plusSeconds(10).plus(WINDOW), budget.nextEvictionAt(17),
                "with 17 leased the limit is 2: two must leave");
    }

    @Test
    void selfPreservationIsLoggedAtMostOncePerWindow() {
        LeaseEvictionBudget budget = new LeaseEvictionBudget(0.15, WINDOW);
        assertTrue(budget.shouldWarn(T0));
        for (int second = 1; second < 60; second++) {
            assertFalse(budget.shouldWarn(T0.plusSeconds(second)), "passes every second within the window");
        }
        assertTrue(budget.shouldWarn(T0.plus(WINDOW)));
        assertFalse(budget.shouldWarn(T0.plus(WINDOW).plusSeconds(1)));
    }
}
