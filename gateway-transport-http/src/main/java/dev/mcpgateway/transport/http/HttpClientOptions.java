package dev.mcpgateway.transport.http;

import dev.mcpgateway.internal.transport.http.HeaderFields;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * How a {@link StreamableHttpChannel} talks HTTP: timeouts, the credentials and other static headers it sends
 * with every request, reconnection delays for event streams, and optionally a shared {@link HttpClient}.
 *
 * @param connectTimeout    how long opening a TCP/TLS connection may take
 * @param requestTimeout    how long a request may wait for the response headers (for a JSON answer that is the
 *                          whole call; an event stream, once its headers arrived, may run as long as it likes)
 * @param headers           static headers sent with every request, e.g. {@code Authorization} or an API key;
 *                          their values are never logged
 * @param bearerToken       supplies a token for {@code Authorization: Bearer ...}, asked before every request (so
 *                          it may refresh); null for none; a null or blank token sends no header. It wins over a
 *                          static {@code Authorization} header
 * @param httpClient        a client to share between channels, or null for one per channel. The channel never
 *                          closes a shared client
 * @param reconnectDelay    the first delay before reopening a broken event stream (a server's {@code retry:}
 *                          field overrides it)
 * @param maxReconnectDelay the longest delay between reconnections of the server-message stream (doubling)
 * @param maxResumeAttempts how many failed attempts in a row to resume a broken response stream
 *                          ({@code Last-Event-ID}) are made before the request is given up
 * @param closeTimeout      how long {@code close()} waits for the server to acknowledge the session's end
 */
public record HttpClientOptions(Duration connectTimeout, Duration requestTimeout, Map<String, String> headers,
                                Supplier<String> bearerToken, HttpClient httpClient, Duration reconnectDelay,
                                Duration maxReconnectDelay, int maxResumeAttempts, Duration closeTimeout) {

    // The channel sets these itself; a static value would contradict the protocol.
    private static final Set<String> MANAGED_HEADERS = Set.of("accept", "content-type", "mcp-session-id",
            "mcp-protocol-version", "last-event-id", "mcp-method", "mcp-name");

    /** Validates the options and copies the headers. */
    public HttpClientOptions {
        requirePositive("connectTimeout", connectTimeout);
        requirePositive("requestTimeout", requestTimeout);
        requirePositive("reconnectDelay", reconnectDelay);
        requirePositive("maxReconnectDelay", maxReconnectDelay);
        requirePositive("closeTimeout", closeTimeout);
        if (maxReconnectDelay.compareTo(reconnectDelay) < 0) {
            throw new IllegalArgumentException("maxReconnectDelay (" + maxReconnectDelay
                    + ") must not be shorter than reconnectDelay (" + reconnectDelay + ")");
        }
        if (maxResumeAttempts < 0) {
            throw new IllegalArgumentException("maxResumeAttempts must be 0 (never resume) or more, got "
                    + maxResumeAttempts);
        }
        headers = Map.copyOf(headers == null ? Map.of() : headers);
        headers.forEach(HttpClientOptions::checkHeader);
    }

    /** The defaults: 5 s to connect, 60 s for a response, no headers, own client, reconnect after 1 s up to 30 s. */
    public static HttpClientOptions defaults() {
        return builder().build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** These options with more static headers; a header given here replaces one of the same name. */
    public HttpClientOptions withHeaders(Map<String, String> more) {
        return toBuilder().headers(more).build();
    }

    @Override
    public String toString() {
        // Header values and tokens are credentials more often than not: never print them.
        return "HttpClientOptions[connectTimeout=" + connectTimeout + ", requestTimeout=" + requestTimeout
                + ", headers=" + headers.keySet() + ", bearerToken=" + (bearerToken == null ? "none" : "set")
                + ", httpClient=" + (httpClient == null ? "own" : "shared") + ", reconnectDelay=" + reconnectDelay
                + ", maxReconnectDelay=" + maxReconnectDelay + ", maxResumeAttempts=" + maxResumeAttempts
                + ", closeTimeout=" + closeTimeout + "]";
    }

    private static void checkHeader(String name, String value) {
        if (MANAGED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("header '" + name + "' is set by the HTTP transport itself; "
                    + "remove it from the plugin's static headers");
        }
        try {
            new HeaderFields().add(name, value); // checked as every request checks it
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + "; remove or fix it in the plugin's static headers");
        }
    }

    private static void requirePositive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }

    /** Builds {@link HttpClientOptions}; starts from the defaults. */
    public static final class Builder {
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration requestTimeout = Duration.ofSeconds(60);
        private final Map<String, String> headers = new LinkedHashMap<>();
        private Supplier<String> bearerToken;
        private HttpClient httpClient;
        private Duration reconnectDelay = Duration.ofSeconds(1);
        private Duration maxReconnectDelay = Duration.ofSeconds(30);
        private int maxResumeAttempts = 3;
        private Duration closeTimeout = Duration.ofSeconds(2);

        private Builder() {
        }

        private Builder(HttpClientOptions from) {
            connectTimeout = from.connectTimeout;
            requestTimeout = from.requestTimeout;
            headers.putAll(from.headers);
            bearerToken = from.bearerToken;
            httpClient = from.httpClient;
            reconnectDelay = from.reconnectDelay;
            maxReconnectDelay = from.maxReconnectDelay;
            maxResumeAttempts = from.maxResumeAttempts;
            closeTimeout = from.closeTimeout;
        }

        /** How long opening a connection may take. */
        public Builder connectTimeout(Duration timeout) {
            connectTimeout = timeout;
            return this;
        }

        /** How long a request may wait for the response headers. */
        public Builder requestTimeout(Duration timeout) {
            requestTimeout = timeout;
            return this;
        }

        /** Adds one static header, replacing one of the same name. */
        public Builder header(String name, String value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            headers.keySet().removeIf(existing -> existing.equalsIgnoreCase(name));
            headers.put(name, value);
            return this;
        }

        /** Adds static headers (e.g. a plugin's {@code TransportSpec.Http.headers()}), replacing same-named ones. */
        public Builder headers(Map<String, String> more) {
            more.forEach(this::header);
            return this;
        }

        /** Supplies a bearer token before every request; null for none. */
        public Builder bearerToken(Supplier<String> supplier) {
            bearerToken = supplier;
            return this;
        }

        /** A client to share between channels (never closed by them); null for one per channel. */
        public Builder httpClient(HttpClient client) {
            httpClient = client;
            return this;
        }

        /** The first and the longest delay before reopening a broken event stream. */
        public Builder reconnectDelay(Duration first, Duration max) {
            reconnectDelay = first;
            maxReconnectDelay = max;
            return this;
        }

        /** How many failed attempts in a row to resume a broken response stream are made. */
        public Builder maxResumeAttempts(int attempts) {
            maxResumeAttempts = attempts;
            return this;
        }

        /** How long {@code close()} waits for the server to acknowledge the end of the session. */
        public Builder closeTimeout(Duration timeout) {
            closeTimeout = timeout;
            return this;
        }

        /** The options; validated. */
        public HttpClientOptions build() {
            return new HttpClientOptions(connectTimeout, requestTimeout, headers, bearerToken, httpClient,
                    reconnectDelay, maxReconnectDelay, maxResumeAttempts, closeTimeout);
        }
    }
}
