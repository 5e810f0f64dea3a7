package dev.mcpgateway.auth;

import java.util.Objects;
import java.util.Set;

/**
 * A bearer token was refused. Carries what an RFC 6750 {@code WWW-Authenticate: Bearer} challenge needs: the
 * {@link #errorCode() error code}, a {@link #description() description} that is safe to send to the client, and for
 * {@link ErrorCode#INSUFFICIENT_SCOPE} the {@link #requiredScopes() scopes} that were required.
 *
 * <p>The description is one of a few fixed texts ("token expired", "wrong audience", "signature invalid"...): it
 * never contains the token or any part of it, and never says which key was tried or why a signature failed, so a
 * caller probing the gateway learns nothing it did not send. The full reason is logged at DEBUG by the validator,
 * without the token. The exception has no cause and no stack trace: it is an answer, not a failure, and may be
 * thrown for every request of a misbehaving client.
 */
public final class InvalidTokenException extends Exception {
    private static final long serialVersionUID = 1L;

    /** The RFC 6750 section 3.1 error codes a resource server answers with. */
    public enum ErrorCode {
        /** The request is malformed: no token, or one too long to be read at all (HTTP 400). */
        INVALID_REQUEST("invalid_request"),
        /** The token is malformed, expired, revoked, not for this gateway, or its signature is invalid (HTTP 401). */
        INVALID_TOKEN("invalid_token"),
        /** The token is valid but lacks scopes the request requires (HTTP 403). */
        INSUFFICIENT_SCOPE("insufficient_scope");

        private final String code;

        ErrorCode(String code) {
            this.code = code;
        }

        /** The code as written in the {@code error} attribute of the challenge, e.g. {@code invalid_token}. */
        public String code() {
            return code;
        }
    }

    private final ErrorCode errorCode;
    // An array: the exception is Serializable, an immutable Set's type is not declared so.
    private final String[] requiredScopes;

    /**
     * @param errorCode      the RFC 6750 error code
     * @param description    what the client may be told; must not contain anything from the token
     * @param requiredScopes the scopes required, for {@link ErrorCode#INSUFFICIENT_SCOPE}; empty otherwise
     */
    public InvalidTokenException(ErrorCode errorCode, String description, Set<String> requiredScopes) {
        super(Objects.requireNonNull(description, "description"), null, false, false);
        this.errorCode = Objects.requireNonNull(errorCode, "errorCode");
        this.requiredScopes = Set.copyOf(Objects.requireNonNull(requiredScopes, "requiredScopes"))
                .toArray(String[]::new);
    }

    /** The RFC 6750 error code. */
    public ErrorCode errorCode() {
        return errorCode;
    }

    /** The description safe to send to the client ({@code error_description}); the same as the message. */
    public String description() {
        return getMessage();
    }

    /** The scopes the request required, for {@link ErrorCode#INSUFFICIENT_SCOPE} (the challenge's {@code scope}). */
    public Set<String> requiredScopes() {
        return Set.of(requiredScopes);
    }
}
