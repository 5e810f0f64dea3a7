package dev.mcpgateway.internal.auth;

import java.time.Instant;

/**
 * An access token a token endpoint issued, with the time the gateway stops using it.
 *
 * @param accessToken the token; never shown by {@link #toString()}
 * @param renewAt     when the cache stops handing it out (its expiry, less any margin)
 */
record IssuedToken(String accessToken, Instant renewAt) {

    /** Whether it may still be handed out at {@code now}. */
    boolean usableAt(Instant now) {
        return now.isBefore(renewAt);
    }

    /** This token handed out until {@code earlier} at the latest. */
    IssuedToken notAfter(Instant earlier) {
        return earlier != null && earlier.isBefore(renewAt) ? new IssuedToken(accessToken, earlier) : this;
    }

    @Override
    public String toString() {
        return "IssuedToken[accessToken=(hidden), renewAt=" + renewAt + "]";
    }
}
