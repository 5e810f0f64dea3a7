package dev.mcpgateway.internal.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.internal.health.ProbeStreak.Change;
import org.junit.jupiter.api.Test;

class ProbeStreakTest {
    private final ProbeStreak streak = new ProbeStreak(2, 3);

    @Test
    void anInstanceGoesDownAfterTheUnhealthyThresholdOfFailuresInARow() {
        assertEquals(Change.NONE, streak.failed("ping timed out after 3000 ms"));
        assertFalse(streak.isDown(), "one lost probe takes nothing out");
        assertTrue(streak.isUnsettled(), "but it is worth confirming soon");

        assertEquals(Change.DOWN, streak.failed("ping timed out after 3000 ms"));

        assertTrue(streak.isDown());
        assertFalse(streak.isUnsettled());
        assertEquals("ping timed out after 3000 ms (2 probes in a row)", streak.downReason());
    }

    @Test
    void aPassBetweenFailuresStartsTheCountAgain() {
        streak.failed("ping failed: connection reset");
        assertEquals(Change.NONE, streak.passed("ping answered"));
        assertFalse(streak.isUnsettled());
        assertEquals(Change.NONE, streak.failed("ping failed: connection reset"));

        assertFalse(streak.isDown());
    }

    @Test
    void aDownInstanceComesBackAfterTheHealthyThresholdOfPassesInARow() {
        streak.failed("x");
        streak.failed("x");

        assertEquals(Change.NONE, streak.passed("ping answered"));
        assertEquals(Change.NONE, streak.failed("ping failed: refused"), "a failure between passes starts them over");
        assertEquals(Change.NONE, streak.passed("ping answered"));
        assertTrue(streak.isUnsettled(), "a pass while down is worth confirming soon");
        assertEquals(Change.NONE, streak.passed("ping answered"));
        assertTrue(streak.isDown(), "two passes are not three");
        assertEquals(Change.UP, streak.passed("ping answered"));

        assertFalse(streak.isDown());
        assertNull(streak.downReason());
        assertEquals("ping answered (3 probes in a row)", streak.upReason());
    }

    @Test
    void furtherResultsInTheSameDirectionChangeNothingSoTheVerdictIsRepeatedAsIs() {
        streak.failed("ping timed out after 3000 ms");
        streak.failed("ping timed out after 3000 ms");

        for (int i = 0; i < 5; i++) {
            assertEquals(Change.NONE, streak.failed("ping failed: " + i));
        }
        assertTrue(streak.isDown());
        assertEquals("ping timed out after 3000 ms (2 probes in a row)", streak.downReason(),
                "the reason is the one it went down for");
        for (int i = 0; i < 5; i++) {
            streak.passed("ping answered");
        }
        assertFalse(streak.isDown());
        assertEquals(Change.NONE, streak.passed("ping answered"));
    }

    @Test
    void aNewSessionResetsTheStreak() {
        streak.failed("x");
        streak.failed("x");
        streak.passed("ping answered");

        streak.reset();

        assertFalse(streak.isDown(), "a new session counts as up");
        assertFalse(streak.isUnsettled());
        assertEquals(Change.NONE, streak.failed("y"), "and needs the full threshold of failures again");
        assertEquals(Change.DOWN, streak.failed("y"));
        assertEquals("y (2 probes in a row)", streak.downReason());
    }

    @Test
    void withThresholdsOfOneEveryResultDecides() {
        ProbeStreak eager = new ProbeStreak(1, 1);

        assertEquals(Change.DOWN, eager.failed("ping failed: refused"));
        assertEquals("ping failed: refused", eager.downReason());
        assertEquals(Change.UP, eager.passed("ping answered"));
        assertEquals("ping answered", eager.upReason());
    }
}
