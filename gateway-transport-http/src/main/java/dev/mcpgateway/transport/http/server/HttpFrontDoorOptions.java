package dev.mcpgateway.transport.http.server;

import dev.mcpgateway.internal.transport.http.server.HostPolicy;
import dev.mcpgateway.internal.transport.http.server.OriginPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.Objects;

/**
 * How the gateway's Streamable HTTP endpoint (its front door for MCP clients) listens and what it accepts.
 *
 * @param host            the address {@link McpHttpServer} binds to; 127.0.0.1 by default, so only local clients
 *                        reach it. Ignored by {@link McpServlet}, whose container decides
 * @param port            the TCP port {@link McpHttpServer} binds to, 0 for any free one. Ignored by {@link McpServlet}
 * @param path            the endpoint path {@link McpHttpServer} serves, e.g. {@code /mcp}; {@link McpServlet} too
 *                        when mapped to a prefix (mapped to one exact path, it serves the endpoint there)
 * @param allowedOrigins  the browser origins allowed to call the endpoint (requests without {@code Origin} always
 *                        pass): {@code scheme://host}, {@code scheme://host:port}, {@code scheme://host:*} (any
 *                        port) or {@code *} (any origin, which opens the endpoint to every web page)
 * @param maxRequestBytes the largest POST body accepted; larger ones are refused with 413
 * @param sseKeepAlive    how long an event stream may stay silent before a comment line keeps it alive (and
 *                        shows whether the client is still there); one sweep every quarter of it finds the silent
 *                        streams, so the comment comes within 1.25 times this
 * @param maxConnections  how many connections {@link McpHttpServer} holds open at once (idle keep-alive ones and
 *                        open event streams included); a connection beyond it is answered {@code 503} with
 *                        {@code Retry-After} and closed, so the gateway never runs out of file descriptors nor
 *                        queues clients without telling them. Ignored by {@link McpServlet}, whose container
 *                        decides (Tomcat's {@code maxConnections}, for one)
 * @param maxStreamsPerSession how many event streams one MCP session may hold open at once: its GET stream and the
 *                        answers to its requests that became event streams. Beyond it a GET is answered {@code 429}
 *                        and a request whose answer would become a stream gets a JSON-RPC error
 *                        ({@code -32006}, overloaded) instead, so one client cannot take every connection
 * @param allowedHosts    the names a request's {@code Host} may carry, against DNS rebinding (a page whose name was
 *                        re-pointed at this machine reaches the endpoint with its own name in {@code Host}):
 *                        {@code name}, {@code name:port}, {@code [ipv6]}, {@code [ipv6]:port} (no port: any port)
 *                        or {@code *} (any host). The {@link #host()} itself is always allowed unless it is a
 *                        wildcard such as 0.0.0.0. Defaults to {@link #LOCAL_HOSTS}: a gateway bound to every
 *                        interface, or served by a container under other names, must list the names its clients
 *                        use. Any other {@code Host} is answered {@code 421 Misdirected Request}
 * @param cors            whether browser pages of the {@link #allowedOrigins()} may read the answers: preflight
 *                        {@code OPTIONS} requests are answered and responses carry {@code Access-Control-Allow-Origin}.
 *                        Off by default: only pages that need to call the gateway from another origin need it
 * @param maxBodyBytesInFlight how many bytes of request bodies the endpoint holds at once, every request together,
 *                        from admitting a body until its request is answered; a POST whose declared
 *                        {@code Content-Length} does not fit is answered {@code 503} with {@code Retry-After} before
 *                        its body is read, a chunked body is counted as it arrives. At least {@code maxRequestBytes};
 *                        by default {@linkplain #defaultMaxBodyBytesInFlight a sixteenth of the heap}
 * @param tls             the certificate {@link McpHttpServer} serves HTTPS (and HTTP/2 through ALPN) with, or null
 *                        to serve plain HTTP (and cleartext HTTP/2, h2c). Ignored by {@link McpServlet}
 * @param idleTimeout     how long {@link McpHttpServer} keeps a connection on which nothing moves, between requests
 *                        or inside one. Ignored by {@link McpServlet}
 * @param requestHeaderTimeout how long {@link McpHttpServer} waits for a request's line and headers once their first
 *                        byte arrived; a slower client (slowloris) is disconnected. Ignored by {@link McpServlet}
 * @param requestBodyTimeout how long {@link McpHttpServer} waits for a whole request body once reading it began; a
 *                        slower client gets {@code 408} and is disconnected. Ignored by {@link McpServlet}
 * @param maxRequestHeaderBytes the largest request line plus headers {@link McpHttpServer} accepts; larger ones get
 *                        {@code 431}. Ignored by {@link McpServlet}
 * @param managementApi   what the management REST API under {@code /api/v1} allows (served by default; see
 *                        {@link ManagementApiOptions}). Its bodies count in {@code maxBodyBytesInFlight} too, which
 *                        therefore also caps their size
 * @param auth            how clients authenticate ({@link FrontDoorAuth}): with it, the MCP endpoint and the management
 *                        API need bearer tokens and {@code /.well-known/oauth-protected-resource} is served; null (the
 *                        default) authenticates nobody, as a gateway for local clients only may
 * @param metrics         the host's metrics in Prometheus's text format, served at {@code GET /metrics} (e.g.
 *                        {@code prometheusRegistry::scrape}); null (the default) serves none there. The JSON summary
 *                        at {@code /api/v1/metrics} reads the gateway's own {@code McpGateway.metrics()}
 */
