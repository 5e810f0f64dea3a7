package dev.mcpgateway.auth;

import dev.mcpgateway.routing.ToolPattern;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Which tools, prompts and resources each client may see and use: per-tool authorization from the scopes and claims
 * of the client's token. What a client may not use is absent from its lists, and asking for it is answered as if it
 * did not exist, so a narrow token cannot even learn what else the gateway serves.
 *
 * <p>Items are named by identity, independent of how the gateway exposes them: {@code <namespace>/<name>} for tools
 * and prompts (the plugin's namespace, usually its name, and the plugin's own name for the item) and
 * {@code <namespace>/<uri>} for resources and resource templates. Rules cover items by {@link ToolPattern} globs:
 * {@code github/*} (everything of the github plugin), {@code files/read_*}, {@code files/read_file}.
 *
 * <p>Rules are read in order: the first whose pattern covers the item and whose {@link Who condition} the client
 * meets decides, allow or deny; when none does, {@link Builder#otherwise(Effect) otherwise} decides (deny by
 * default). A client that did not authenticate has no principal and meets only {@link Who#anyone()}. Example: the
 * github tools for tokens with scope {@code github}, a token's own grants from its {@code mcp_tools} claim, nothing
 * else:
 *
 * <pre>{@code
 * AccessPolicy.builder()
 *         .allow("github/*", AccessPolicy.Who.scope("github"))
 *         .allow("*", AccessPolicy.Who.grantedByClaim("mcp_tools"))
 *         .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe; a check reads the rules and allocates nothing for literal and prefix patterns.
 */
public final class AccessPolicy {
    /** Everyone may use everything: the default, under which lists hold nothing specific to a client. */
    public static final AccessPolicy ALLOW_ALL = new AccessPolicy(List.of(), Effect.ALLOW);

    /** What a rule does with the items it covers. */
    public enum Effect {
        /** The client may see and use them. */
        ALLOW,
        /** The client may neither see nor use them. */
        DENY
    }

    /**
     * One rule: items covered by {@code items}, for clients meeting {@code who}, are allowed or denied.
     *
     * @param effect what the rule decides
     * @param items  the items it covers
     * @param who    which clients it applies to
     */
    public record Rule(Effect effect, ToolPattern items, Who who) {
        public Rule {
            Objects.requireNonNull(effect, "effect");
            Objects.requireNonNull(items, "items");
            Objects.requireNonNull(who, "who");
        }
    }

    /** Which clients a rule applies to, judged from their principal (null for a client that did not authenticate). */
    public sealed interface Who {
        /**
         * Whether the client meets the condition for the item {@code namespace/name}.
         *
         * @param principal who the client authenticated as, or null
         */
        boolean test(Principal principal, String namespace, String name);

        /** Every client, authenticated or not. */
        static Who anyone() {
            return Anyone.INSTANCE;
        }

        /** Clients whose token grants {@code scope}. */
        static Who scope(String scope) {
            return new HasScope(scope);
        }

        /**
         * Clients whose token's {@code claim} is {@code value}, or holds it: a string equal to it (or, for a
         * space-separated string, one of its words), an array with it as an element, or a boolean or number that
         * reads as it.
         */
        static Who claim(String claim, String value) {
            return new HasClaim(claim, value);
        }

        /**
         * Clients whose token itself names the item: a scope {@code <prefix><pattern>} whose pattern covers it, e.g.
         * with prefix {@code tools:} the scope {@code tools:github/*} grants every github tool. A pattern that is not
         * valid grants nothing.
         */
        static Who grantedByScopes(String prefix) {
            return new ScopeGrants(prefix);
        }

        /**
         * Clients whose token itself names the item: the {@code claim} (an array of strings, or a space-separated
         * string) holds a pattern that covers it, e.g. {@code "mcp_tools": ["github/*", "files/read_*"]}.
         */
        static Who grantedByClaim(String claim) {
            return new ClaimGrants(claim);
        }
    }

    /** The condition every client meets. */
    private enum Anyone implements Who {
        INSTANCE;

        @Override
        public boolean test(Principal principal, String namespace, String name) {
            return true;
        }

        @Override
        public String toString() {
            return "anyone";
        }
    }

    private record HasScope(String scope) implements Who {
        HasScope {
            requireName("scope", scope);
        }

        @Override
        public boolean test(Principal principal, String namespace, String name) {
            return principal != null && principal.hasScope(scope);
        }
    }

    private record HasClaim(String claim, String value) implements Who {
        HasClaim {
            requireName("claim", claim);
            Objects.requireNonNull(value, "value");
        }

        @Override
        public boolean test(Principal principal, String namespace, String name) {
            return principal != null && holds(principal.claims().get(claim), value);
        }

        private static boolean holds(Object claimed, String value) {
            if (claimed instanceof Collection<?> values) {
                for (Object element : values) {
                    if (value.equals(String.valueOf(element))) {
                        return true;
                    }
                }
                return false;
            }
            if (claimed instanceof String text) {
                return text.equals(value) || isWordOf(value, text);
            }
            return claimed != null && value.equals(String.valueOf(claimed));
        }

        /** Whether {@code word} is one of the space-separated words of {@code text}, found without splitting it. */
        private static boolean isWordOf(String word, String text) {
            for (int at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) {
                int end = at + word.length();
                if ((at == 0 || text.charAt(at - 1) == ' ') && (end == text.length() || text.charAt(end) == ' ')) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Grants in scopes of the form {@code <prefix><pattern>}. */
    private static final class ScopeGrants implements Who {
        private final String prefix;
        private final Grants grants;

        ScopeGrants(String prefix) {
            requireName("scope prefix", prefix);
            this.prefix = prefix;
            this.grants = new Grants(scope -> scope.startsWith(prefix)
                    ? Grants.parse(scope.substring(prefix.length())) : List.of());
        }

        @Override
        public boolean test(Principal principal, String namespace, String name) {
            if (principal == null) {
                return false;
            }
            for (String scope : principal.scopes()) {
                if (grants.cover(scope, namespace, name)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public String toString() {
            return "grantedByScopes(" + prefix + ")";
        }
    }

    /** Grants in a claim holding patterns: an array of them, or a space-separated string. */
    private static final class ClaimGrants implements Who {
        private final String claim;
        private final Grants grants = new Grants(text -> Grants.parse(text.split(" ")));

        ClaimGrants(String claim) {
            requireName("claim", claim);
            this.claim = claim;
        }

        @Override
        public boolean test(Principal principal, String namespace, String name) {
            Object claimed = principal == null ? null : principal.claims().get(claim);
            if (claimed instanceof String text) {
                return grants.cover(text, namespace, name);
            }
            if (claimed instanceof Collection<?> list) {
                for (Object pattern : list) {
                    if (pattern instanceof String text && grants.cover(text, namespace, name)) {
                        return true;
                    }
                }
            }
            return false;
        }

        @Override
        public String toString() {
            return "grantedByClaim(" + claim + ")";
        }
    }

    /**
     * The patterns each text of a token (a scope, a claim's value) grants, parsed once per text: a check then costs
     * a lookup by a string whose hash it already holds, and the matching, never a parse or a copy. Tokens of one
     * deployment carry few distinct texts, so the cache stays small; it is emptied should a flood of distinct ones
     * fill it.
     */
    private static final class Grants {
        private static final int MAX = 10_000;
        private final Map<String, List<ToolPattern>> parsed = new ConcurrentHashMap<>();
        private final Function<String, List<ToolPattern>> parser;

        Grants(Function<String, List<ToolPattern>> parser) {
            this.parser = parser;
        }

        boolean cover(String text, String namespace, String name) {
            List<ToolPattern> patterns = parsed.get(text);
            if (patterns == null) {
                if (parsed.size() >= MAX) {
                    parsed.clear();
                }
                patterns = parsed.computeIfAbsent(text, parser);
            }
            for (ToolPattern pattern : patterns) {
                if (pattern.matches(namespace, name)) {
                    return true;
                }
            }
            return false;
        }

        /** The valid patterns among the texts; a token's malformed grant grants nothing. */
        static List<ToolPattern> parse(String... texts) {
            List<ToolPattern> patterns = new ArrayList<>(texts.length);
            for (String text : texts) {
                try {
                    patterns.add(ToolPattern.parse(text));
                } catch (IllegalArgumentException e) {
                    // skipped: grants nothing
                }
            }
            return List.copyOf(patterns);
        }
    }

    private final List<Rule> rules;
    private final Effect otherwise;
    /** Decided once: every session (and every 2026-07-28 request) asks. */
    private final boolean restricts;

    private AccessPolicy(List<Rule> rules, Effect otherwise) {
        this.rules = List.copyOf(rules);
        this.otherwise = otherwise;
        this.restricts = !(otherwise == Effect.ALLOW && rules.stream().allMatch(rule -> rule.effect() == Effect.ALLOW));
    }

    /** A policy to build rule by rule. */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether a client authenticated as {@code principal} (null: not authenticated) may use {@code namespace/name}. */
    public boolean allows(Principal principal, String namespace, String name) {
        for (Rule rule : rules) {
            if (rule.items().matches(namespace, name) && rule.who().test(principal, namespace, name)) {
                return rule.effect() == Effect.ALLOW;
            }
        }
        return otherwise == Effect.ALLOW;
    }

    /** Whether what a client may use can depend on who it is: false only when every client may use everything. */
    public boolean restricts() {
        return restricts;
    }

    /** The rules, in the order they are read. */
    public List<Rule> rules() {
        return rules;
    }

    /** What decides an item no rule decides. */
    public Effect otherwise() {
        return otherwise;
    }

    @Override
    public String toString() {
        return "AccessPolicy" + rules + " otherwise " + otherwise;
    }

    private static void requireName(String what, String value) {
        if (value == null || value.isBlank() || !value.equals(value.strip())) {
            throw new IllegalArgumentException("a " + what + " must be a non-blank name without surrounding spaces, got '"
                    + value + "'");
        }
    }

    /** Builds an {@link AccessPolicy}; rules keep the order they are added in. */
    public static final class Builder {
        private final List<Rule> rules = new ArrayList<>();
        private Effect otherwise = Effect.DENY;

        private Builder() {
        }

        /**
         * Allows the items {@code items} covers to the clients {@code who} describes.
         *
         * @throws IllegalArgumentException if {@code items} is not a valid {@link ToolPattern}
         */
        public Builder allow(String items, Who who) {
            rules.add(new Rule(Effect.ALLOW, ToolPattern.parse(items), who));
            return this;
        }

        /**
         * Denies the items {@code items} covers to the clients {@code who} describes, whatever later rules say.
         *
         * @throws IllegalArgumentException if {@code items} is not a valid {@link ToolPattern}
         */
        public Builder deny(String items, Who who) {
            rules.add(new Rule(Effect.DENY, ToolPattern.parse(items), who));
            return this;
        }

        /** What decides an item no rule decides (default {@link Effect#DENY}: what is not granted is not there). */
        public Builder otherwise(Effect effect) {
            this.otherwise = Objects.requireNonNull(effect, "otherwise");
            return this;
        }

        /** The policy. */
        public AccessPolicy build() {
            return new AccessPolicy(rules, otherwise);
        }
    }
}
