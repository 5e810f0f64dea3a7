package dev.mcpgateway.internal.health;

/**
 * One instance's probe results folded into up or down: down after {@code unhealthyThreshold} failures in a row, up
 * again after {@code healthyThreshold} successes in a row, so one lost probe takes nothing out and one lucky answer
 * brings nothing back. Pure and not thread-safe: its owner serializes the calls, and time is no concern of it.
 */
final class ProbeStreak {
    /** What a result changed. */
    enum Change {
        /** The instance stays as it was. */
        NONE,
        /** The instance just went down. */
        DOWN,
        /** The instance just came back up. */
        UP
    }

    private final int unhealthyThreshold;
    private final int healthyThreshold;
    private boolean down;
    private int failuresInARow;
    private int passesInARow;
    private String downReason;
    private String upReason = "probes pass";

    ProbeStreak(int unhealthyThreshold, int healthyThreshold) {
        if (unhealthyThreshold < 1 || healthyThreshold < 1) {
            throw new IllegalArgumentException("thresholds must be at least 1, got " + unhealthyThreshold + " and "
                    + healthyThreshold);
        }
        this.unhealthyThreshold = unhealthyThreshold;
        this.healthyThreshold = healthyThreshold;
    }

    /** A probe passed; {@code what} says how, e.g. {@code ping answered}. */
    Change passed(String what) {
        failuresInARow = 0;
        passesInARow++;
        if (down && passesInARow >= healthyThreshold) {
            down = false;
            downReason = null;
            upReason = inARow(what, passesInARow);
            return Change.UP;
        }
        return Change.NONE;
    }

    /** A probe failed; {@code what} says how, e.g. {@code ping timed out after 3000 ms}. */
    Change failed(String what) {
        passesInARow = 0;
        failuresInARow++;
        if (!down && failuresInARow >= unhealthyThreshold) {
            down = true;
            downReason = inARow(what, failuresInARow);
            return Change.DOWN;
        }
        return Change.NONE;
    }

    /** A new session began: what earlier probes found says nothing about it, so the instance counts as up. */
    void reset() {
        down = false;
        failuresInARow = 0;
        passesInARow = 0;
        downReason = null;
    }

    boolean isDown() {
        return down;
    }

    /**
     * Whether the last result disagrees with the state, so it is worth confirming soon: a failure while up, a pass
     * while down.
     */
    boolean isUnsettled() {
        return down ? passesInARow > 0 : failuresInARow > 0;
    }

    /** Why the instance is down (null while up). */
    String downReason() {
        return downReason;
    }

    /** Why the instance is up: how it came back, or that probes pass. */
    String upReason() {
        return upReason;
    }

    private static String inARow(String what, int count) {
        return count == 1 ? what : what + " (" + count + " probes in a row)";
    }
}