public record HttpFrontDoorOptions(String host, int port, String path, List<String> allowedOrigins,
                                   int maxRequestBytes, Duration sseKeepAlive, int maxConnections,
                                   int maxStreamsPerSession, List<String> allowedHosts, boolean cors,
                                   long maxBodyBytesInFlight, ServerTls tls, Duration idleTimeout,
                                   Duration requestHeaderTimeout, Duration requestBodyTimeout,
                                   int maxRequestHeaderBytes, ManagementApiOptions managementApi,
                                   FrontDoorAuth auth, Supplier<String> metrics) {
    /** The default port. */
    public static final int DEFAULT_PORT = 9105;
    /** The default request size limit: 4 MiB. */
    public static final int DEFAULT_MAX_REQUEST_BYTES = 4 * 1024 * 1024;
    /** The largest request size limit that may be configured: 1 GiB (requests are held in memory). */
    public static final int MAX_REQUEST_BYTES_LIMIT = 1 << 30;
    /**
     * The default connection limit: 8192, as Tomcat's. On Linux the JVM raises its file-descriptor limit to the
     * hard limit at start (typically 524288 under systemd, 1048576 in containers), on macOS to 10240: this many
     * connections leave at least 2048 descriptors for plugin connections, pipes and files everywhere. Memory stays
     * modest too: a connection costs about 16 KiB of buffers and a virtual thread.
     */
    public static final int DEFAULT_MAX_CONNECTIONS = 8192;
    /**
     * The default limit of open event streams per session: 32. A session streams its GET stream plus each call
     * that reports progress or outlasts the keep-alive interval; agents run a handful of calls at once (browsers
     * hold at most 6 connections per host), so 32 leaves room for wide fan-out while one runaway session holds at
     * most 32 of the {@link #DEFAULT_MAX_CONNECTIONS} connections.
     */
    public static final int DEFAULT_MAX_STREAMS_PER_SESSION = 32;
    /**
     * The default budget of request bodies in flight: a sixteenth of the maximum heap, but at least
     * {@code maxRequestBytes} so the largest body accepted can be admitted. A body parsed into JSON-RPC messages
     * takes several times its bytes (a batch of small requests ten times), so a sixteenth leaves the rest of the heap
     * for those trees, the answers and the gateway itself; 16 MiB of a 256 MiB heap still admits four 4 MiB bodies
     * at once, and a request of ordinary size (a few KiB) almost never waits.
     */
    public static long defaultMaxBodyBytesInFlight(int maxRequestBytes) {
        return Math.max(maxRequestBytes, Runtime.getRuntime().maxMemory() / 16);
    }

    /** The default idle timeout: 5 minutes, longer than common clients keep their pooled connections unused. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(5);
    /** The default request-head deadline: 10 s, ample for any client that is not trickling on purpose. */
    public static final Duration DEFAULT_REQUEST_HEADER_TIMEOUT = Duration.ofSeconds(10);
    /** The default request-body deadline: 60 s, enough for the default 4 MiB limit at about 0.5 Mbit/s. */
    public static final Duration DEFAULT_REQUEST_BODY_TIMEOUT = Duration.ofSeconds(60);
    /**
     * The default request-head limit: 16 KiB, twice the usual 8 KiB of servers and proxies, so long bearer tokens
     * fit.
     */
    public static final int DEFAULT_MAX_REQUEST_HEADER_BYTES = 16 * 1024;
    /** The default allow-list: pages served from this machine, over http or https, on any port. */
    public static final List<String> LOCAL_ORIGINS = List.of("http://localhost:*", "https://localhost:*",
            "http://127.0.0.1:*", "https://127.0.0.1:*", "http://[::1]:*", "https://[::1]:*");
    /** The default {@code Host} allow-list: this machine's loopback names, on any port. */
    public static final List<String> LOCAL_HOSTS = List.of("localhost", "127.0.0.1", "[::1]");

    /** Validates the options and copies the origin list. */
    public HttpFrontDoorOptions {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host must name an address to bind to, such as 127.0.0.1 (local "
                    + "clients only) or 0.0.0.0 (every interface); got a blank string");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be between 0 (any free port) and 65535, got " + port);
        }
        Objects.requireNonNull(path, "path");
        if (!path.startsWith("/") || path.chars().anyMatch(c -> c == '?' || c == '#' || c <= ' ' || c >= 0x7F)) {
            throw new IllegalArgumentException("path must start with '/' and hold no query, fragment, spaces or "
                    + "non-ASCII characters, such as /mcp; got '" + path + "'");
        }
        Objects.requireNonNull(allowedOrigins, "allowedOrigins");
        OriginPolicy.of(allowedOrigins); // validates every entry, nulls included, before the copy would refuse them
        allowedOrigins = List.copyOf(allowedOrigins);
        if (maxRequestBytes < 1 || maxRequestBytes > MAX_REQUEST_BYTES_LIMIT) {
            throw new IllegalArgumentException("maxRequestBytes must be between 1 and " + MAX_REQUEST_BYTES_LIMIT
                    + " (1 GiB), got " + maxRequestBytes);
        }
        Objects.requireNonNull(sseKeepAlive, "sseKeepAlive");
        if (sseKeepAlive.isNegative() || sseKeepAlive.isZero()) {
            throw new IllegalArgumentException("sseKeepAlive must be positive (15 s is usual), got " + sseKeepAlive);
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1 (the default is "
                    + DEFAULT_MAX_CONNECTIONS + "; keep it below the process's file-descriptor limit), got "
                    + maxConnections);
        }
        if (maxStreamsPerSession < 1) {
            throw new IllegalArgumentException("maxStreamsPerSession must be at least 1, so a session can open its "
                    + "GET stream or receive a streamed answer (the default is " + DEFAULT_MAX_STREAMS_PER_SESSION
                    + "), got " + maxStreamsPerSession);
        }
        Objects.requireNonNull(allowedHosts, "allowedHosts");
        HostPolicy.of(allowedHosts, host); // validates every entry, nulls included, before the copy would refuse them
        allowedHosts = List.copyOf(allowedHosts);
        Objects.requireNonNull(managementApi, "managementApi");
        if (maxBodyBytesInFlight < maxRequestBytes) {
            throw new IllegalArgumentException("maxBodyBytesInFlight must be at least maxRequestBytes ("
                    + maxRequestBytes + "), or the largest body accepted could never be admitted; raise it, or "
                    + "leave it unset for a sixteenth of the heap; got " + maxBodyBytesInFlight);
        }

        idleTimeout = positive("idleTimeout", idleTimeout, "5 min");
        requestHeaderTimeout = positive("requestHeaderTimeout", requestHeaderTimeout, "10 s");
        requestBodyTimeout = positive("requestBodyTimeout", requestBodyTimeout, "60 s");
        if (maxRequestHeaderBytes < 1024) {
            throw new IllegalArgumentException("maxRequestHeaderBytes must be at least 1024 (the default is "
                    + DEFAULT_MAX_REQUEST_HEADER_BYTES + "), got " + maxRequestHeaderBytes);
        }
    }

    private static Duration positive(String name, Duration value, String usual) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero() || value.toMillis() == 0) {
            throw new IllegalArgumentException(name + " must be at least a millisecond (" + usual
                    + " is the default), got " + value);
        }
        return value;
    }

    /**
     * The defaults: 127.0.0.1:9105 over plain HTTP, path /mcp, local origins and hosts only, 4 MiB requests,
     * keep-alive every 15 s, 8192 connections, 32 streams per session, no CORS, a sixteenth of the heap for request
     * bodies in flight, connections idle for 5 min closed, 10 s for a request's head and 60 s for its body, 16 KiB of
     * request head.
     */
    public static HttpFrontDoorOptions defaults() {
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

    /** Whether a request with this {@code Origin} header may use the endpoint; null (no header) always may. */
    public boolean allowsOrigin(String origin) {
        return origin == null || OriginPolicy.of(allowedOrigins).allows(origin);
    }

    /**
     * Whether a request with this {@code Host} header may use the endpoint: an allowed name, or the bound address;
     * null (no header) always may.
     */
    public boolean allowsHost(String host) {
        return HostPolicy.of(allowedHosts, this.host).allows(host);
    }

    /** Builds {@link HttpFrontDoorOptions}; starts from the defaults. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = DEFAULT_PORT;
        private String path = "/mcp";
        private final List<String> allowedOrigins = new ArrayList<>(LOCAL_ORIGINS);
        private int maxRequestBytes = DEFAULT_MAX_REQUEST_BYTES;
        private Duration sseKeepAlive = Duration.ofSeconds(15);
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private int maxStreamsPerSession = DEFAULT_MAX_STREAMS_PER_SESSION;
        private final List<String> allowedHosts = new ArrayList<>(LOCAL_HOSTS);
        private boolean cors;
        /** Null: {@link #defaultMaxBodyBytesInFlight} of whatever {@code maxRequestBytes} is at build time. */
        private Long maxBodyBytesInFlight;
        private ServerTls tls;
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private Duration requestHeaderTimeout = DEFAULT_REQUEST_HEADER_TIMEOUT;
        private Duration requestBodyTimeout = DEFAULT_REQUEST_BODY_TIMEOUT;
        private int maxRequestHeaderBytes = DEFAULT_MAX_REQUEST_HEADER_BYTES;
        private ManagementApiOptions managementApi = ManagementApiOptions.defaults();
        private FrontDoorAuth auth;
        private Supplier<String> metrics;

        private Builder() {
        }

        private Builder(HttpFrontDoorOptions from) {
            host = from.host;
            port = from.port;
            path = from.path;
            allowedOrigins.clear();
            allowedOrigins.addAll(from.allowedOrigins);
            maxRequestBytes = from.maxRequestBytes;
            sseKeepAlive = from.sseKeepAlive;
            maxConnections = from.maxConnections;
            maxStreamsPerSession = from.maxStreamsPerSession;
            allowedHosts.clear();
            allowedHosts.addAll(from.allowedHosts);
            cors = from.cors;
            maxBodyBytesInFlight = from.maxBodyBytesInFlight;
            tls = from.tls;
            idleTimeout = from.idleTimeout;
            requestHeaderTimeout = from.requestHeaderTimeout;
            requestBodyTimeout = from.requestBodyTimeout;
            maxRequestHeaderBytes = from.maxRequestHeaderBytes;
            managementApi = from.managementApi;
            auth = from.auth;
            metrics = from.metrics;
        }

        /** The address to bind to. */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** The port to bind to, 0 for any free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** The endpoint path. */
        public Builder path(String path) {
            this.path = path;
            return this;
        }

        /** Replaces the allowed origins (see {@link HttpFrontDoorOptions#allowedOrigins()} for the forms). */
        public Builder allowedOrigins(List<String> origins) {
            Objects.requireNonNull(origins, "origins");
            allowedOrigins.clear();
            allowedOrigins.addAll(origins);
            return this;
        }

        /** Adds one allowed origin to the list. */
        public Builder allowOrigin(String origin) {
            allowedOrigins.add(Objects.requireNonNull(origin, "origin"));
            return this;
        }

        /** The largest POST body accepted, in bytes. */
        public Builder maxRequestBytes(int bytes) {
            maxRequestBytes = bytes;
            return this;
        }

        /** How long an event stream may stay silent before a keep-alive comment (sent within 1.25 times this). */
        public Builder sseKeepAlive(Duration interval) {
            sseKeepAlive = interval;
            return this;
        }

        /** How many connections the built-in server holds open at once; more are answered 503 and closed. */
        public Builder maxConnections(int connections) {
            maxConnections = connections;
            return this;
        }

        /** How many event streams one session may hold open at once; more are refused. */
        public Builder maxStreamsPerSession(int streams) {
            maxStreamsPerSession = streams;
            return this;
        }

        /** Replaces the allowed {@code Host} names (see {@link HttpFrontDoorOptions#allowedHosts()} for the forms). */
        public Builder allowedHosts(List<String> hosts) {
            Objects.requireNonNull(hosts, "hosts");
            allowedHosts.clear();
            allowedHosts.addAll(hosts);
            return this;
        }

        /** Adds one allowed {@code Host} name to the list. */
        public Builder allowHost(String host) {
            allowedHosts.add(Objects.requireNonNull(host, "host"));
            return this;
        }

        /** Whether to answer CORS preflights and mark answers readable by the allowed origins' pages. */
        public Builder cors(boolean enabled) {
            cors = enabled;
            return this;
        }

        /** How many bytes of request bodies the endpoint holds at once; more are answered 503. */
        public Builder maxBodyBytesInFlight(long bytes) {
            maxBodyBytesInFlight = bytes;
            return this;
        }

        /** Serves HTTPS with this certificate, or plain HTTP if it is null (the default). */
        public Builder tls(ServerTls serverTls) {
            tls = serverTls;
            return this;
        }

        /** How long a connection on which nothing moves is kept. */
        public Builder idleTimeout(Duration timeout) {
            idleTimeout = timeout;
            return this;
        }

        /** How long a request's line and headers may take to arrive once they began. */
        public Builder requestHeaderTimeout(Duration timeout) {
            requestHeaderTimeout = timeout;
            return this;
        }

        /** How long a request's body may take to arrive once reading it began. */
        public Builder requestBodyTimeout(Duration timeout) {
            requestBodyTimeout = timeout;
            return this;
        }

        /** The largest request line plus headers accepted, in bytes. */
        public Builder maxRequestHeaderBytes(int bytes) {
            maxRequestHeaderBytes = bytes;
            return this;
        }

        /** What the management REST API under {@code /api/v1} allows ({@link ManagementApiOptions#defaults()}). */
        public Builder managementApi(ManagementApiOptions options) {
            managementApi = Objects.requireNonNull(options, "options");
            return this;
        }

        /** How clients authenticate; null (the default) for no authentication. */
        public Builder auth(FrontDoorAuth settings) {
            auth = settings;
            return this;
        }

        /** What {@code GET /metrics} serves, in Prometheus's text format; null (the default) for nothing. */
        public Builder metrics(Supplier<String> prometheusText) {
            metrics = prometheusText;
            return this;
        }

        /** The options; validated. */
        public HttpFrontDoorOptions build() {
            return new HttpFrontDoorOptions(host, port, path, allowedOrigins, maxRequestBytes, sseKeepAlive,
                    maxConnections, maxStreamsPerSession, allowedHosts, cors,
                    maxBodyBytesInFlight != null ? maxBodyBytesInFlight : defaultMaxBodyBytesInFlight(maxRequestBytes),
                    tls, idleTimeout, requestHeaderTimeout, requestBodyTimeout, maxRequestHeaderBytes, managementApi,
                    auth, metrics);
        }
    }
}
