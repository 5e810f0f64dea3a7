package dev.mcpgateway.routing;

import dev.mcpgateway.plugin.ToolKey;
import java.util.Objects;

/**
 * A glob over tool identities ({@code namespace/tool}) that routing rules use to say which tools they cover,
 * e.g. {@code github/create_*}, {@code file?/read}, {@code filesystem} (all of its tools) or {@code *} (every tool).
 *
 * <p>The text splits at its first {@code /}: the part before is a glob over the namespace, the rest a glob over the
 * tool name (which may itself contain {@code /}); without a {@code /} the tool part is {@code *}. In a glob,
 * {@code *} matches any run of characters (possibly empty), {@code ?} exactly one character, and every other
 * character itself (case-sensitive). Matching is iterative and at worst proportional to the product of the
 * pattern's and the name's lengths, so no pattern can cause catastrophic backtracking.
 */
public final class ToolPattern {

    private static final String EXAMPLE = "a valid pattern looks like 'github/create_*', 'file?/read', 'filesystem' or '*'";

    private final String text;
    private final Glob namespace;
    private final Glob tool;

    private ToolPattern(String text, Glob namespace, Glob tool) {
        this.text = text;
        this.namespace = namespace;
        this.tool = tool;
    }

    /**
     * Parses {@code <namespace-glob>/<tool-glob>} or a bare {@code <namespace-glob>}.
     *
     * @throws IllegalArgumentException if the pattern or one of its parts is empty, with an example of a valid one
     */
    public static ToolPattern parse(String text) {
        Objects.requireNonNull(text, "tool pattern");
        if (text.isBlank()) {
            throw invalid(text, "it is empty; use '*' to match every tool");
        }
        if (!text.equals(text.strip())) {
            throw invalid(text, "it has leading or trailing whitespace; remove it");
        }
        int slash = text.indexOf('/');
        String namespacePart = slash < 0 ? text : text.substring(0, slash);
        String toolPart = slash < 0 ? "*" : text.substring(slash + 1);
        if (namespacePart.isEmpty()) {
            throw invalid(text, "the namespace part before '/' is empty; write e.g. '*/" + toolPart + "'");
        }
        if (toolPart.isEmpty()) {
            throw invalid(text, "the tool part after '/' is empty; write '" + namespacePart + "' or '"
                    + namespacePart + "/*' for all of its tools");
        }
        return new ToolPattern(text, Glob.compile(namespacePart), Glob.compile(toolPart));
    }

    /** Whether the tool {@code namespace/toolName} is covered by this pattern. Does not allocate. */
    public boolean matches(String namespace, String toolName) {
        return this.namespace.matches(namespace) && tool.matches(toolName);
    }

    /** Whether the tool is covered by this pattern. Does not allocate. */
    public boolean matches(ToolKey key) {
        return matches(key.namespace(), key.name());
    }

    /** Whether this pattern covers every tool ({@code *}, {@code *}{@code /*}, {@code **}, ...). */
    public boolean matchesEverything() {
        return namespace.kind == Kind.ANY && tool.kind == Kind.ANY;
    }

    /** The pattern as written. */
    @Override
    public String toString() {
        return text;
    }

    /** Equal when written the same way. */
    @Override
    public boolean equals(Object o) {
        return o instanceof ToolPattern other && text.equals(other.text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    private static IllegalArgumentException invalid(String text, String problem) {
        return new IllegalArgumentException("invalid tool pattern '" + text + "': " + problem + "; " + EXAMPLE);
    }

    /** Shapes with a shortcut; everything else goes through the general matcher. */
    private enum Kind {
        /** Only {@code *}s. */
        ANY,
        /** No wildcards. */
        LITERAL,
        /** Wildcard-free text followed by one {@code *}. */
        PREFIX,
        GENERAL
    }

    /** One compiled glob. {@code literal} is the text for LITERAL and the prefix for PREFIX. */
    private record Glob(Kind kind, String pattern, String literal) {

        static Glob compile(String pattern) {
            int stars = 0;
            int questions = 0;
            for (int i = 0; i < pattern.length(); i++) {
                char c = pattern.charAt(i);
                stars += c == '*' ? 1 : 0;
                questions += c == '?' ? 1 : 0;
            }
            if (stars == pattern.length()) {
                return new Glob(Kind.ANY, pattern, "");
            }
            if (stars == 0 && questions == 0) {
                return new Glob(Kind.LITERAL, pattern, pattern);
            }
            if (stars == 1 && questions == 0 && pattern.endsWith("*")) {
                return new Glob(Kind.PREFIX, pattern, pattern.substring(0, pattern.length() - 1));
            }
            return new Glob(Kind.GENERAL, pattern, "");
        }

        boolean matches(String s) {
            return switch (kind) {
                case ANY -> true;
                case LITERAL -> literal.equals(s);
                case PREFIX -> s.startsWith(literal);
                case GENERAL -> matchGeneral(pattern, s);
            };
        }

        /**
         * Classic wildcard matching that only ever backtracks to the most recent {@code *}: a later star can absorb
         * anything an earlier one could, so retrying earlier stars is never needed. {@code ?} consumes one code point.
         */
        private static boolean matchGeneral(String pattern, String s) {
            int p = 0;
            int t = 0;
            int star = -1;
            int starText = 0;
            while (t < s.length()) {
                if (p < pattern.length()) {
                    char pc = pattern.charAt(p);
                    if (pc == '*') {
                        star = p++;
                        starText = t;
                        continue;
                    }
                    if (pc == '?') {
                        p++;
                        t += Character.charCount(s.codePointAt(t));
                        continue;
                    }
                    if (pc == s.charAt(t)) {
                        p++;
                        t++;
                        continue;
                    }
                }
                if (star < 0) {
                    return false;
                }
                // Let the last star absorb one more code point and retry the rest of the pattern from there.
                p = star + 1;
                starText += Character.charCount(s.codePointAt(starText));
                t = starText;
            }
            while (p < pattern.length() && pattern.charAt(p) == '*') {
                p++;
            }
            return p == pattern.length();
        }
    }
}
