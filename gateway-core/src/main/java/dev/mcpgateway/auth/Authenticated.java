package dev.mcpgateway.auth;

/**
 * Something acting for an authenticated client: the client of a {@link dev.mcpgateway.ToolCall} (see
 * {@code ToolCall.onBehalfOf}) made by a client session whose front door validated its bearer token. Per-tool
 * authorization and auditing read the {@link Principal} here rather than from any token.
 */
public interface Authenticated {

    /** Who the client authenticated as, or null when its front door does not authenticate clients. */
    Principal principal();

    /**
     * The raw bearer token the client's front door last validated for it, or null when there is none. For token
     * exchange only ({@link UpstreamCredentials#tokenExchange}), where it becomes the {@code subject_token}: never
     * logged, never forwarded to a plugin, never part of a {@code toString()}.
     */
    default String bearerToken() {
        return null;
    }

    /**
     * A caller that is not a client session (a management API request, a host acting for a user): a tool call made
     * on its behalf is counted, authorized and exchanged for as that principal's.
     *
     * @param bearerToken the token it presented, or null; never shown by {@code toString()}
     */
    static Authenticated of(Principal principal, String bearerToken) {
        java.util.Objects.requireNonNull(principal, "principal");
        return new Authenticated() {
            @Override
            public Principal principal() {
                return principal;
            }

            @Override
            public String bearerToken() {
                return bearerToken;
            }

            @Override
            public String toString() {
                return "Authenticated[" + principal.subject() + "]";
            }
        };
    }
}
