package dev.mcpgateway.internal.auth;

/**
 * The gateway could not get the token a plugin request must carry: the token endpoint refused or failed, or a token
 * exchange has no client token to exchange. The request was not sent. The message names the plugin and, when the
 * endpoint gave them, its {@code error} and {@code error_description}; it never holds a secret or a token.
 */
public final class UpstreamTokenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UpstreamTokenException(String message) {
        super(message);
    }
}
