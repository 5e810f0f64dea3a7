package dev.mcpgateway.internal.routing;

import dev.mcpgateway.plugin.ToolKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * When each tool still listed in its grace period (every instance down) is to leave the listing, so the control
 * loop's periodic pass finds the tools whose grace ran out without looking at every route. Not thread-safe: the
 * control loop is its only user.
 */
final class GraceDeadlines {
    private final Map<ToolKey, Instant> byTool = new HashMap<>();
    private final TreeMap<Instant, Set<ToolKey>> byDeadline = new TreeMap<>();

    /** Sets when the tool's grace runs out, or forgets it (null) because it is routable, unlisted or gone. */
    void set(ToolKey key, Instant deadline) {
        Instant before = deadline == null ? byTool.remove(key) : byTool.put(key, deadline);
        if (before != null && !before.equals(deadline)) {
            Set<ToolKey> at = byDeadline.get(before);
            at.remove(key);
            if (at.isEmpty()) {
                byDeadline.remove(before);
            }
        }
        if (deadline != null && !deadline.equals(before)) {
            byDeadline.computeIfAbsent(deadline, d -> new LinkedHashSet<>()).add(key);
        }
    }

    /** The tools whose grace ran out at {@code now}, forgotten here: looking at them again decides anew. */
    List<ToolKey> takeDue(Instant now) {
        if (byDeadline.isEmpty() || byDeadline.firstKey().isAfter(now)) {
            return List.of();
        }
        List<ToolKey> due = new ArrayList<>();
        while (!byDeadline.isEmpty() && !byDeadline.firstKey().isAfter(now)) {
            for (ToolKey key : byDeadline.pollFirstEntry().getValue()) {
                byTool.remove(key);
                due.add(key);
            }
        }
        return due;
    }

    /** Forgets every deadline (the table is rebuilt from scratch, which sets them again). */
    void clear() {
        byTool.clear();
        byDeadline.clear();
    }
}
