package dev.mcpgateway.auth;

/**
 * Something acting for an authenticated client: the requester of a {@link dev.mcpgateway.ToolCall} made by a client
 * session whose front door validated its bearer token. Per-tool authorization and auditing read the
 * {@link Principal} here rather than from any token.
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
}
