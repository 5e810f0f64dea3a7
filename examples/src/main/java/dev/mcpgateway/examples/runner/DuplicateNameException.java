package dev.mcpgateway.examples.runner;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Two entries of a list share a name. Carries the second entry so that {@link ConfigLoader} can report the error at
 * the duplicate's line: the check runs when the whole list is built, by then the parser has moved past it.
 */
final class DuplicateNameException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final transient Object duplicate;

    private DuplicateNameException(String message, Object duplicate) {
        super(message);
        this.duplicate = duplicate;
    }

    /** The entry whose name was taken already. */
    Object duplicate() {
        return duplicate;
    }

    /**
     * Fails on the first entry whose name an earlier one has.
     *
     * @param what how the entries are called in the message, plural ("plugins")
     * @param hint what to do instead
     */
    static <T> void requireDistinct(List<T> entries, Function<T, String> nameOf, String what, String hint) {
        requireDistinct(entries, nameOf, (first, duplicate) -> "two " + what + " are named '" + nameOf.apply(duplicate)
                + "'; " + hint);
    }

    /**
     * Fails on the first entry whose key ({@code keyOf}) an earlier one has, with the message {@code message} makes
     * of the earlier entry and the duplicate: for a key other than the name, or one the message must not repeat.
     */
    static <T> void requireDistinct(List<T> entries, Function<T, String> keyOf, BiFunction<T, T, String> message) {
        Map<String, T> seen = new HashMap<>();
        for (T entry : entries) {
            T first = seen.putIfAbsent(keyOf.apply(entry), entry);
            if (first != null) {
                throw new DuplicateNameException(message.apply(first, entry), entry);
            }
        }
    }
}
