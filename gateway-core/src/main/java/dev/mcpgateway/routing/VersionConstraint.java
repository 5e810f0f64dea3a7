package dev.mcpgateway.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A set of acceptable versions in npm's range syntax, compiled once and evaluated per routing decision.
 *
 * <p>Syntax: comparators {@code >=1.2.3}, {@code >1.2}, {@code <=2}, {@code <3.0.0}, {@code =1.2.3} and a bare
 * {@code 1.2.3} (exactly that version); caret {@code ^1.2.3} (same major; for {@code 0.x} same minor, for
 * {@code 0.0.x} same patch); tilde {@code ~1.2.3} (same minor); x-ranges {@code 1.x}, {@code 1.2.*}, {@code 1},
 * {@code 1.2}; hyphen ranges {@code 1.2.3 - 2.3.4}. Space-separated comparators must all hold; {@code ||}
 * separates alternatives. A space between an operator and its version is allowed ({@code >= 2.0.0}).
 *
 * <p>Pre-releases follow npm: a version such as {@code 2.0.0-rc.1} satisfies an alternative only if some comparator
 * in it names a pre-release of the same {@code 2.0.0}, so {@code >=1.0.0} does not pick up {@code 2.0.0-rc.1} but
 * {@code >=2.0.0-beta} does. Unlike npm, a constraint with an unbounded alternative ({@link #ANY}, {@code *},
 * {@code 1.x || *}) means "no constraint" and accepts every version, pre-releases and non-semver strings included.
 *
 * <p>Equality is textual: constraints written differently are not equal even when they accept the same versions.
 */
public final class VersionConstraint {

    /** Accepts every version, including pre-releases and strings that are not semantic versions. */
    public static final VersionConstraint ANY = new VersionConstraint("*", true, new Comparison[0][]);

    private static final String EXAMPLES = "a valid constraint looks like '>=1.2.3 <2.0.0', '^1.2', '~1.2.3', "
            + "'1.x', '1.2.3 - 2.3.4' or '^1.2 || >=3'";
    private static final String OPERATOR_CHARS = "<>=^~";
    private static final List<String> LOWEST_PRE_RELEASE = List.of("0");
    /** {@code <0.0.0-0} holds for no version at all. */
    private static final Version NOTHING = new Version(0, 0, 0, LOWEST_PRE_RELEASE, "");

    private final String text;
    private final boolean unconstrained;
    /** Alternatives ({@code ||}), each a conjunction of comparators. */
    private final Comparison[][] alternatives;

    private VersionConstraint(String text, boolean unconstrained, Comparison[][] alternatives) {
        this.text = text;
        this.unconstrained = unconstrained;
        this.alternatives = alternatives;
    }

    /**
     * Compiles a constraint; {@code *} and a blank string give {@link #ANY}.
     *
     * @throws IllegalArgumentException saying which part is wrong, with examples of valid constraints
     */
    public static VersionConstraint parse(String text) {
        Objects.requireNonNull(text, "version constraint");
        String stripped = text.strip();
        if (stripped.isEmpty() || stripped.equals("*")) {
            return ANY;
        }
        String[] parts = stripped.split("\\|\\|", -1);
        Comparison[][] alternatives = new Comparison[parts.length][];
        boolean unconstrained = false;
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i].strip();
            if (part.isEmpty()) {
                throw invalid(stripped, "an alternative around '||' is empty");
            }
            if (part.indexOf('|') >= 0) {
                throw invalid(stripped, "'" + part + "' contains a single '|'; separate alternatives with '||'");
            }
            alternatives[i] = compileAlternative(stripped, part);
            unconstrained |= alternatives[i].length == 0;
        }
        return new VersionConstraint(stripped, unconstrained, alternatives);
    }

    /**
     * Whether the version satisfies this constraint. A null version (none declared) satisfies only an unbounded
     * constraint such as {@link #ANY}. Does not allocate.
     */
    public boolean matches(Version version) {
        if (unconstrained) {
            return true;
        }
        if (version == null) {
            return false;
        }
        for (Comparison[] alternative : alternatives) {
            if (satisfies(alternative, version)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the version string satisfies this constraint; a string that is not a semantic version (or null)
     * satisfies only an unbounded constraint such as {@link #ANY}. Parses the string on every call; hot paths
     * should keep a parsed {@link Version} and use {@link #matches(Version)}.
     */
    public boolean matches(String version) {
        return unconstrained || matches(Version.parseOrNull(version));
    }

    /** Whether this constraint accepts every version (it is {@link #ANY} or has an unbounded alternative). */
    public boolean isAny() {
        return unconstrained;
    }

    /** The constraint as written (surrounding whitespace removed); {@code *} for {@link #ANY}. */
    @Override
    public String toString() {
        return text;
    }

    /** Equal when written the same way (see the class comment). */
    @Override
    public boolean equals(Object o) {
        return o instanceof VersionConstraint other && text.equals(other.text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    private static boolean satisfies(Comparison[] alternative, Version version) {
        for (Comparison comparison : alternative) {
            if (!comparison.test(version)) {
                return false;
            }
        }
        if (!version.isPreRelease()) {
            return true;
        }
        // npm's rule: a pre-release is only wanted where the constraint itself names a pre-release of that version.
        for (Comparison comparison : alternative) {
            if (comparison.version.isPreRelease() && comparison.version.hasSameCore(version)) {
                return true;
            }
        }
        return false;
    }

    private static Comparison[] compileAlternative(String whole, String alternative) {
        String[] words = alternative.split("\\s+");
        List<Comparison> out = new ArrayList<>();
        for (int i = 0; i < words.length; i++) {
            String word = words[i];
            if (word.equals("-")) {
                throw invalid(whole, "'-' needs a version on both sides, as in '1.2.3 - 2.3.4'");
            }
            if (isOperatorOnly(word)) {
                if (i + 1 == words.length) {
                    throw invalid(whole, "operator '" + word + "' needs a version after it, e.g. '" + word + "1.2.3'");
                }
                word += words[++i];
            }
            if (i + 1 < words.length && words[i + 1].equals("-")) {
                if (i + 2 == words.length || isOperatorOnly(words[i + 2])) {
                    throw invalid(whole, "hyphen range '" + word + " -' needs a version after '-', e.g. '1.2.3 - 2.3.4'");
                }
                String upper = words[i + 2];
                if (OPERATOR_CHARS.indexOf(word.charAt(0)) >= 0 || OPERATOR_CHARS.indexOf(upper.charAt(0)) >= 0) {
                    throw invalid(whole, "hyphen range '" + word + " - " + upper
                            + "' takes plain versions without operators, e.g. '1.2.3 - 2.3.4'");
                }
                // A hyphen range is exactly ">=lower <=upper" with x-range rounding on both ends.
                addPrimitive(whole, Op.GE, partial(whole, word), out);
                addPrimitive(whole, Op.LE, partial(whole, upper), out);
                i += 2;
            } else {
                addWord(whole, word, out);
            }
        }
        return out.toArray(new Comparison[0]);
    }

    private static boolean isOperatorOnly(String word) {
        for (int i = 0; i < word.length(); i++) {
            if (OPERATOR_CHARS.indexOf(word.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    private static void addWord(String whole, String word, List<Comparison> out) {
        String symbol = operatorPrefix(word);
        Partial version = partial(whole, word.substring(symbol.length()));
        switch (symbol) {
            case "^" -> addCaret(whole, version, out);
            case "~" -> addTilde(whole, version, out);
            case "", "=" -> addPrimitive(whole, Op.EQ, version, out);
            case ">" -> addPrimitive(whole, Op.GT, version, out);
            case ">=" -> addPrimitive(whole, Op.GE, version, out);
            case "<" -> addPrimitive(whole, Op.LT, version, out);
            case "<=" -> addPrimitive(whole, Op.LE, version, out);
            default -> throw invalid(whole, "unknown operator '" + symbol + "' in '" + word
                    + "'; use one of = < <= > >= ^ ~");
        }
    }

    private static String operatorPrefix(String word) {
        int end = 0;
        while (end < word.length() && OPERATOR_CHARS.indexOf(word.charAt(end)) >= 0) {
            end++;
        }
        return word.substring(0, end);
    }

    /** Adds a plain comparator, widening a partial version the way npm's x-ranges do. */
    private static void addPrimitive(String whole, Op op, Partial p, List<Comparison> out) {
        if (p.given == 3) {
            out.add(new Comparison(op, p.version));
            return;
        }
        if (p.given == 0) {
            // "*" with = >= <= puts no bound on the version; with < or > nothing can satisfy it.
            if (op == Op.LT || op == Op.GT) {
                out.add(new Comparison(Op.LT, NOTHING));
            }
            return;
        }
        // Upper bounds end in "-0", the lowest pre-release, so that no pre-release of the bound slips in.
        int level = p.given - 1;
        Version v = p.version;
        switch (op) {
            case EQ -> {
                out.add(new Comparison(Op.GE, v));
                out.add(new Comparison(Op.LT, bump(whole, v, level, LOWEST_PRE_RELEASE)));
            }
            case GT -> out.add(new Comparison(Op.GE, bump(whole, v, level, List.of())));
            case GE -> out.add(new Comparison(Op.GE, v));
            case LT -> out.add(new Comparison(Op.LT,
                    new Version(v.major(), v.minor(), v.patch(), LOWEST_PRE_RELEASE, "")));
            case LE -> out.add(new Comparison(Op.LT, bump(whole, v, level, LOWEST_PRE_RELEASE)));
        }
    }

    private static void addCaret(String whole, Partial p, List<Comparison> out) {
        if (p.given == 0) {
            return;
        }
        // Bump the first non-zero number the caller wrote; if all are zero, the last one written.
        Version v = p.version;
        int level = v.major() != 0 || p.given == 1 ? 0 : v.minor() != 0 || p.given == 2 ? 1 : 2;
        out.add(new Comparison(Op.GE, v));
        out.add(new Comparison(Op.LT, bump(whole, v, level, LOWEST_PRE_RELEASE)));
    }

    private static void addTilde(String whole, Partial p, List<Comparison> out) {
        if (p.given == 0) {
            return;
        }
        out.add(new Comparison(Op.GE, p.version));
        out.add(new Comparison(Op.LT, bump(whole, p.version, p.given == 1 ? 0 : 1, LOWEST_PRE_RELEASE)));
    }

    /** The next version at the given level (0 major, 1 minor, 2 patch), lower numbers reset to 0. */
    private static Version bump(String whole, Version v, int level, List<String> preRelease) {
        int number = level == 0 ? v.major() : level == 1 ? v.minor() : v.patch();
        if (number == Integer.MAX_VALUE) {
            throw invalid(whole, "version " + v + " is too large to form a range from; use explicit comparators");
        }
        return switch (level) {
            case 0 -> new Version(v.major() + 1, 0, 0, preRelease, "");
            case 1 -> new Version(v.major(), v.minor() + 1, 0, preRelease, "");
            default -> new Version(v.major(), v.minor(), v.patch() + 1, preRelease, "");
        };
    }

    /**
     * Reads a version that may leave out or wildcard ({@code x}, {@code X}, {@code *}) its trailing numbers;
     * missing numbers are 0 in the result.
     */
    private static Partial partial(String whole, String word) {
        if (word.isEmpty()) {
            throw invalid(whole, "an operator is missing its version; write e.g. '>=1.2.3'");
        }
        int coreEnd = word.length();
        for (int i = 0; i < word.length(); i++) {
            if (word.charAt(i) == '-' || word.charAt(i) == '+') {
                coreEnd = i;
                break;
            }
        }
        String[] numbers = word.substring(0, coreEnd).split("\\.", -1);
        int given = 0;
        while (given < numbers.length && !isWildcard(numbers[given])) {
            given++;
        }
        if (given < numbers.length && numbers.length > 3) {
            throw invalid(whole, "'" + word + "' has more than three numbers; write e.g. '1.x' or '1.2.x'");
        }
        for (int i = given; i < numbers.length; i++) {
            if (!isWildcard(numbers[i])) {
                throw invalid(whole, "'" + word + "' has a number after a wildcard; write e.g. '1.x' or '1.2.x'");
            }
        }
        if (given < numbers.length && coreEnd < word.length()) {
            throw invalid(whole, "'" + word + "' mixes a wildcard with a pre-release or build; "
                    + "write a full version such as '1.2.0-rc.1'");
        }
        if (given == 0) {
            return new Partial(0, null);
        }
        // Version.parse reads the numbers given (and an optional leading 'v'), filling the rest with 0.
        String written = given == numbers.length ? word : String.join(".", List.of(numbers).subList(0, given));
        try {
            return new Partial(given, Version.parse(written));
        } catch (IllegalArgumentException e) {
            throw invalid(whole, e.getMessage());
        }
    }

    private static boolean isWildcard(String number) {
        return number.equals("x") || number.equals("X") || number.equals("*");
    }

    private static IllegalArgumentException invalid(String whole, String problem) {
        return new IllegalArgumentException("invalid version constraint '" + whole + "': " + problem + "; " + EXAMPLES);
    }

    /** A version as written in a constraint: how many of its numbers were given (0-3), zero-filled. */
    private record Partial(int given, Version version) {
    }

    private enum Op {
        EQ, LT, LE, GT, GE
    }

    /** One compiled comparison against a fixed version. */
    private record Comparison(Op op, Version version) {

        boolean test(Version candidate) {
            int c = candidate.compareTo(version);
            return switch (op) {
                case EQ -> c == 0;
                case LT -> c < 0;
                case LE -> c <= 0;
                case GT -> c > 0;
                case GE -> c >= 0;
            };
        }
    }
}
