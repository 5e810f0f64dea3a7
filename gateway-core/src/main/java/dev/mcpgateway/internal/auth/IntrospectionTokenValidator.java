package dev.mcpgateway.internal.auth;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import dev.mcpgateway.auth.IntrospectionOptions;
import dev.mcpgateway.auth.InvalidTokenException;
import dev.mcpgateway.auth.Principal;
import dev.mcpgateway.auth.TokenValidationUnavailableException;
import dev.mcpgateway.auth.TokenValidator;
import dev.mcpgateway.internal.logging.RateLimitedLog;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates opaque bearer tokens by RFC 7662 introspection with the JDK's {@link HttpClient}: the token is POSTed to
 * the authorization server, whose answer must say it is active and then passes the same claim checks as a JWT
 * ({@link ClaimsChecks}) and the required scopes. Positive answers are cached ({@link ValidTokenCache}). An
 * endpoint that does not answer, or answers with anything but a JSON object with HTTP 200, makes the token
 * unjudgeable ({@link TokenValidationUnavailableException}), never valid. Thread-safe.
 */
public final class IntrospectionTokenValidator implements TokenValidator {
    private static final Logger log = LoggerFactory.getLogger(IntrospectionTokenValidator.class);
    /** The largest answer read: an introspection answer is a few hundred bytes. */
    static final int MAX_ANSWER_BYTES = 64 * 1024;

    private final IntrospectionOptions options;
    private final Clock clock;
    private final HttpClient http;
    private final String authorization;
    private final ClaimsChecks checks;
    private final ValidTokenCache<Principal> cache;
    private final RateLimitedLog unavailable;

    /**
     * @param options what the answer must say, and where to ask
     * @param clock   the time answers are judged and cached by
     */
    public IntrospectionTokenValidator(IntrospectionOptions options, Clock clock) {
        this.options = options;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(options.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        // RFC 6749 2.3.1: the id and secret are form-encoded before they are joined and Base64-encoded.
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((form(options.clientId()) + ":"
                + form(options.clientSecret())).getBytes(StandardCharsets.UTF_8));
        this.checks = new ClaimsChecks(options.issuer(), options.audiences(), options.clockSkew(), clock, false);
        this.cache = new ValidTokenCache<>(options.cacheMaxEntries());
        this.unavailable = RateLimitedLog.warnings(log, "introspection at " + options.endpoint());
    }

    @Override
    public Principal validate(String bearerToken) throws InvalidTokenException {
        Rejection.checkPresentAndShort(bearerToken, options.maxTokenChars());
        Instant now = clock.instant();
        Principal cached = cache.get(bearerToken, now);
        if (cached != null) {
            return cached;
        }
        Map<String, Object> answer = introspect(bearerToken);
        if (!Boolean.TRUE.equals(answer.get("active"))) {
            throw Rejection.INACTIVE.refuse("the endpoint says active: " + answer.get("active"));
        }
        JWTClaimsSet claims = claims(answer);
        try {
            checks.verify(claims, null);
        } catch (ClaimsChecks.Rejected e) {
            throw e.rejection().refuse(e.getMessage());
        } catch (BadJWTException e) {
            throw new IllegalStateException("ClaimsChecks throws only Rejected", e);
        }
        Principal principal = Rejection.requireScopes(ClaimsPrincipals.of(claims.toJSONObject()),
                options.requiredScopes());
        Instant until = now.plus(options.cacheTtl());
        if (principal.expiresAt() != null && principal.expiresAt().isBefore(until)) {
            until = principal.expiresAt();
        }
        cache.put(bearerToken, principal, now, until);
        return principal;
    }

    /** The answer's members as claims; without {@code iss} the configured issuer, without {@code sub} the client. */
    private JWTClaimsSet claims(Map<String, Object> answer) {
        JWTClaimsSet claims;
        try {
            claims = JWTClaimsSet.parse(answer);
        } catch (ParseException e) {
            throw unavailable("an answer whose claims are malformed (" + e.getMessage() + ")");
        }
        JWTClaimsSet.Builder completed = new JWTClaimsSet.Builder(claims);
        if (claims.getIssuer() == null) {
            completed.issuer(options.issuer());
        }
        if (claims.getSubject() == null && answer.get("client_id") instanceof String client && !client.isBlank()) {
            completed.subject(client);
        }
        return completed.build();
    }

    /** The endpoint's answer for the token, a JSON object; fails as unavailable for anything else. */
    private Map<String, Object> introspect(String token) {
        HttpRequest request = HttpRequest.newBuilder(options.endpoint()).timeout(options.requestTimeout())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.ofString("token=" + form(token) + "&token_type_hint=access_token"))
                .build();
        CompletableFuture<HttpResponse<byte[]>> call = http.sendAsync(request,
                info -> new BoundedBody(MAX_ANSWER_BYTES));
        HttpResponse<byte[]> response;
        try {
            // The request timeout does not cover the body: this bounds the whole exchange.
            response = call.get(options.connectTimeout().plus(options.requestTimeout()).toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            throw unavailable("no answer within " + options.connectTimeout().plus(options.requestTimeout()).toMillis()
                    + " ms");
        } catch (ExecutionException e) {
            throw unavailable(Failures.describe(e.getCause()));
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            throw unavailable("interrupted while waiting for the answer");
        }
        if (response.statusCode() != 200) {
            throw unavailable("HTTP " + response.statusCode() + (response.statusCode() == 401
                    ? " (are the client credentials right?)" : ""));
        }
        try {
            return JSONObjectUtils.parse(new String(response.body(), StandardCharsets.UTF_8));
        } catch (ParseException e) {
            throw unavailable("an answer that is not a JSON object");
        }
    }

    private TokenValidationUnavailableException unavailable(String why) {
        unavailable.log("bearer token not judged: introspection at {} failed: {}", options.endpoint(), why);
        return new TokenValidationUnavailableException("the introspection endpoint of " + options.issuer()
                + " is unavailable");
    }

    private static String form(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        http.close();
    }
}
