package dev.mcpgateway.internal.naming;

import dev.mcpgateway.plugin.ToolKey;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The strategies that expose bare tool names and prefix the namespace only where namespaces share a name:
 * {@code prefix-on-conflict} prefixes every sharer, {@code unprefixed} lets the namespace that sorts first
 * keep the bare name. Names count as shared when they are equal after sanitizing, since that is what a
 * client would see clash.
 */
public final class BareNameNaming implements CandidateNaming {

    /** Every tool whose name is shared by two or more namespaces gets {@code <namespace>__<tool>}. */
    public static final BareNameNaming PREFIX_ON_CONFLICT = new BareNameNaming("prefix-on-conflict", false);

    /** On a shared name, the namespace that sorts first keeps the bare name; the others are prefixed. */
    public static final BareNameNaming UNPREFIXED = new BareNameNaming("unprefixed", true);

    private final String name;
    private final boolean firstNamespaceKeepsBareName;

    private BareNameNaming(String name, boolean firstNamespaceKeepsBareName) {
        this.name = name;
        this.firstNamespaceKeepsBareName = firstNamespaceKeepsBareName;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Map<ToolKey, String> candidates(Set<ToolKey> keys) {
        int capacity = keys.size() * 4 / 3 + 1;
        Map<ToolKey, String> bareNames = new HashMap<>(capacity);
        Map<String, Sharers> sharersByBareName = new HashMap<>(capacity);
        for (ToolKey key : keys) {
            String bare = NameAssigner.sanitize(key.name());
            bareNames.put(key, bare);
            sharersByBareName.computeIfAbsent(bare, b -> new Sharers()).add(key.namespace());
        }
        Map<ToolKey, String> candidates = new HashMap<>(capacity);
        for (Map.Entry<ToolKey, String> entry : bareNames.entrySet()) {
            ToolKey key = entry.getKey();
            String bare = entry.getValue();
            Sharers sharers = sharersByBareName.get(bare);
            boolean keepsBare = !sharers.shared
                    || (firstNamespaceKeepsBareName && sharers.first.equals(key.namespace()));
            candidates.put(key, keepsBare ? bare : key.namespace() + DEFAULT_SEPARATOR + bare);
        }
        return candidates;
    }

    /** Keys decide together when their names are equal after sanitizing. */
    @Override
    public String group(ToolKey key) {
        return NameAssigner.sanitize(key.name());
    }

    @Override
    public String soloCandidate(ToolKey key) {
        return key.name();
    }

    @Override
    public String toString() {
        return name;
    }

    /** The namespaces using one bare name, reduced to what the decision needs (order-independent). */
    private static final class Sharers {
        private String first;
        private boolean shared;

        void add(String namespace) {
            if (first == null) {
                first = namespace;
            } else if (!first.equals(namespace)) {
                shared = true;
                if (namespace.compareTo(first) < 0) {
                    first = namespace;
                }
            }
        }
    }
}
