package dev.mcpgateway.internal.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The retry budget: a burst, then retries only as a share of the calls made. */
class RetryBudgetTest {
    private static int retriesAllowed(RetryBudget budget, int attempts) {
        int allowed = 0;
        for (int i = 0; i < attempts; i++) {
            if (budget.tryRetry()) {
                allowed++;
            }
        }
        return allowed;
    }

    @Test
    void aBurstIsAllowedThenRetriesFollowTheCalls() {
        RetryBudget budget = new RetryBudget(0.2);
        assertEquals(RetryBudget.BURST, retriesAllowed(budget, 100), "the saved-up burst, and no more");
        for (int i = 0; i < 50; i++) {
            budget.called();
        }
        assertEquals(10, retriesAllowed(budget, 100), "50 calls earn 10 retries at 0.2");
        assertFalse(budget.tryRetry());
    }

    @Test
    void savingsAreCappedAtTheBurstAndARatioOfZeroEarnsNothing() {
        RetryBudget budget = new RetryBudget(0.5);
        for (int i = 0; i < 1_000; i++) {
            budget.called();
        }
        assertEquals(RetryBudget.BURST, retriesAllowed(budget, 100), "a quiet spell saves no more than the burst");

        RetryBudget never = new RetryBudget(0);
        retriesAllowed(never, RetryBudget.BURST);
        for (int i = 0; i < 1_000; i++) {
            never.called();
        }
        assertFalse(never.tryRetry());
        assertTrue(new RetryBudget(1).tryRetry());
    }
}
