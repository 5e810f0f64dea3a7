package dev.mcpgateway.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mcpgateway.jsonrpc.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny OAuth 2.0 authorization server on 127.0.0.1 for tests: metadata at
 * {@code /.well-known/oauth-authorization-server} (RFC 8414), its keys at {@code /jwks.json}, and a token endpoint
 * granting {@code client_credentials} and RFC 8693 token exchange to registered clients (HTTP Basic or form
 * credentials). Issued tokens are RS256 JWTs ({@code typ at+jwt}) whose issuer is {@link #issuer()}: {@code sub} the
 * client (client credentials) or the subject token's subject (exchange, with {@code act} naming the client),
 * {@code aud} the {@code audience} and {@code resource} asked for, {@code scope} as asked, lifetime as set. It counts
 * token requests, remembers the last one's form, can fail on demand or hold answers back, and mints client tokens
 * with {@link #issue} for the front door to accept.
 */
public final class OAuthServer implements AutoCloseable {
    public static final String TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
    public static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";

    private final HttpServer server;
    private final RSAKey key;
    private final Clock clock;
    private final Map<String, String> clients = new ConcurrentHashMap<>();
    private final AtomicInteger tokenRequests = new AtomicInteger();
    private volatile Map<String, String> lastRequest = Map.of();
    private volatile Duration lifetime = Duration.ofMinutes(10);
    private volatile Failure failure;
    private volatile CountDownLatch answerGate = new CountDownLatch(0);

    /** What the token endpoint answers instead of a token while set. */
    private record Failure(int status, String error, String description) {
    }

    private OAuthServer(RSAKey key, Clock clock) throws IOException {
        this.key = key;
        this.clock = clock;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/.well-known/oauth-authorization-server", exchange -> json(exchange, 200, metadata()));
        server.createContext("/jwks.json", exchange -> send(exchange, 200,
                new JWKSet(key).toString(true).getBytes(StandardCharsets.UTF_8)));
        server.createContext("/token", this::token);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor()); // concurrent requests meet a hang() together
        server.start();
    }

    /** A server signing with a new RSA key, telling time by the system clock. */
    public static OAuthServer start() throws IOException {
        return start(Tokens.rsaKey("oauth-test"), Clock.systemUTC());
    }

    /** A server signing with {@code key}, telling time (issue, expiry, subject-token checks) by {@code clock}. */
    public static OAuthServer start(RSAKey key, Clock clock) throws IOException {
        return new OAuthServer(key, clock);
    }

    /** Registers a client that may ask for tokens. */
    public OAuthServer register(String clientId, String secret) {
        clients.put(clientId, secret);
        return this;
    }

    /** How long tokens issued from now on live ({@code expires_in}); 10 min by default. */
    public OAuthServer tokenLifetime(Duration newLifetime) {
        this.lifetime = newLifetime;
        return this;
    }

    /** From now on the token endpoint answers {@code status} with this error until {@link #recover()}. */
    public void failWith(int status, String error, String description) {
        failure = new Failure(status, error, description);
    }

    /** Ends {@link #failWith}. */
    public void recover() {
        failure = null;
    }

    /** Holds every token answer back until the returned latch is counted down (a slow server). */
    public CountDownLatch hang() {
        CountDownLatch gate = new CountDownLatch(1);
        answerGate = gate;
        return gate;
    }

    /** The issuer, {@code http://127.0.0.1:<port>}. */
    public URI issuer() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public URI tokenEndpoint() {
        return issuer().resolve("/token");
    }

    public URI jwksUri() {
        return issuer().resolve("/jwks.json");
    }

    /** The signing key (public and private). */
    public RSAKey key() {
        return key;
    }

    /** How many requests reached the token endpoint, failed ones included. */
    public int tokenRequests() {
        return tokenRequests.get();
    }

    /** The form parameters of the last token request (with {@code client_id} of a Basic-authenticated client). */
    public Map<String, String> lastRequest() {
        return lastRequest;
    }

    /** A token this server issued to {@code clientId} for {@code subject}, valid for {@code audience}. */
    public String issue(String subject, String audience, String clientId, Duration validFor) {
        return issue(subject, audience, clientId, validFor, null);
    }

    /** As {@link #issue(String, String, String, Duration)}, granting {@code scope} (space-separated, or null). */
    public String issue(String subject, String audience, String clientId, Duration validFor, String scope) {
        return sign(subject, List.of(audience), clientId, scope, validFor, null);
    }

    /** Takes the server down: connections are refused from now on. */
    @Override
    public void close() {
        server.stop(0);
    }

    private ObjectNode metadata() {
        ObjectNode document = Json.object();
        document.put("issuer", issuer().toString());
        // RFC 8414 requires these two even of a server that grants no authorization codes, and SDK clients check.
        document.put("authorization_endpoint", issuer() + "/authorize");
        document.putArray("response_types_supported").add("code");
        document.put("token_endpoint", tokenEndpoint().toString());
        document.put("jwks_uri", jwksUri().toString());
        document.putArray("grant_types_supported").add("client_credentials").add(TOKEN_EXCHANGE);
        document.putArray("token_endpoint_auth_methods_supported").add("client_secret_basic").add("client_secret_post");
        return document;
    }

    private void token(HttpExchange exchange) throws IOException {
        tokenRequests.incrementAndGet();
        Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        String client = authenticate(exchange, form);
        lastRequest = Map.copyOf(form);
        try {
            answerGate.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Failure failing = failure;
        if (failing != null) {
            error(exchange, failing.status(), failing.error(), failing.description());
        } else if (!"POST".equals(exchange.getRequestMethod())) {
            error(exchange, 405, "invalid_request", "POST only");
        } else if (client == null) {
            error(exchange, 401, "invalid_client", "client authentication failed");
        } else if ("client_credentials".equals(form.get("grant_type"))) {
            issued(exchange, sign(client, audiences(form), client, form.get("scope"), lifetime, null), false);
        } else if (TOKEN_EXCHANGE.equals(form.get("grant_type"))) {
            exchange(exchange, form, client);
        } else {
            error(exchange, 400, "unsupported_grant_type", "grant_type " + form.get("grant_type"));
        }
    }

    private void exchange(HttpExchange exchange, Map<String, String> form, String client) throws IOException {
        if (!ACCESS_TOKEN_TYPE.equals(form.get("subject_token_type"))) {
            error(exchange, 400, "invalid_request", "subject_token_type must be " + ACCESS_TOKEN_TYPE);
            return;
        }
        JWTClaimsSet subject = verified(form.get("subject_token"));
        if (subject == null) {
            error(exchange, 400, "invalid_grant", "the subject token is invalid or expired");
            return;
        }
        List<String> audiences = audiences(form);
        if (audiences.isEmpty()) {
            error(exchange, 400, "invalid_target", "audience or resource is required");
            return;
        }
        issued(exchange, sign(subject.getSubject(), audiences, client, form.get("scope"), lifetime, client), true);
    }

    private JWTClaimsSet verified(String token) {
        try {
            SignedJWT jwt = SignedJWT.parse(Objects.requireNonNullElse(token, ""));
            if (!jwt.verify(new RSASSAVerifier(key.toRSAPublicKey()))) {
                return null;
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            return claims.getExpirationTime() != null && claims.getExpirationTime().toInstant().isAfter(clock.instant())
                    && issuer().toString().equals(claims.getIssuer()) ? claims : null;
        } catch (ParseException | JOSEException e) {
            return null;
        }
    }

    private String sign(String subject, List<String> audiences, String clientId, String scope, Duration validFor,
                        String actor) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(issuer().toString()).subject(subject)
                .audience(audiences).issueTime(Date.from(clock.instant()))
                .expirationTime(Date.from(clock.instant().plus(validFor))).jwtID(UUID.randomUUID().toString())
                .claim("client_id", clientId);
        if (scope != null) {
            claims.claim("scope", scope);
        }
        if (actor != null) {
            claims.claim("act", Map.of("sub", actor)); // RFC 8693 4.1: who acts for the subject
        }
        return Tokens.sign(key, claims.build());
    }

    private void issued(HttpExchange exchange, String token, boolean exchanged) throws IOException {
        ObjectNode answer = Json.object();
        answer.put("access_token", token);
        answer.put("token_type", "Bearer");
        answer.put("expires_in", lifetime.toSeconds());
        if (exchanged) {
            answer.put("issued_token_type", ACCESS_TOKEN_TYPE);
        }
        json(exchange, 200, answer);
    }

    private static List<String> audiences(Map<String, String> form) {
        List<String> audiences = new ArrayList<>();
        if (form.get("audience") != null) {
            audiences.add(form.get("audience"));
        }
        if (form.get("resource") != null) {
            audiences.add(form.get("resource"));
        }
        return audiences;
    }

    /** The client the request authenticates as (Basic or form credentials), or null; adds client_id to the form. */
    private String authenticate(HttpExchange exchange, Map<String, String> form) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        String id = form.get("client_id");
        String secret = form.remove("client_secret");
        if (header != null && header.regionMatches(true, 0, "Basic ", 0, 6)) {
            String pair = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
            int colon = pair.indexOf(':');
            id = URLDecoder.decode(pair.substring(0, Math.max(colon, 0)), StandardCharsets.UTF_8);
            secret = URLDecoder.decode(pair.substring(colon + 1), StandardCharsets.UTF_8);
            form.put("client_id", id);
        }
        return id != null && secret != null && secret.equals(clients.get(id)) ? id : null;
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            form.put(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return form;
    }

    private static void error(HttpExchange exchange, int status, String error, String description) throws IOException {
        ObjectNode answer = Json.object();
        answer.put("error", error);
        if (description != null) {
            answer.put("error_description", description);
        }
        json(exchange, status, answer);
    }

    private static void json(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        send(exchange, status, body.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
