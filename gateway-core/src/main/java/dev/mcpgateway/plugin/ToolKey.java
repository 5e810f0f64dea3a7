package dev.mcpgateway.plugin;

import java.util.Comparator;
import java.util.Objects;

/**
 * A tool's identity inside the gateway: the namespace it lives in (by default its plugin's name) and the
 * tool's own name as its server reports it. Printed and parsed as {@code namespace/name}.
 */
public record ToolKey(String namespace, String name) implements Comparable<ToolKey> {
    private static final Comparator<ToolKey> ORDER =
            Comparator.comparing(ToolKey::namespace).thenComparing(ToolKey::name);

    public ToolKey {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        if (namespace.isEmpty() || namespace.indexOf('/') >= 0) {
            throw new IllegalArgumentException("a namespace is a non-empty string without '/', got '" + namespace + "'");
        }
        if (name.isEmpty()) {
            throw new IllegalArgumentException("a tool name must not be empty (namespace '" + namespace + "')");
        }
    }

    /** Parses {@code namespace/name}; the name may itself contain {@code /}. */
    public static ToolKey parse(String text) {
        int slash = text.indexOf('/');
        if (slash <= 0 || slash == text.length() - 1) {
            throw new IllegalArgumentException("expected a tool key 'namespace/tool', got '" + text + "'");
        }
        return new ToolKey(text.substring(0, slash), text.substring(slash + 1));
    }

    @Override
    public int compareTo(ToolKey other) {
        return ORDER.compare(this, other);
    }

    /**
     * Mixes both hashes through a 64-bit finalizer: the record default ({@code 31 * h(namespace) + h(name)})
     * collides heavily for numbered names such as {@code p0042/tool_007}, and routing tables hash these keys.
     */
    @Override
    public int hashCode() {
        long h = ((long) namespace.hashCode() << 32) | (name.hashCode() & 0xFFFF_FFFFL);
        h = (h ^ (h >>> 33)) * 0xFF51_AFD7_ED55_8CCDL;
        h = (h ^ (h >>> 33)) * 0xC4CE_B9FE_1A85_EC53L;
        return (int) (h ^ (h >>> 33));
    }

    @Override
    public String toString() {
        return namespace + '/' + name;
    }
}
