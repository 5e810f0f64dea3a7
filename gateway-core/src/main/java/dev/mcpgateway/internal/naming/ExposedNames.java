package dev.mcpgateway.internal.naming;

import dev.mcpgateway.naming.ToolNaming;
import dev.mcpgateway.plugin.ToolKey;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The exposed name of every tool, kept up to date as tools come and go without renaming the whole set each
 * time: the result always equals {@link ToolNaming#assign} over the current keys, but a change that provably
 * cannot move any other tool's name costs time in the size of the change, not of the table.
 *
 * <p>Why that is exact: resolving collisions only ever moves a tool between the names on its own ladder (its
 * sanitized candidate, then hash-suffixed forms; see {@link NameAssigner}). A tool whose candidate is at most 64
 * characters, shared by no other tool's candidate and not shaped like a hash-suffixed name, is on no other
 * tool's ladder; it keeps its candidate and never makes another tool move. Adding or removing such a tool, when
 * it is alone in its strategy {@linkplain CandidateNaming#group group}, leaves every other name as it was. Any
 * other change (a collision, a shared bare name, a hash-shaped or over-long name, a custom strategy) falls back
 * to naming everything again. Not thread-safe: the control loop is its only user.
 */
public final class ExposedNames {
    /** Names a hash-suffix rung can produce; a candidate of this shape could meet another tool's ladder. */
    private static final Pattern HASH_SHAPED =
            Pattern.compile(".*_(?:[0-9a-f]{8}|[0-9a-f]{16})|[0-9a-f]{64}");

    private final ToolNaming naming;
    private final CandidateNaming candidates;
    private final Map<ToolKey, String> names = new HashMap<>();
    /** How many current tools have each sanitized candidate (as decided with their group, not alone). */
    private final Map<String, Integer> candidateCounts = new HashMap<>();
    /** How many current tools are in each strategy group (empty for strategies without groups). */
    private final Map<String, Integer> groupCounts = new HashMap<>();
    /** Changes that needed every tool named again; the tests check the common ones do not. */
    private long fullRenames;

    public ExposedNames(ToolNaming naming) {
        this.naming = Objects.requireNonNull(naming, "naming");
        this.candidates = naming instanceof CandidateNaming known ? known : null;
    }

    /** The exposed name of a current tool, or null. */
    public String nameOf(ToolKey key) {
        return names.get(key);
    }

    /** Forgets every tool. */
    public void clear() {
        names.clear();
        candidateCounts.clear();
        groupCounts.clear();
    }

    /**
     * Brings the names up to date after a change of the tool set.
     *
     * @param current every tool there is now
     * @param added   tools in {@code current} that were not there before
     * @param removed tools that were there before and are not in {@code current}
     * @return the tools in {@code current} whose exposed name is new or changed (includes {@code added})
     * @throws IllegalStateException when the strategy does not name every tool exactly once
     */
    public Set<ToolKey> update(Set<ToolKey> current, Collection<ToolKey> added, Collection<ToolKey> removed) {
        if (candidates != null && applyAlone(added, removed)) {
            return new HashSet<>(added);
        }
        return renameAll(current);
    }

    /**
     * Applies the change when every tool in it is on nobody else's ladder; returns false, changing nothing,
     * when some tool is not.
     */
    private boolean applyAlone(Collection<ToolKey> added, Collection<ToolKey> removed) {
        Map<String, Integer> candidateDelta = new HashMap<>();
        Map<String, Integer> groupDelta = new HashMap<>();
        for (ToolKey key : removed) {
            String name = names.get(key);
            String candidate = NameAssigner.sanitize(candidates.soloCandidate(key));
            if (name == null || !name.equals(candidate) || HASH_SHAPED.matcher(candidate).matches()
                    || count(candidateCounts, candidateDelta, candidate) != 1
                    || !groupHolds(key, 1, -1, groupDelta)) {
                return false;
            }
            candidateDelta.merge(candidate, -1, Integer::sum);
        }
        for (ToolKey key : added) {
            String candidate = NameAssigner.sanitize(candidates.soloCandidate(key));
            if (names.containsKey(key) || candidate.length() > NameAssigner.MAX_LENGTH
                    || HASH_SHAPED.matcher(candidate).matches()
                    || count(candidateCounts, candidateDelta, candidate) != 0
                    || !groupHolds(key, 0, 1, groupDelta)) {
                return false;
            }
            candidateDelta.merge(candidate, 1, Integer::sum);
        }
        for (ToolKey key : removed) {
            names.remove(key);
        }
        for (ToolKey key : added) {
            names.put(key, NameAssigner.sanitize(candidates.soloCandidate(key)));
        }
        applyDelta(candidateCounts, candidateDelta);
        applyDelta(groupCounts, groupDelta);
        return true;
    }

    /**
     * Whether the key's strategy group holds {@code expected} tools, counting the change so far; if so, counts the
     * key in or out of it ({@code delta}).
     */
    private boolean groupHolds(ToolKey key, int expected, int delta, Map<String, Integer> groupDelta) {
        String group = candidates.group(key);
        if (group == null) {
            return true;
        }
        if (count(groupCounts, groupDelta, group) != expected) {
            return false;
        }
        groupDelta.merge(group, delta, Integer::sum);
        return true;
    }

    private static int count(Map<String, Integer> counts, Map<String, Integer> delta, String key) {
        return counts.getOrDefault(key, 0) + delta.getOrDefault(key, 0);
    }

    private static void applyDelta(Map<String, Integer> counts, Map<String, Integer> delta) {
        for (Map.Entry<String, Integer> change : delta.entrySet()) {
            counts.merge(change.getKey(), change.getValue(), (a, b) -> a + b == 0 ? null : a + b);
        }
    }

    long fullRenames() {
        return fullRenames;
    }

    private Set<ToolKey> renameAll(Set<ToolKey> current) {
        fullRenames++;
        Map<ToolKey, String> renamed = HashMap.newHashMap(current.size());
        if (candidates != null) {
            Map<ToolKey, String> preferred = candidates.candidates(current);
            for (Map.Entry<String, ToolKey> entry : NameAssigner.resolve(preferred).entrySet()) {
                renamed.put(entry.getValue(), entry.getKey());
            }
            candidateCounts.clear();
            groupCounts.clear();
            for (Map.Entry<ToolKey, String> entry : preferred.entrySet()) {
                candidateCounts.merge(NameAssigner.sanitize(entry.getValue()), 1, Integer::sum);
                String group = candidates.group(entry.getKey());
                if (group != null) {
                    groupCounts.merge(group, 1, Integer::sum);
                }
            }
        } else {
            for (Map.Entry<String, ToolKey> entry : naming.assign(current).entrySet()) {
                if (!current.contains(entry.getValue()) || renamed.put(entry.getValue(), entry.getKey()) != null) {
                    break;
                }
            }
        }
        if (renamed.size() != current.size()) {
            throw new IllegalStateException("tool naming '" + naming.name() + "' did not give each of the "
                    + current.size() + " tools exactly one distinct name; a naming strategy must name every tool "
                    + "exactly once");
        }
        Set<ToolKey> changed = new HashSet<>();
        for (Map.Entry<ToolKey, String> entry : renamed.entrySet()) {
            if (!entry.getValue().equals(names.get(entry.getKey()))) {
                changed.add(entry.getKey());
            }
        }
        names.clear();
        names.putAll(renamed);
        return changed;
    }
}
