package dev.mcpgateway.routing;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A semantic version (<a href="https://semver.org/spec/v2.0.0.html">SemVer 2.0.0</a>) of a plugin or tool,
 * ordered by semver precedence.
 *
 * <p>{@link #compareTo} ignores build metadata, as semver requires, while {@link #equals} is the record's
 * component equality: {@code 1.0.0+a} and {@code 1.0.0+b} compare as 0 but are not equal. Use
 * {@code compareTo(other) == 0} when "same precedence" is meant.
 *
 * @param major      the major version, at least 0
 * @param minor      the minor version, at least 0
 * @param patch      the patch version, at least 0
 * @param preRelease the dot-separated pre-release identifiers ({@code [rc, 1]} for {@code -rc.1}); empty for a release
 * @param build      the build metadata after {@code +}, without the {@code +}; empty when there is none
 */
public record Version(int major, int minor, int patch, List<String> preRelease, String build)
        implements Comparable<Version> {

    private static final String EXPECTED = "expected a semantic version such as 1.2.3 or 1.2.3-rc.1";

    public Version {
        if (major < 0 || minor < 0 || patch < 0) {
            throw new IllegalArgumentException("version numbers must not be negative, got "
                    + major + "." + minor + "." + patch);
        }
        preRelease = preRelease == null ? List.of() : List.copyOf(preRelease);
        build = build == null ? "" : build;
        for (String identifier : preRelease) {
            String problem = identifierProblem(identifier, true);
            if (problem != null) {
                throw new IllegalArgumentException("pre-release identifier '" + identifier + "' " + problem);
            }
        }
        String problem = buildProblem(build);
        if (problem != null) {
            throw new IllegalArgumentException("build metadata '" + build + "': " + problem);
        }
    }

    /** The release version {@code major.minor.patch}. */
    public static Version of(int major, int minor, int patch) {
        return new Version(major, minor, patch, List.of(), "");
    }

    /**
     * Parses a semantic version such as {@code 1.2.3}, {@code 1.2.3-rc.1+build.5}. Lenient in two ways: a leading
     * {@code v} is allowed, and a release may leave out minor and patch ({@code 1} and {@code 1.2} mean
     * {@code 1.0.0} and {@code 1.2.0}).
     *
     * @throws IllegalArgumentException naming the bad input and the expected form
     */
    public static Version parse(String text) {
        Objects.requireNonNull(text, "version");
        return parse(text, true);
    }

    /** Parses like {@link #parse}, but returns empty instead of throwing when the text is null or not a version. */
    public static Optional<Version> tryParse(String text) {
        return Optional.ofNullable(parseOrNull(text));
    }

    /** Parses like {@link #parse}; null when the text is null or not a version (no exception on the way). */
    static Version parseOrNull(String text) {
        return text == null ? null : parse(text, false);
    }

    /** Whether this is a pre-release ({@code 1.0.0-rc.1}), which has lower precedence than its release. */
    public boolean isPreRelease() {
        return !preRelease.isEmpty();
    }

    /** Whether both versions have the same {@code major.minor.patch}, whatever their pre-release and build. */
    boolean hasSameCore(Version other) {
        return major == other.major && minor == other.minor && patch == other.patch;
    }

    /** Semver precedence: numbers numerically, a pre-release below its release, build metadata ignored. */
    @Override
    public int compareTo(Version other) {
        int c = Integer.compare(major, other.major);
        if (c == 0) {
            c = Integer.compare(minor, other.minor);
        }
        if (c == 0) {
            c = Integer.compare(patch, other.patch);
        }
        return c != 0 ? c : comparePreRelease(preRelease, other.preRelease);
    }

    /** The canonical form, e.g. {@code 1.2.3-rc.1+build.5} (never with a leading {@code v}). */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(16).append(major).append('.').append(minor).append('.').append(patch);
        if (!preRelease.isEmpty()) {
            sb.append('-').append(String.join(".", preRelease));
        }
        if (!build.isEmpty()) {
            sb.append('+').append(build);
        }
        return sb.toString();
    }

    private static int comparePreRelease(List<String> a, List<String> b) {
        if (a.isEmpty() || b.isEmpty()) {
            // A release (no identifiers) ranks above any of its pre-releases.
            return Boolean.compare(a.isEmpty(), b.isEmpty());
        }
        int n = Math.min(a.size(), b.size());
        for (int i = 0; i < n; i++) {
            int c = compareIdentifiers(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    private static int compareIdentifiers(String x, String y) {
        boolean xNumeric = isNumeric(x);
        boolean yNumeric = isNumeric(y);
        if (xNumeric && yNumeric) {
            // No leading zeros (validated), so a longer number is larger; this also works beyond long's range.
            return x.length() != y.length() ? Integer.compare(x.length(), y.length()) : x.compareTo(y);
        }
        if (xNumeric != yNumeric) {
            return xNumeric ? -1 : 1;
        }
        return x.compareTo(y);
    }

    private static boolean isNumeric(String identifier) {
        for (int i = 0; i < identifier.length(); i++) {
            if (!isDigit(identifier.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** Why an identifier is invalid, or null when it is fine. */
    private static String identifierProblem(String identifier, boolean noLeadingZeros) {
        if (identifier.isEmpty()) {
            return "is empty; separate identifiers with single dots, e.g. rc.1";
        }
        for (int i = 0; i < identifier.length(); i++) {
            char c = identifier.charAt(i);
            if (!(isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-')) {
                return "contains '" + c + "'; use only A-Z a-z 0-9 and -";
            }
        }
        if (noLeadingZeros && identifier.length() > 1 && identifier.charAt(0) == '0' && isNumeric(identifier)) {
            return "is a number with a leading zero; write it without leading zeros";
        }
        return null;
    }

    private static String buildProblem(String build) {
        if (build.isEmpty()) {
            return null;
        }
        for (String identifier : build.split("\\.", -1)) {
            String problem = identifierProblem(identifier, false);
            if (problem != null) {
                return "identifier '" + identifier + "' " + problem;
            }
        }
        return null;
    }

    private static Version parse(String text, boolean throwing) {
        int len = text.length();
        if (len == 0) {
            return reject(throwing, text, "it is empty");
        }
        int i = text.charAt(0) == 'v' || text.charAt(0) == 'V' ? 1 : 0;
        int[] numbers = new int[3];
        int parts = 0;
        while (true) {
            int start = i;
            long value = 0;
            while (i < len && isDigit(text.charAt(i))) {
                value = value * 10 + (text.charAt(i) - '0');
                if (value > Integer.MAX_VALUE) {
                    return reject(throwing, text, "number at position " + start + " is larger than "
                            + Integer.MAX_VALUE);
                }
                i++;
            }
            if (i == start) {
                return reject(throwing, text, "expected a number " + where(text, i));
            }
            if (i - start > 1 && text.charAt(start) == '0') {
                return reject(throwing, text, "number '" + text.substring(start, i)
                        + "' has a leading zero; write it without leading zeros");
            }
            numbers[parts++] = (int) value;
            if (i < len && text.charAt(i) == '.') {
                if (parts == 3) {
                    return reject(throwing, text, "a version has at most three numbers, major.minor.patch");
                }
                i++;
            } else {
                break;
            }
        }
        List<String> preRelease = List.of();
        String build = "";
        if (i < len && (text.charAt(i) == '-' || text.charAt(i) == '+')) {
            if (parts < 3) {
                return reject(throwing, text, "a pre-release or build needs all three numbers, e.g. 1.2.0-rc.1");
            }
            int plus = text.indexOf('+', i);
            if (text.charAt(i) == '-') {
                String pre = text.substring(i + 1, plus < 0 ? len : plus);
                preRelease = List.of(pre.split("\\.", -1));
                for (String identifier : preRelease) {
                    String problem = identifierProblem(identifier, true);
                    if (problem != null) {
                        return reject(throwing, text, "pre-release identifier '" + identifier + "' " + problem);
                    }
                }
            }
            if (plus >= 0) {
                build = text.substring(plus + 1);
                String problem = build.isEmpty() ? "'+' must be followed by build identifiers" : buildProblem(build);
                if (problem != null) {
                    return reject(throwing, text, "build metadata: " + problem);
                }
            }
        } else if (i < len) {
            return reject(throwing, text, "unexpected " + where(text, i));
        }
        return new Version(numbers[0], numbers[1], numbers[2], preRelease, build);
    }

    private static String where(String text, int i) {
        return i >= text.length() ? "at the end" : "'" + text.charAt(i) + "' at position " + i;
    }

    private static Version reject(boolean throwing, String text, String reason) {
        if (!throwing) {
            return null;
        }
        throw new IllegalArgumentException("invalid version '" + text + "': " + reason + "; " + EXPECTED);
    }
}
