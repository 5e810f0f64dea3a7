package dev.mcpgateway.examples.runner;

import dev.mcpgateway.auth.AccessPolicy;
import dev.mcpgateway.auth.AccessPolicy.Who;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The runner's {@code access:} section ({@link AccessPolicy}): which tools, prompts and resources each client may see
 * and use, by the scopes and claims of its token. Without the section every client may use everything; with it,
 * the rules are read in order and what none allows is denied unless {@code otherwise: allow}.
 *
 * <pre>{@code
 * access:
 *   rules:
 *     - deny: "github/delete_*"
 *       claim: { groups: contractors }
 *     - allow: "github/*"
 *       scope: github
 *     - allow: "*"
 *       grantedByScopes: "tools:"      # a token's scope tools:files/read_* grants those tools
 * }</pre>
 *
 * @param rules     the rules, in the order they are read
 * @param otherwise what decides an item no rule decides: {@code deny} (the default) or {@code allow}
 */
public record AccessConfig(List<Rule> rules, String otherwise) {
    /** No section: everyone may use everything. */
    public static final AccessConfig NONE = new AccessConfig(null, null);

    public AccessConfig {
        rules = List.copyOf(rules == null ? List.of() : rules);
        otherwise = otherwise == null ? null : otherwise.strip().toLowerCase(Locale.ROOT);
        if (otherwise != null && !otherwise.equals("allow") && !otherwise.equals("deny")) {
            throw new IllegalArgumentException("access.otherwise must be allow or deny, got '" + otherwise + "'");
        }
        policy(rules, otherwise); // the library's checks, reported where the section is
    }

    /** The policy these settings stand for. */
    public AccessPolicy policy() {
        return policy(rules, otherwise);
    }

    private static AccessPolicy policy(List<Rule> rules, String otherwise) {
        if (rules.isEmpty() && otherwise == null) {
            return AccessPolicy.ALLOW_ALL;
        }
        AccessPolicy.Builder builder = AccessPolicy.builder().otherwise("allow".equals(otherwise)
                ? AccessPolicy.Effect.ALLOW : AccessPolicy.Effect.DENY);
        for (Rule rule : rules) {
            if (rule.allow() != null) {
                builder.allow(rule.allow(), rule.who());
            } else {
                builder.deny(rule.deny(), rule.who());
            }
        }
        return builder.build();
    }

    /**
     * One rule: {@code allow} or {@code deny} a pattern of items, for the clients one condition describes.
     *
     * @param allow           the items allowed ({@code github/*}), or null
     * @param deny            the items denied, or null
     * @param scope           clients whose token grants this scope
     * @param claim           clients whose token's claim holds this value: one {@code name: value} entry
     * @param grantedByScopes clients whose token has a scope of this prefix followed by a pattern covering the item
     * @param grantedByClaim  clients whose token's claim (an array) holds a pattern covering the item
     * @param anyone          {@code true}: every client, authenticated or not
     */
    public record Rule(String allow, String deny, String scope, Map<String, String> claim, String grantedByScopes,
                       String grantedByClaim, Boolean anyone) {
        private static final String CONDITIONS = "scope, claim, grantedByScopes, grantedByClaim or anyone: true";

        public Rule {
            if ((allow == null) == (deny == null)) {
                throw new IllegalArgumentException("an access rule has exactly one of allow or deny, with the items it"
                        + " covers, e.g. allow: \"github/*\"");
            }
            List<String> given = new ArrayList<>();
            if (scope != null) {
                given.add("scope");
            }
            if (claim != null) {
                given.add("claim");
                if (claim.size() != 1) {
                    throw new IllegalArgumentException("an access rule's claim is one name and value, e.g. "
                            + "claim: { groups: engineering }");
                }
            }
            if (grantedByScopes != null) {
                given.add("grantedByScopes");
            }
            if (grantedByClaim != null) {
                given.add("grantedByClaim");
            }
            if (anyone != null) {
                given.add("anyone");
                if (!anyone) {
                    throw new IllegalArgumentException("anyone: false describes nobody; leave the rule out instead");
                }
            }
            if (given.size() != 1) {
                throw new IllegalArgumentException("the access rule for '" + (allow != null ? allow : deny)
                        + "' needs exactly one condition of " + CONDITIONS + (given.isEmpty() ? ""
                        : "; it has " + String.join(", ", given)));
            }
        }

        /** Whom the rule applies to. */
        Who who() {
            if (scope != null) {
                return Who.scope(scope);
            }
            if (claim != null) {
                Map.Entry<String, String> entry = claim.entrySet().iterator().next();
                return Who.claim(entry.getKey(), entry.getValue());
            }
            if (grantedByScopes != null) {
                return Who.grantedByScopes(grantedByScopes);
            }
            return grantedByClaim != null ? Who.grantedByClaim(grantedByClaim) : Who.anyone();
        }
    }
}
