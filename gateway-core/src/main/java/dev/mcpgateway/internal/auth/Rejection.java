package dev.mcpgateway.internal.auth;

import dev.mcpgateway.auth.InvalidTokenException;
import dev.mcpgateway.auth.InvalidTokenException.ErrorCode;
import dev.mcpgateway.auth.Principal;
import dev.mcpgateway.auth.TokenValidator;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Why a token was refused, each with the error code and the one description the client is told. The descriptions
 * are fixed texts on purpose: nothing from the token, the keys or the library that judged it can reach the client.
 * A bad signature and an unknown key read the same, so a prober cannot tell which key ids exist.
 *
 * <p>Every refusal is logged at DEBUG with its full reason, never the token, on one logger for all validators
 * ({@code dev.mcpgateway.auth.TokenValidator}), so an operator turns on one logger to see why tokens fail.
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
    // Unknown and expired keys read the same: only the holder of a key could tell, and nobody else learns which exist.
    API_KEY(ErrorCode.INVALID_TOKEN, "api key not accepted"),
    INSUFFICIENT_SCOPE(ErrorCode.INSUFFICIENT_SCOPE, "insufficient scope");

    private static final Logger log = LoggerFactory.getLogger(TokenValidator.class);
    private static final int MAX_REASON_CHARS = 300;

    private final ErrorCode errorCode;
    private final String description;

    Rejection(ErrorCode errorCode, String description) {
        this.errorCode = errorCode;
        this.description = description;
    }

    /**
     * Refuses a token that is missing or longer than {@code maxChars}, before anything parses it, as every validator
     * must.
     */
    static void checkPresentAndShort(String bearerToken, int maxChars) throws InvalidTokenException {
        if (bearerToken == null || bearerToken.isBlank()) {
            throw MISSING.refuse("empty");
        }
        if (bearerToken.length() > maxChars) {
            throw TOO_LONG.refuse(bearerToken.length() + " chars, at most " + maxChars);
        }
    }

    /**
     * Logs the refusal and its reason (which must not contain the token), and gives what the client is told. The
     * reason may quote the token's header ({@code kid}, {@code alg}), which anyone can write: control characters are
     * escaped and the length capped, so a token cannot forge or flood log lines.
     */
    InvalidTokenException refuse(String reason) {
        if (log.isDebugEnabled()) {
            log.debug("bearer token refused ({}): {}", this, printable(reason));
        }
        return new InvalidTokenException(errorCode, description, Set.of());
    }

    /** The principal, if it grants every required scope; else refuses it as {@link #INSUFFICIENT_SCOPE}. */
    static Principal requireScopes(Principal principal, Set<String> required) throws InvalidTokenException {
        if (principal.hasAllScopes(required)) {
            return principal;
        }
        log.debug("bearer token refused ({}): scopes {} lack some of {} (sub {})", INSUFFICIENT_SCOPE,
                principal.scopes(), required, principal.subject());
        throw new InvalidTokenException(ErrorCode.INSUFFICIENT_SCOPE, INSUFFICIENT_SCOPE.description, required);
    }

    private static String printable(String text) {
        StringBuilder printable = new StringBuilder(Math.min(text.length(), MAX_REASON_CHARS));
        text.codePoints().limit(MAX_REASON_CHARS).forEach(c -> {
            if (Character.isISOControl(c)) {
                printable.append(String.format("\\u%04x", c));
            } else {
                printable.appendCodePoint(c);
            }
        });
        return text.length() > MAX_REASON_CHARS ? printable + "..." : printable.toString();
    }
}
