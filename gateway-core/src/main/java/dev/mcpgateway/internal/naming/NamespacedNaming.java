package dev.mcpgateway.internal.naming;

import dev.mcpgateway.plugin.ToolKey;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The {@code namespaced} strategy: every tool is exposed as {@code <namespace><separator><tool>}.
 *
 * @param separator 1 to 3 characters from {@code [A-Za-z0-9_-]}, so it survives sanitizing unchanged
 */
public record NamespacedNaming(String separator) implements CandidateNaming {

    /** The default strategy, separating with {@code __}. */
    public static final NamespacedNaming DEFAULT = new NamespacedNaming(DEFAULT_SEPARATOR);

    private static final int MAX_SEPARATOR_LENGTH = 3;

    /** Validates the separator. */
    public NamespacedNaming {
        Objects.requireNonNull(separator, "separator");
        if (separator.isEmpty()
                || separator.length() > MAX_SEPARATOR_LENGTH
                || !NameAssigner.sanitize(separator).equals(separator)) {
            throw new IllegalArgumentException("a tool-naming separator must be 1 to " + MAX_SEPARATOR_LENGTH
                    + " characters from [A-Za-z0-9_-], got '" + separator + "'; use e.g. \"__\" or \"-\"");
        }
    }

    @Override
    public String name() {
        return "namespaced";
    }

    @Override
    public Map<ToolKey, String> candidates(Set<ToolKey> keys) {
        Map<ToolKey, String> candidates = new HashMap<>(keys.size() * 4 / 3 + 1);
        for (ToolKey key : keys) {
            candidates.put(key, soloCandidate(key));
        }
        return candidates;
    }

    @Override
    public String group(ToolKey key) {
        return null;
    }

    @Override
    public String soloCandidate(ToolKey key) {
        return key.namespace() + separator + key.name();
    }
}
