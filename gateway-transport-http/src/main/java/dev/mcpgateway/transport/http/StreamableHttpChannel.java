package dev.mcpgateway.transport.http;

import static dev.mcpgateway.transport.http.ChannelState.AUTHORIZATION;

import dev.mcpgateway.auth.Authenticated;
import dev.mcpgateway.internal.auth.UpstreamAuthorizer;
import dev.mcpgateway.internal.transport.http.Http1Pool;
import dev.mcpgateway.internal.transport.http.McpHeaders;
import dev.mcpgateway.internal.transport.http.ParamHeaderPlans;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.JsonRpcMessage;
import dev.mcpgateway.jsonrpc.JsonRpcNotification;
import dev.mcpgateway.jsonrpc.JsonRpcRequest;
import dev.mcpgateway.mcp.ProtocolVersions;
import dev.mcpgateway.auth.UpstreamCredentials;
import dev.mcpgateway.plugin.TransportSpec;
import dev.mcpgateway.transport.ChannelException;
import dev.mcpgateway.transport.MessageChannel;
import dev.mcpgateway.transport.SessionExpiredException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link MessageChannel} to an MCP server over Streamable HTTP, falling back by itself to the 2024-11-05
 * HTTP+SSE transport for servers that predate it.
 *
 * <p>Every message is POSTed to the endpoint. A request's answer comes back as one JSON body or as an event
 * stream that may carry the server's related notifications and requests before the response; all of them go
 * to the receiver in order as they arrive. The session id the server assigns is repeated on every later
 * request, the negotiated protocol version once {@link #protocolVersionNegotiated} was called; a stateless-era
 * (2026-07-28) request carries its own version plus {@code Mcp-Method} and {@code Mcp-Name}, and a
 * {@code tools/call} the {@code Mcp-Param-*} headers its tool's {@code x-mcp-header} annotations ask for, as learnt
 * from the {@code tools/list} answers this channel carried (which lose the tools whose annotations are invalid; see
 * {@link ParamHeaderPlans}). After the handshake a GET stream receives unrelated server messages, when the server
 * offers one.
 *
 * <p>Failures: a 404 to a request that carried the session id, or a 400 saying the session is unknown (as the
 * official TypeScript SDK answers), fails the send with {@link SessionExpiredException}; another error status
 * fails it with a {@link ChannelException} naming the status, unless the body is a JSON-RPC error answering the request, which is delivered instead. When a
 * response stream breaks before the response, the channel resumes it with GET and {@code Last-Event-ID} if the
 * server gave event ids; when it cannot (no ids, the server refuses, or {@link HttpClientOptions#maxResumeAttempts}
 * attempts failed in a row) it delivers an error response with code {@link ErrorCodes#UPSTREAM_UNAVAILABLE} for
 * that request, so the call fails at once instead of waiting for its timeout. A stateless-era
 * {@code notifications/cancelled} is not POSTed: closing the request's stream is the cancellation there.
 *
 * <p>Legacy fallback: when the first {@code initialize} is answered 400, 404 or 405 (without a JSON-RPC error
 * for it), the channel GETs the URL as an event stream, waits for its {@code endpoint} event (which must name
 * the same origin, since credentials go there) and from then on POSTs every message to that endpoint, while
 * the server's messages arrive on the stream. When that stream ends the channel closes with a cause.
 *
 * <p>Redirects are not followed (they would carry credentials elsewhere and turn POSTs into GETs); a 3xx fails
 * with a message naming the new location. Plain {@code http://} uses HTTP/1.1 (an h2c upgrade attempt confuses
 * some servers); {@code https://} negotiates HTTP/2 when the server offers it. Plain {@code http://} POSTs go over
 * the channel's own pool of keep-alive connections whenever the {@link HttpClient} would add nothing to them (no
 * proxy, authenticator, cookies or redirects): the JDK client costs several times the CPU per exchange.
 */
public final class StreamableHttpChannel implements MessageChannel {
    private static final String CANCELLED = "notifications/cancelled";

    private final ChannelState state;
    private final MessagePoster poster;
    private final ServerStream serverStream;
    private final ChannelShutdown shutdown;
    private final AtomicBoolean started = new AtomicBoolean();
    /** The gateway's timer, or null for a channel made without a gateway. */
    private final ScheduledExecutorService timer;
    // Each POST is its own HTTP exchange, so nothing orders them by itself; yet servers expect, say,
    // notifications/initialized before the next request. Notifications and responses are POSTed one after the
    // other, and any message waits until those sent before it were answered (they are answered at once, 202).
    private final AtomicReference<CompletableFuture<Void>> acknowledged =
            new AtomicReference<>(CompletableFuture.completedFuture(null));

    /**
     * A channel to an MCP endpoint. Credentials in the URL's user-info part are sent as Basic authorization
     * unless the options carry an {@code Authorization} header.
     *
     * @param url     the MCP endpoint, {@code http://} or {@code https://}
     * @param options timeouts, headers and the client to use
     */
    public StreamableHttpChannel(URI url, HttpClientOptions options) {
        this(url, options, null, null);
    }

    /**
     * A channel whose requests also carry the bearer tokens {@code auth} gives (null: none), and whose waits for
     * response headers are timed on {@code timer}, the gateway's (null: by socket read timeouts).
     */
    StreamableHttpChannel(URI url, HttpClientOptions options, UpstreamAuthorizer auth, ScheduledExecutorService timer) {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(options, "options");
        String scheme = url.getScheme();
        if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme) || url.getHost() == null) {
            throw new IllegalArgumentException("an MCP HTTP endpoint must be an absolute http:// or https:// URL "
                    + "with a host, got '" + ChannelState.describe(url) + "'");
        }
        Map<String, String> headers = new LinkedHashMap<>(options.headers());
        boolean hasAuthorization = headers.keySet().stream().anyMatch(AUTHORIZATION::equalsIgnoreCase);
        if (url.getUserInfo() != null && !hasAuthorization) {
            headers.put(AUTHORIZATION, "Basic " + Base64.getEncoder().encodeToString(
                    url.getUserInfo().getBytes(StandardCharsets.UTF_8)));
        }
        this.timer = timer;
        this.state = new ChannelState(withoutUserInfo(url), ChannelState.describe(url), options, Map.copyOf(headers),
                auth != null ? auth : UpstreamAuthorizer.of(ChannelState.describe(url), UpstreamCredentials.none(),
                        options.httpClient()));
        this.shutdown = new ChannelShutdown(state);
        this.poster = new MessagePoster(state, new ResponseStreams(state), new LegacySseFallback(state, shutdown));
        this.serverStream = new ServerStream(state);
    }

    /**
     * A channel to a plugin's HTTP endpoint, sending the spec's headers on top of the options' ones and the tokens of
     * its credentials (obtained with the options' client, else one of the JDK's defaults). The tokens are cached by
     * this channel only: {@link HttpTransport} keeps them across a plugin's reconnections.
     */
    public static StreamableHttpChannel of(TransportSpec.Http spec, HttpClientOptions options) {
        HttpClient tokens = options.httpClient() != null || spec.credentials() instanceof UpstreamCredentials.None
                ? options.httpClient() : HttpClient.newBuilder().connectTimeout(options.connectTimeout()).build();
        return of(spec, options, UpstreamAuthorizer.of(ChannelState.describe(spec.url()), spec.credentials(), tokens),
                null);
    }

    /**
     * A channel to a plugin's HTTP endpoint whose tokens come from {@code auth}, shared between its channels, with
     * its timeouts on the gateway's {@code timer}.
     */
    static StreamableHttpChannel of(TransportSpec.Http spec, HttpClientOptions options, UpstreamAuthorizer auth,
                                    ScheduledExecutorService timer) {
        return new StreamableHttpChannel(spec.url(), options.withHeaders(spec.headers()), auth, timer);
    }

    /**
     * Prepares the HTTP client; nothing is sent until the first message.
     *
     * @throws IllegalStateException when the channel was started before
     */
    @Override
    public void start(Receiver receiver) {
        Objects.requireNonNull(receiver, "receiver");
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException(state.description + " was started already; open a new channel instead");
        }
        if (state.closed.get()) {
            throw new ChannelException(state.description + " is closed; open a new channel");
        }
        HttpClientOptions options = state.options;
        HttpClient shared = options.httpClient();
        HttpClient client = shared != null ? shared : HttpClient.newBuilder()
                .connectTimeout(options.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                // Never shut down: a thread-per-task executor holds no idle threads, and the client may still
                // hand it tasks while it stops.
                .executor(Executors.newThreadPerTaskExecutor(
                        Thread.ofVirtual().name("mcp-gateway-http-client").factory()))
                .build();
        state.client = client;
        if (Http1Pool.suits(client, state.url)) {
            state.posts = new Http1Pool(state.url, client.connectTimeout().orElse(options.connectTimeout()), timer);
        }
        state.receiver = receiver;
    }

    /**
     * POSTs one message on a virtual thread, once the notifications and responses sent before it were accepted
     * (requests do not wait for each other: their answers may take long).
     *
     * @return completes when the server accepted the message: for a request answered with an event stream, once
     *         the response headers arrived (the stream is read on); for one answered with JSON, once that answer
     *         was delivered. Fails with {@link SessionExpiredException} or {@link ChannelException}
     */
    @Override
    public CompletableFuture<Void> send(JsonRpcMessage message) {
        return send(message, null);
    }

    /**
     * As {@link #send(JsonRpcMessage)}, with the bearer token the plugin's credentials give for a call made on behalf
     * of {@code onBehalfOf} (null: the gateway's own request). When no token can be had the send fails with an
     * {@link dev.mcpgateway.transport.UndeliveredException} saying why.
     */
    @Override
    public CompletableFuture<Void> send(JsonRpcMessage message, Authenticated onBehalfOf) {
        Objects.requireNonNull(message, "message");
        if (state.receiver == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("start() " + state.description
                    + " before sending"));
        }
        if (state.closed.get()) {
            return CompletableFuture.failedFuture(state.closedException());
        }
        byte[] body;
        try {
            body = HttpReplies.CODEC.encode(message);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        String version = McpHeaders.protocolVersion(message, state.negotiatedVersion);
        boolean modern = state.legacyEndpoint == null && ProtocolVersions.isModern(version);
        if (message instanceof JsonRpcNotification notification && CANCELLED.equals(notification.method())) {
            poster.cancel(notification.params());
            if (modern) {
                // Stateless era: closing the request's stream is the cancellation; nothing is POSTed.
                return CompletableFuture.completedFuture(null);
            }
        }
        CompletableFuture<Void> sent = new CompletableFuture<>();
        CompletableFuture<Void> before;
        if (message instanceof JsonRpcRequest) {
            before = acknowledged.get();
        } else {
            CompletableFuture<Void> handled = new CompletableFuture<>();
            before = acknowledged.getAndSet(handled);
            sent.whenComplete((ok, error) -> handled.complete(null));
        }
        Runnable task = () -> poster.post(message, body, version, sent, onBehalfOf);
        if (before.isDone()) {
            dispatch(task, sent);
        } else {
            before.whenComplete((ok, error) -> dispatch(task, sent));
        }
        return sent;
    }

    private void dispatch(Runnable task, CompletableFuture<Void> sent) {
        try {
            state.workers.execute(task);
        } catch (RejectedExecutionException e) {
            sent.completeExceptionally(state.closedException());
        }
    }

    /**
     * Remembers the version for the {@code MCP-Protocol-Version} header and, for a session-based version over
     * Streamable HTTP, opens the GET stream of server messages (a 405 means the server has none).
     */
    @Override
    public void protocolVersionNegotiated(String protocolVersion) {
        state.negotiatedVersion = protocolVersion;
        if (state.legacyEndpoint == null && !ProtocolVersions.isModern(protocolVersion) && !state.closed.get()) {
            serverStream.open();
        }
    }

    /** Whether the channel fell back to the legacy 2024-11-05 HTTP+SSE transport. */
    public boolean isLegacySse() {
        return state.legacyEndpoint != null;
    }

    /**
     * Ends the session (DELETE, waiting at most {@link HttpClientOptions#closeTimeout}), stops every stream and
     * tells the receiver. Idempotent; never waits longer than about twice the close timeout.
     */
    @Override
    public void close() {
        shutdown.run(null);
    }

    /** The endpoint without credentials, query or fragment, e.g. {@code http://127.0.0.1:8081/mcp}. */
    @Override
    public String describe() {
        return state.description;
    }

    @Override
    public String toString() {
        return "StreamableHttpChannel[" + state.description + (isLegacySse() ? ", legacy HTTP+SSE" : "") + "]";
    }

    private static URI withoutUserInfo(URI url) {
        if (url.getRawUserInfo() == null) {
            return url;
        }
        return URI.create(url.getScheme() + "://" + url.getRawAuthority().substring(url.getRawAuthority().lastIndexOf('@') + 1)
                + (url.getRawPath() == null ? "" : url.getRawPath())
                + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery()));
    }
}
