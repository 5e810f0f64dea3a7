package dev.mcpgateway.internal.audit;

import dev.mcpgateway.audit.AuthFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Coalesces authentication failures, whose number a client controls: the first of a kind (same surface, reason and
 * client address) is told at once, those alike within the {@code window} after it are counted and told as one, with
 * their count, once the window has passed ({@link #expired}). Over all kinds, at most {@code perSecond} are told per
 * second; one held back by that cap is told by a later {@link #expired}, counted with what came meanwhile. So nothing
 * is lost, only delayed, and a flood makes at most one record per kind and window and {@code perSecond} in all. Past
 * {@code maxKinds} kinds waiting, new addresses count as one, {@code *}, so memory stays bounded too. Thread-safe.
 */
final class AuthFailureWindows {
    /** What to tell: {@code count} failures alike, {@code latest} the last of them. */
    record Coalesced(AuthFailure latest, int count) {
    }

    private record Kind(AuthFailure.Surface surface, String reason, String remote) {
    }

    /** A kind's window: when it began, and the failures counted since (not yet told). */
    private record Window(Instant start, int pending, AuthFailure latest) {
    }

    private final Duration window;
    private final int perSecond;
    private final int maxKinds;
    // Guarded by this.
    private final Map<Kind, Window> windows = new HashMap<>();
    private long second = Long.MIN_VALUE;
    private int toldThisSecond;

    AuthFailureWindows(Duration window, int perSecond, int maxKinds) {
        this.window = window;
        this.perSecond = perSecond;
        this.maxKinds = maxKinds;
    }

    /** Counts a failure at {@code now}; it is to be told at once when the result holds it. */
    synchronized List<Coalesced> failed(AuthFailure failure, Instant now) {
        Kind kind = new Kind(failure.surface(), failure.reason(), failure.remote());
        if (!windows.containsKey(kind) && windows.size() >= maxKinds) {
            kind = new Kind(failure.surface(), failure.reason(), "*");
            failure = new AuthFailure(failure.surface(), failure.reason(), "*", failure.subject());
        }
        Window open = windows.get(kind);
        if (open != null && now.isBefore(open.start().plus(window))) {
            windows.put(kind, new Window(open.start(), open.pending() + 1, failure));
            return List.of();
        }
        int count = 1 + (open == null ? 0 : open.pending());
        if (!mayTell(now)) {
            windows.put(kind, new Window(now, count, failure));
            return List.of();
        }
        windows.put(kind, new Window(now, 0, failure));
        return List.of(new Coalesced(failure, count));
    }

    /** What the windows passed by {@code now} counted, within the cap; kinds with nothing counted are forgotten. */
    synchronized List<Coalesced> expired(Instant now) {
        List<Coalesced> told = new ArrayList<>();
        for (Iterator<Map.Entry<Kind, Window>> entries = windows.entrySet().iterator(); entries.hasNext(); ) {
            Map.Entry<Kind, Window> entry = entries.next();
            Window passed = entry.getValue();
            if (now.isBefore(passed.start().plus(window))) {
                continue;
            }
            if (passed.pending() == 0) {
                entries.remove();
            } else if (mayTell(now)) {
                told.add(new Coalesced(passed.latest(), passed.pending()));
                entry.setValue(new Window(now, 0, passed.latest())); // one record per kind and window, still
            }
        }
        return told;
    }

    /**
     * Everything counted and not yet told, whatever the windows and the cap, as one record per surface and reason
     * (address {@code *} where several counted), so that it stays short however many kinds wait; forgets every kind.
     */
    synchronized List<Coalesced> drain() {
        Map<Kind, Coalesced> byReason = new LinkedHashMap<>();
        windows.values().stream().filter(open -> open.pending() > 0).forEach(open -> byReason.merge(
                new Kind(open.latest().surface(), open.latest().reason(), null),
                new Coalesced(open.latest(), open.pending()), (one, other) -> new Coalesced(new AuthFailure(
                        one.latest().surface(), one.latest().reason(), "*", null), one.count() + other.count())));
        windows.clear();
        return List.copyOf(byReason.values());
    }

    private boolean mayTell(Instant now) {
        long current = now.getEpochSecond();
        if (current != second) {
            second = current;
            toldThisSecond = 0;
        }
        if (toldThisSecond >= perSecond) {
            return false;
        }
        toldThisSecond++;
        return true;
    }
}
