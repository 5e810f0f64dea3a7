package dev.mcpgateway.internal.naming;

import dev.mcpgateway.naming.ToolNaming;
import dev.mcpgateway.plugin.ToolKey;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A naming strategy reduced to its one real decision, the preferred name of each tool; {@link NameAssigner}
 * turns those preferences into the final, safe and collision-free assignment the same way for every strategy.
 */
sealed interface CandidateNaming extends ToolNaming permits NamespacedNaming, BareNameNaming {

    /** Separates namespace and tool name wherever a strategy prefixes the namespace. */
    String DEFAULT_SEPARATOR = "__";

    /**
     * The preferred exposed name of every key, before sanitizing, shortening and collision handling.
     *
     * @param keys the distinct keys to name, never empty
     * @return a candidate for each key in {@code keys}
     */
    Map<ToolKey, String> candidates(Set<ToolKey> keys);

    /**
     * What a key's candidate depends on besides the key itself: keys of one group decide their candidates
     * together, keys alone in their group get {@link #soloCandidate}. Null when every key decides alone.
     */
    String group(ToolKey key);

    /** The candidate of a key that is alone in its {@link #group}. */
    String soloCandidate(ToolKey key);

    @Override
    default SortedMap<String, ToolKey> assign(Collection<ToolKey> tools) {
        Objects.requireNonNull(tools, "tools");
        Set<ToolKey> keys = new HashSet<>(tools.size() * 4 / 3 + 1);
        for (ToolKey key : tools) {
            keys.add(Objects.requireNonNull(key, "the tools to name must not contain null"));
        }
        if (keys.isEmpty()) {
            return Collections.emptySortedMap();
        }
        return Collections.unmodifiableSortedMap(new TreeMap<>(NameAssigner.resolve(candidates(keys))));
    }
}
