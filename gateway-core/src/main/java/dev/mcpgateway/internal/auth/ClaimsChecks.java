package dev.mcpgateway.internal.auth;

import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.ExpiredJWTException;
import com.nimbusds.jwt.proc.JWTClaimsSetVerifier;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * The claim checks of a token whose signature has been verified: lifetime, issuer, audience, subject. Each is one
 * nimbus {@link DefaultJWTClaimsVerifier} configured for that concern alone, run in that order, so that a failure
 * says which concern failed ({@link Rejected#rejection()}) without reading the library's messages. The lifetime is
 * checked first and once; the other verifiers see the claims without {@code exp} and {@code nbf}, so only the
 * lifetime verifier ever judges time.
 *
 * <p>Used as the {@code DefaultJWTProcessor}'s claims verifier, so it only runs once the signature is good: an
 * attacker forging tokens learns "signature invalid", never which claims would have passed. Thread-safe.
 */
final class ClaimsChecks implements JWTClaimsSetVerifier<SecurityContext> {

    /** A claim check failed; says which. Carries no stack trace: it is thrown for every refused token. */
    static final class Rejected extends BadJWTException {
        private static final long serialVersionUID = 1L;
        private final Rejection rejection;

        Rejected(Rejection rejection, BadJWTException cause) {
            super(cause.getMessage());
            this.rejection = rejection;
        }

        Rejection rejection() {
            return rejection;
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }

    private final DefaultJWTClaimsVerifier<SecurityContext> lifetime;
    private final DefaultJWTClaimsVerifier<SecurityContext> issuer;
    private final DefaultJWTClaimsVerifier<SecurityContext> audience;
    private final DefaultJWTClaimsVerifier<SecurityContext> subject;

    /**
     * @param issuer    the {@code iss} required, exactly
     * @param audiences the {@code aud} values of which a token must hold one
     * @param clockSkew the tolerance on {@code exp} and {@code nbf}, whole seconds
     * @param clock     the time tokens are judged at
     * @param expiry    whether {@code exp} is required: always for a JWT, which could otherwise be used forever; an
     *                  introspection answer may leave it out, the endpoint vouching for the token each time it is asked
     */
    ClaimsChecks(String issuer, Set<String> audiences, Duration clockSkew, Clock clock, boolean expiry) {
        Objects.requireNonNull(clock, "clock");
        // DefaultJWTClaimsVerifier reads the time from currentTime(), documented for overriding: the clock is
        // injected here so expiry is testable to the second without sleeping.
        this.lifetime = new DefaultJWTClaimsVerifier<>(null, null, expiry ? nimbusSet("exp") : null, null) {
            @Override
            protected Date currentTime() {
                return Date.from(clock.instant());
            }
        };
        this.lifetime.setMaxClockSkew(Math.toIntExact(clockSkew.toSeconds()));
        this.issuer = new DefaultJWTClaimsVerifier<>(null, new JWTClaimsSet.Builder().issuer(issuer).build(),
                nimbusSet("iss"), null);
        this.audience = new DefaultJWTClaimsVerifier<>(new HashSet<>(audiences), null, null, null);
        this.subject = new DefaultJWTClaimsVerifier<>(null, null, nimbusSet("sub"), null);
    }

    /** Nimbus asks its sets whether they contain null, which the immutable {@code Set.of} answers with an NPE. */
    private static Set<String> nimbusSet(String claim) {
        return new HashSet<>(Set.of(claim));
    }

    @Override
    public void verify(JWTClaimsSet claims, SecurityContext context) throws BadJWTException {
        try {
            lifetime.verify(claims, context);
        } catch (ExpiredJWTException e) {
            throw new Rejected(Rejection.EXPIRED, e);
        } catch (BadJWTException e) {
            // The lifetime verifier fails for three reasons only: exp missing (when required), exp passed
            // (ExpiredJWTException, above), nbf still ahead.
            throw new Rejected(claims.getExpirationTime() == null ? Rejection.NO_EXPIRY : Rejection.NOT_YET_VALID, e);
        }
        JWTClaimsSet timeless = new JWTClaimsSet.Builder(claims).expirationTime(null).notBeforeTime(null).build();
        check(issuer, timeless, Rejection.ISSUER);
        check(audience, timeless, Rejection.AUDIENCE);
        check(subject, timeless, Rejection.NO_SUBJECT);
    }

    private static void check(DefaultJWTClaimsVerifier<SecurityContext> verifier, JWTClaimsSet claims,
                              Rejection rejection) throws Rejected {
        try {
            verifier.verify(claims, null);
        } catch (BadJWTException e) {
            throw new Rejected(rejection, e);
        }
    }
}
