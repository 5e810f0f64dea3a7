package dev.mcpgateway.naming;

import dev.mcpgateway.internal.naming.BareNameNaming;
import dev.mcpgateway.internal.naming.NamespacedNaming;
import dev.mcpgateway.plugin.ToolKey;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.SortedMap;
import java.util.regex.Pattern;

/**
 * A strategy for the names under which the gateway exposes plugin tools to MCP clients. Every strategy
 * sanitizes characters LLM APIs reject to {@code _}, shortens names over 64 characters with a stable
 * SHA-256 suffix, and gives every member of a collision group a hash-suffixed name, so the outcome is
 * collision-free and depends only on the set of tools.
 */
public interface ToolNaming {

    /** Names LLM function-calling APIs accept; every strategy's output matches it. */
    Pattern LLM_SAFE = Pattern.compile("^[a-zA-Z0-9_-]{1,64}$");

    /** The names {@link #byName} accepts. */
    List<String> NAMES = List.of("namespaced", "prefix-on-conflict", "unprefixed");

    /**
     * Assigns an exposed name to every tool. The result is injective, every name matches {@link #LLM_SAFE},
     * and it is a deterministic function of the set of keys (input order and duplicates do not matter).
     *
     * @param tools the tools to name; must not contain null
     * @return exposed name to tool key, unmodifiable, iterating in ascending exposed-name order (the order
     *         clients see in a tool listing)
     */
    SortedMap<String, ToolKey> assign(Collection<ToolKey> tools);

    /** The strategy's name as used in configuration, one of {@link #NAMES}. */
    String name();

    /** The default: {@code <namespace>__<tool>} for every tool. */
    static ToolNaming namespaced() {
        return NamespacedNaming.DEFAULT;
    }

    /**
     * {@code <namespace><separator><tool>} for every tool.
     *
     * @param separator 1 to 3 characters from {@code [A-Za-z0-9_-]}
     * @throws IllegalArgumentException when the separator is empty, too long or has other characters
     */
    static ToolNaming namespaced(String separator) {
        return new NamespacedNaming(separator);
    }

    /** The bare tool name, except that every tool whose name is shared by two or more namespaces gets {@code <namespace>__<tool>}. */
    static ToolNaming prefixOnConflict() {
        return BareNameNaming.PREFIX_ON_CONFLICT;
    }

    /**
     * The bare tool name; when several namespaces share a tool name the namespace that sorts first keeps the
     * bare name and the others get {@code <namespace>__<tool>}.
     */
    static ToolNaming unprefixed() {
        return BareNameNaming.UNPREFIXED;
    }

    /**
     * The strategy configured as {@code name} (case and surrounding blanks ignored), with the default separator.
     *
     * @throws IllegalArgumentException naming the accepted values when the name is unknown
     */
    static ToolNaming byName(String name) {
        return switch (name == null ? "" : name.strip().toLowerCase(Locale.ROOT)) {
            case "namespaced" -> namespaced();
            case "prefix-on-conflict" -> prefixOnConflict();
            case "unprefixed" -> unprefixed();
            default -> throw new IllegalArgumentException("unknown tool naming '" + name + "'; use one of " + NAMES);
        };
    }
}
