package dev.mcpgateway.internal.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.BadJWSException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.mcpgateway.auth.InvalidTokenException;
import dev.mcpgateway.auth.JwtValidatorOptions;
import dev.mcpgateway.auth.Principal;
import dev.mcpgateway.auth.TokenValidationUnavailableException;
import dev.mcpgateway.auth.TokenValidator;
import dev.mcpgateway.internal.logging.RateLimitedLog;
import java.io.Closeable;
import java.io.IOException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates bearer JWTs with nimbus's {@link DefaultJWTProcessor}: the checks that need no key first (length, form,
 * algorithm, type), then the signature with a key of the {@link KeySources key source}, then the claims
 * ({@link ClaimsChecks}) and the required scopes. Every refusal is logged at DEBUG with its full reason and never the
 * token; the exception thrown carries only a fixed description ({@link Rejection}). A token found valid is
 * remembered ({@link ValidTokenCache}) for {@link #VALID_FOR} at most, never past its {@code exp}, and only while the
 * key source still holds a key for its header (a key rotated out of the JWKS ends it as soon as the JWKS is fetched
 * again, as before): checking an RSA signature costs about 60 µs of CPU, more than the whole rest of a tool call
 * through the front door, and a client sends the same token with each of its requests. Thread-safe: the processor
 * is configured once and only read after.
 */
public final class JwtTokenValidator implements TokenValidator {
    private static final Logger log = LoggerFactory.getLogger(JwtTokenValidator.class);
    /** How long a token found valid is taken without checking its signature and claims again. */
    static final Duration VALID_FOR = Duration.ofSeconds(60);
    /** The most tokens remembered, the least recently used going first (as many as introspection caches). */
    private static final int MAX_REMEMBERED = 10_000;

    private final JwtValidatorOptions options;
    private final Set<JWSAlgorithm> algorithms;
    private final AcceptedTypes types;
    private final JWKSource<SecurityContext> keys;
    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final RateLimitedLog unavailable;
    private final Clock clock;
    private final ValidTokenCache<Verified> valid = new ValidTokenCache<>(MAX_REMEMBERED);

    /** A token found valid: whom it names, and the key that must still be trusted to take it again. */
    private record Verified(Principal principal, JWKSelector key) {
    }

    /**
     * @param options what a token must be
     * @param clock   the time tokens are judged at ({@code exp}, {@code nbf}); the JWKS cache keeps its own time
     */
    public JwtTokenValidator(JwtValidatorOptions options, Clock clock) {
        this.options = options;
        this.algorithms = options.algorithms().stream().map(JWSAlgorithm::parse).collect(Collectors.toUnmodifiableSet());
        this.types = new AcceptedTypes(options.acceptedTypes(), options.typeRequired());
        this.keys = KeySources.of(options);
        this.unavailable = RateLimitedLog.warnings(log, "token validation");
        this.clock = clock;
        processor.setJWSTypeVerifier(types);
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms, keys));
        processor.setJWTClaimsSetVerifier(new ClaimsChecks(options.issuer(), options.audiences(), options.clockSkew(),
                clock, true));
    }

    @Override
    public Principal validate(String bearerToken) throws InvalidTokenException {
        Rejection.checkPresentAndShort(bearerToken, options.maxTokenChars());
        Instant now = clock.instant();
        Verified known = valid.get(bearerToken, now);
        if (known != null) {
            if (stillTrusted(known.key())) {
                return known.principal();
            }
            valid.remove(bearerToken);
        }
        SignedJWT jwt = signed(bearerToken);
        JWSAlgorithm algorithm = jwt.getHeader().getAlgorithm();
        if (!algorithms.contains(algorithm)) {
            throw Rejection.ALGORITHM.refuse(algorithm + ", accepted " + options.algorithms());
        }
        try {
            types.verify(jwt.getHeader().getType(), null);
        } catch (BadJOSEException e) {
            throw Rejection.TYPE.refuse(e.getMessage());
        }
        JWTClaimsSet claims = process(jwt);
        Principal principal = Rejection.requireScopes(ClaimsPrincipals.of(claims.toJSONObject()),
                options.requiredScopes());
        Instant until = now.plus(VALID_FOR);
        Date expires = claims.getExpirationTime(); // ClaimsChecks requires one
        if (expires != null && expires.toInstant().isBefore(until)) {
            until = expires.toInstant();
        }
        valid.put(bearerToken, new Verified(principal, new JWKSelector(JWKMatcher.forJWSHeader(jwt.getHeader()))),
                now, until);
        return principal;
    }

    /** Whether the key source (the cached JWKS, or the configured keys) still has a key {@code key} selects. */
    private boolean stillTrusted(JWKSelector key) {
        try {
            return !keys.get(key, null).isEmpty();
        } catch (KeySourceException e) {
            return false; // judged afresh, which says why
        }
    }

    /** The token parsed as a JWS; unsigned and encrypted tokens are refused, whatever their header claims. */
    private SignedJWT signed(String token) throws InvalidTokenException {
        JWT parsed;
        try {
            parsed = JWTParser.parse(token);
        } catch (ParseException e) {
            // The message may quote the decoded header or payload: only its kind is logged.
            throw Rejection.MALFORMED.refuse("not a JWT (" + e.getClass().getSimpleName() + " at offset "
                    + e.getErrorOffset() + ")");
        }
        return switch (parsed) {
            case SignedJWT signed -> signed;
            case PlainJWT plain -> throw Rejection.UNSIGNED.refuse("alg none");
            case EncryptedJWT encrypted -> throw Rejection.ENCRYPTED.refuse("a JWE");
            default -> throw Rejection.MALFORMED.refuse(parsed.getClass().getSimpleName());
        };
    }

    /** Signature and claims, by nimbus; its exceptions mapped to what the client may be told. */
    private JWTClaimsSet process(SignedJWT jwt) throws InvalidTokenException {
        String kid = jwt.getHeader().getKeyID();
        try {
            return processor.process(jwt, null);
        } catch (ClaimsChecks.Rejected e) {
            throw e.rejection().refuse(e.getMessage());
        } catch (BadJWSException e) {
            throw Rejection.SIGNATURE.refuse("kid " + kid + ": " + e.getMessage());
        } catch (BadJWTException e) {
            // Before the signature, nimbus only parses the payload: a BadJWTException here means it is not a claims
            // set (the message may quote it, so it is not logged).
            throw Rejection.MALFORMED.refuse("payload is not a JWT claims set");
        } catch (BadJOSEException e) {
            // The type and the algorithm were checked above: no key of the source matches the token's kid and alg.
            throw Rejection.UNKNOWN_KEY.refuse("kid " + kid + ": no matching key (" + e.getMessage() + ")");
        } catch (RateLimitReachedException e) {
            throw Rejection.UNKNOWN_KEY.refuse("kid " + kid + ": not in the cached JWKS, and the JWKS was refreshed"
                    + " less than " + options.jwksRefreshMinInterval().toSeconds() + " s ago");
        } catch (KeySourceException e) {
            unavailable.log("bearer token not judged: no keys from JWKS {} ({})", options.jwksUri(),
                    Failures.describe(e));
            throw new TokenValidationUnavailableException("the signing keys of " + options.issuer()
                    + " are unavailable");
        } catch (JOSEException e) {
            throw Rejection.SIGNATURE.refuse("kid " + kid + ": " + Failures.describe(e));
        }
    }

    @Override
    public void close() {
        if (keys instanceof Closeable closeable) {
            try {
                closeable.close();
            } catch (IOException e) {
                log.debug("closing the JWKS source: {}", Failures.describe(e));
            }
        }
    }
}
