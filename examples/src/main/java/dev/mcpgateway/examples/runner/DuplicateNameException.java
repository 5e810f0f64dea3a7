package dev.mcpgateway.examples.runner;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
        Set<String> names = new HashSet<>();
        for (T entry : entries) {
            String name = nameOf.apply(entry);
            if (!names.add(name)) {
                throw new DuplicateNameException("two " + what + " are named '" + name + "'; " + hint, entry);
            }
        }
    }
}
