package dev.mcpgateway.internal.auth;

import dev.mcpgateway.auth.InvalidTokenException;
import dev.mcpgateway.auth.InvalidTokenException.ErrorCode;
import java.util.Set;

/**
 * Why a token was refused, each with the error code and the one description the client is told. The descriptions
 * are fixed texts on purpose: nothing from the token, the keys or the library that judged it can reach the client.
 * A bad signature and an unknown key read the same, so a prober cannot tell which key ids exist.
 */
enum Rejection {
    MISSING(ErrorCode.INVALID_REQUEST, "no bearer token"),
    TOO_LONG(ErrorCode.INVALID_REQUEST, "token too long"),
    MALFORMED(ErrorCode.INVALID_TOKEN, "malformed token"),
    UNSIGNED(ErrorCode.INVALID_TOKEN, "unsigned tokens are not accepted"),
    ENCRYPTED(ErrorCode.INVALID_TOKEN, "encrypted tokens are not accepted"),
    ALGORITHM(ErrorCode.INVALID_TOKEN, "signature algorithm not accepted"),
    TYPE(ErrorCode.INVALID_TOKEN, "token type not accepted"),
    SIGNATURE(ErrorCode.INVALID_TOKEN, "signature invalid"),
    UNKNOWN_KEY(ErrorCode.INVALID_TOKEN, "signature invalid"),
    EXPIRED(ErrorCode.INVALID_TOKEN, "token expired"),
    NOT_YET_VALID(ErrorCode.INVALID_TOKEN, "token not yet valid"),
    NO_EXPIRY(ErrorCode.INVALID_TOKEN, "token has no expiry"),
    NO_SUBJECT(ErrorCode.INVALID_TOKEN, "token has no subject"),
    ISSUER(ErrorCode.INVALID_TOKEN, "wrong issuer"),
    AUDIENCE(ErrorCode.INVALID_TOKEN, "wrong audience"),
    INACTIVE(ErrorCode.INVALID_TOKEN, "token not active"),
    INSUFFICIENT_SCOPE(ErrorCode.INSUFFICIENT_SCOPE, "insufficient scope");

    private final ErrorCode errorCode;
    private final String description;

    Rejection(ErrorCode errorCode, String description) {
        this.errorCode = errorCode;
        this.description = description;
    }

    InvalidTokenException exception() {
        return exception(Set.of());
    }

    InvalidTokenException exception(Set<String> requiredScopes) {
        return new InvalidTokenException(errorCode, description, requiredScopes);
    }
}
