package dev.mcpgateway.transport.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgateway.internal.transport.http.Http1Pool;
import dev.mcpgateway.internal.transport.http.McpHeaders;
import dev.mcpgateway.internal.transport.http.ParamHeaderPlans;
import dev.mcpgateway.internal.transport.http.SessionLoss;
import dev.mcpgateway.internal.transport.http.SseReader;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.JsonRpcCodec;
import dev.mcpgateway.jsonrpc.JsonRpcException;
import dev.mcpgateway.jsonrpc.JsonRpcMessage;
import dev.mcpgateway.jsonrpc.JsonRpcNotification;
import dev.mcpgateway.jsonrpc.JsonRpcRequest;
import dev.mcpgateway.jsonrpc.JsonRpcResponse;
import dev.mcpgateway.jsonrpc.RequestId;
import dev.mcpgateway.mcp.ProtocolVersions;
import dev.mcpgateway.plugin.TransportSpec;
import dev.mcpgateway.transport.ChannelException;
import dev.mcpgateway.transport.UndeliveredException;
import dev.mcpgateway.transport.MessageChannel;
import dev.mcpgateway.transport.SessionExpiredException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    private static final Logger log = LoggerFactory.getLogger(StreamableHttpChannel.class);

    private static final JsonRpcCodec CODEC = JsonRpcCodec.INSTANCE;
    private static final String JSON = "application/json";
    private static final String EVENT_STREAM = "text/event-stream";
    private static final String ACCEPT_BOTH = JSON + ", " + EVENT_STREAM;
    private static final String LAST_EVENT_ID = "Last-Event-ID";
    private static final String AUTHORIZATION = "Authorization";
    private static final String CANCELLED = "notifications/cancelled";
    private static final String INITIALIZE = "initialize";
    private static final String ENDPOINT_EVENT = "endpoint";
    private static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
    private static final int MAX_ERROR_BODY_BYTES = 64 * 1024;
    private static final int EXCERPT_CHARS = 200;

    private final URI url;
    private final String description;
    private final HttpClientOptions options;
    private final Map<String, String> staticHeaders;
    private final ExecutorService workers =
            Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("mcp-gateway-http-", 0).factory());
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch closing = new CountDownLatch(1);
    // Receivers get one message at a time; a lock rather than a queue so a slow receiver slows the streams down.
    private final ReentrantLock deliveryLock = new ReentrantLock();
    private final ReentrantLock legacyLock = new ReentrantLock();
    private final AtomicBoolean serverStreamRunning = new AtomicBoolean();
    private final AtomicReference<String> sessionId = new AtomicReference<>();
    private final Set<InputStream> openBodies = ConcurrentHashMap.newKeySet();
    private final Map<RequestId, Exchange> exchanges = new ConcurrentHashMap<>();
    private final ParamHeaderPlans paramHeaders;
    // Each POST is its own HTTP exchange, so nothing orders them by itself; yet servers expect, say,
    // notifications/initialized before the next request. Notifications and responses are POSTed one after the
    // other, and any message waits until those sent before it were answered (they are answered at once, 202).
    private final AtomicReference<CompletableFuture<Void>> acknowledged =
            new AtomicReference<>(CompletableFuture.completedFuture(null));
    private volatile HttpClient client;
    /** Plain-http POSTs bypass the client through this pool when it adds nothing to them; else null. */
    private volatile Http1Pool posts;
    private volatile Receiver receiver;
    private volatile String negotiatedVersion;
    private volatile boolean streamableConfirmed;
    private volatile URI legacyEndpoint;

    /**
     * A channel to an MCP endpoint. Credentials in the URL's user-info part are sent as Basic authorization
     * unless the options carry an {@code Authorization} header.
     *
     * @param url     the MCP endpoint, {@code http://} or {@code https://}
     * @param options timeouts, headers and the client to use
     */
    public StreamableHttpChannel(URI url, HttpClientOptions options) {
        Objects.requireNonNull(url, "url");
        this.options = Objects.requireNonNull(options, "options");
        String scheme = url.getScheme();
        if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme) || url.getHost() == null) {
            throw new IllegalArgumentException("an MCP HTTP endpoint must be an absolute http:// or https:// URL "
                    + "with a host, got '" + describe(url) + "'");
        }
        this.url = withoutUserInfo(url);
        this.description = describe(url);
        this.paramHeaders = new ParamHeaderPlans(description);
        Map<String, String> headers = new LinkedHashMap<>(options.headers());
        boolean hasAuthorization = headers.keySet().stream().anyMatch(AUTHORIZATION::equalsIgnoreCase);
        if (url.getUserInfo() != null && !hasAuthorization) {
            headers.put(AUTHORIZATION, "Basic " + Base64.getEncoder().encodeToString(
                    url.getUserInfo().getBytes(StandardCharsets.UTF_8)));
        }
        this.staticHeaders = Map.copyOf(headers);
    }

    /** A channel to a plugin's HTTP endpoint, sending the spec's headers on top of the options' ones. */
    public static StreamableHttpChannel of(TransportSpec.Http spec, HttpClientOptions options) {
        return new StreamableHttpChannel(spec.url(), options.withHeaders(spec.headers()));
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
            throw new IllegalStateException(description + " was started already; open a new channel instead");
        }
        if (closed.get()) {
            throw new ChannelException(description + " is closed; open a new channel");
        }
        HttpClient shared = options.httpClient();
        this.client = shared != null ? shared : HttpClient.newBuilder()
                .connectTimeout(options.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                // Never shut down: a thread-per-task executor holds no idle threads, and the client may still
                // hand it tasks while it stops.
                .executor(Executors.newThreadPerTaskExecutor(
                        Thread.ofVirtual().name("mcp-gateway-http-client-", 0).factory()))
                .build();
        if (Http1Pool.suits(client, url)) {
            this.posts = new Http1Pool(url, client.connectTimeout().orElse(options.connectTimeout()));
        }
        this.receiver = receiver;
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
        Objects.requireNonNull(message, "message");
        if (receiver == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("start() " + description + " before sending"));
        }
        if (closed.get()) {
            return CompletableFuture.failedFuture(closedException());
        }
        byte[] body;
        try {
            body = CODEC.encode(message);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        String version = McpHeaders.protocolVersion(message, negotiatedVersion);
        boolean modern = legacyEndpoint == null && ProtocolVersions.isModern(version);
        if (message instanceof JsonRpcNotification notification && CANCELLED.equals(notification.method())) {
            cancelExchange(notification.params());
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
        Runnable task = () -> post(message, body, version, sent);
        if (before.isDone()) {
            dispatch(task, sent);
        } else {
            before.whenComplete((ok, error) -> dispatch(task, sent));
        }
        return sent;
    }

    private void dispatch(Runnable task, CompletableFuture<Void> sent) {
        try {
            workers.execute(task);
        } catch (RejectedExecutionException e) {
            sent.completeExceptionally(closedException());
        }
    }

    /**
     * Remembers the version for the {@code MCP-Protocol-Version} header and, for a session-based version over
     * Streamable HTTP, opens the GET stream of server messages (a 405 means the server has none).
     */
    @Override
    public void protocolVersionNegotiated(String protocolVersion) {
        negotiatedVersion = protocolVersion;
        if (legacyEndpoint == null && !ProtocolVersions.isModern(protocolVersion) && !closed.get()
                && serverStreamRunning.compareAndSet(false, true)) {
            try {
                workers.execute(this::runServerStream);
            } catch (RejectedExecutionException e) {
                serverStreamRunning.set(false);
            }
        }
    }

    /** Whether the channel fell back to the legacy 2024-11-05 HTTP+SSE transport. */
    public boolean isLegacySse() {
        return legacyEndpoint != null;
    }

    /**
     * Ends the session (DELETE, waiting at most {@link HttpClientOptions#closeTimeout}), stops every stream and
     * tells the receiver. Idempotent; never waits longer than about twice the close timeout.
     */
    @Override
    public void close() {
        shutdown(null);
    }

    /** The endpoint without credentials, query or fragment, e.g. {@code http://127.0.0.1:8081/mcp}. */
    @Override
    public String describe() {
        return description;
    }

    @Override
    public String toString() {
        return "StreamableHttpChannel[" + description + (isLegacySse() ? ", legacy HTTP+SSE" : "") + "]";
    }

    // ---------------------------------------------------------------------------------------------- POST

    private void post(JsonRpcMessage message, byte[] body, String version, CompletableFuture<Void> sent) {
        try {
            URI endpoint = legacyEndpoint;
            if (endpoint != null) {
                postLegacy(endpoint, message, body, sent);
            } else {
                postStreamable(message, body, version, sent);
            }
        } catch (IOException e) {
            sent.completeExceptionally(failure("could not POST " + what(message), e));
        } catch (InterruptedException e) {
            sent.completeExceptionally(closed.get() ? closedException()
                    : new ChannelException(description + ": sending " + what(message) + " was cancelled"));
        } catch (RuntimeException e) {
            sent.completeExceptionally(new ChannelException(description + ": could not send " + what(message) + ": "
                    + reason(e), e));
        } finally {
            // Later messages wait for this one; it must never stay pending.
            if (!sent.isDone()) {
                sent.completeExceptionally(new ChannelException(description + ": sending " + what(message) + " failed"));
            }
        }
    }

    private void postStreamable(JsonRpcMessage message, byte[] body, String version, CompletableFuture<Void> sent)
            throws IOException, InterruptedException {
        String session = sessionId.get();
        HttpRequest.Builder request = request(url, session)
                .header("Content-Type", JSON)
                .header("Accept", ACCEPT_BOTH)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (version != null) {
            request.header(McpHeaders.PROTOCOL_VERSION, version);
        }
        Exchange exchange = null;
        if (message instanceof JsonRpcRequest call) {
            if (ProtocolVersions.isModern(version)) {
                request.header(McpHeaders.METHOD, call.method());
                String name = McpHeaders.name(call);
                if (name != null) {
                    request.header(McpHeaders.NAME, name);
                }
                paramHeaders.sending(call).forEach(request::header);
            }
            exchange = new Exchange(call.id());
            exchanges.put(call.id(), exchange);
        }
        try {
            Http1Pool pool = posts;
            HttpResponse<InputStream> response = pool != null ? pool.post(request.build(), body)
                    : client.send(request.build(), BodyHandlers.ofInputStream());
            if (exchange != null) {
                exchange.attach(response.body());
            }
            answered(message, body, session, response, sent, exchange);
        } finally {
            if (exchange != null) {
                exchanges.remove(exchange.id, exchange);
                paramHeaders.ended(exchange.id);
            }
        }
    }

    private void answered(JsonRpcMessage message, byte[] body, String session, HttpResponse<InputStream> response,
                          CompletableFuture<Void> sent, Exchange exchange) throws IOException, InterruptedException {
        int status = response.statusCode();
        InputStream in = response.body();
        if (isSuccess(status)) {
            captureSession(response);
            if (!(message instanceof JsonRpcRequest request)) {
                sent.complete(null);
                drain(response);
                return;
            }
            streamableConfirmed = true;
            String type = mediaType(response);
            if (EVENT_STREAM.equals(type)) {
                sent.complete(null);
                readResponseStream(request.id(), in, exchange);
                return;
            }
            byte[] bytes = readMessage(in, response.headers().firstValueAsLong("Content-Length"));
            if (bytes.length == 0) {
                // 202 or an empty 200: the answer will come on the server's GET stream.
                sent.complete(null);
                return;
            }
            JsonRpcMessage answer = JSON.equals(type) ? decodeOrNull(bytes) : null;
            if (answer == null) {
                sent.completeExceptionally(new ChannelException(description + " answered " + what(message) + " with HTTP "
                        + status + " and " + (type.isEmpty() ? "no content type" : "content type '" + type + "'")
                        + " that is not a JSON-RPC message" + excerpt(bytes)));
                return;
            }
            if (answer instanceof JsonRpcResponse unread && unread.id() == null) {
                // The server could not read the id (say, a parse error); this POST can only answer this request.
                answer = unread.withId(request.id());
            }
            deliver(answer, exchange);
            sent.complete(null);
            return;
        }
        byte[] bytes = readExcerpt(in);
        if (session != null && SessionLoss.reported(status, bytes)) {
            sessionId.compareAndSet(session, null);
            sent.completeExceptionally(new SessionExpiredException(description + " no longer knows the session (HTTP "
                    + status + " to " + what(message) + excerpt(bytes) + "); initialize a new one"));
            return;
        }
        JsonRpcResponse error = matchingError(message, bytes);
        if (error != null) {
            deliver(error, exchange);
            sent.complete(null);
            return;
        }
        if (message instanceof JsonRpcRequest request && INITIALIZE.equals(request.method()) && session == null
                && !streamableConfirmed && (status == 400 || status == 404 || status == 405)) {
            fallBackToLegacy(message, body, status, sent);
            return;
        }
        sent.completeExceptionally(httpError(what(message), response, bytes));
    }

    /** Reads a request's event stream, resuming it with {@code Last-Event-ID} when it breaks before the response. */
    private void readResponseStream(RequestId id, InputStream first, Exchange exchange) throws InterruptedException {
        InputStream in = first;
        String lastEventId = null;
        long retryMillis = -1;
        int failures = 0;
        while (true) {
            if (in != null) {
                SseReader events = new SseReader(in, lastEventId, MAX_MESSAGE_BYTES);
                openBodies.add(in);
                try {
                    if (relayUntilAnswer(events, id, exchange)) {
                        return;
                    }
                    log.debug("{}: the response stream for request {} ended before the response", description, id);
                } catch (IOException e) {
                    if (stopped(exchange)) {
                        return;
                    }
                    log.debug("{}: the response stream for request {} broke: {}", description, id, reason(e));
                } finally {
                    closeQuietly(in);
                    openBodies.remove(in);
                }
                lastEventId = events.lastEventId();
                retryMillis = events.retryMillis() >= 0 ? events.retryMillis() : retryMillis;
                in = null;
            }
            if (stopped(exchange)) {
                return;
            }
            if (lastEventId == null) {
                lost(id, "the server ended the response stream before the response and gave no event id to resume from");
                return;
            }
            if (failures >= options.maxResumeAttempts()) {
                lost(id, "the response stream broke and " + failures + " attempts to resume it failed");
                return;
            }
            if (!pause(retryMillis >= 0 ? Duration.ofMillis(retryMillis) : options.reconnectDelay())) {
                return;
            }
            try {
                HttpResponse<InputStream> response = client.send(streamRequest(sessionId.get(), lastEventId),
                        BodyHandlers.ofInputStream());
                int status = response.statusCode();
                if (isSuccess(status) && EVENT_STREAM.equals(mediaType(response))) {
                    failures = 0;
                    in = response.body();
                    if (exchange != null) {
                        exchange.attach(in);
                    }
                    continue;
                }
                readExcerpt(response.body());
                if (status == 404 || status == 405) {
                    lost(id, "the server refused to resume the response stream (HTTP " + status + ")");
                    return;
                }
                failures++;
                log.debug("{}: resuming the response stream for request {} got HTTP {}", description, id, status);
            } catch (IOException e) {
                failures++;
                log.debug("{}: resuming the response stream for request {} failed: {}", description, id, reason(e));
            }
        }
    }

    /** Delivers a stream's messages; true once the response to {@code id} was among them. */
    private boolean relayUntilAnswer(SseReader events, RequestId id, Exchange exchange) throws IOException {
        SseReader.Event event;
        while ((event = events.next()) != null) {
            JsonRpcMessage message = decodeEvent(event);
            if (message != null) {
                deliver(message, exchange);
                if (message instanceof JsonRpcResponse response && id.equals(response.id())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Fails a request whose response can no longer arrive, so its caller need not wait for a timeout. */
    private void lost(RequestId id, String why) {
        log.warn("{}: {}; request {} fails", description, why, id);
        deliver(JsonRpcResponse.failure(id, ErrorCodes.UPSTREAM_UNAVAILABLE, description + ": " + why), null);
    }

    private boolean stopped(Exchange exchange) {
        return closed.get() || exchange != null && exchange.cancelled;
    }

    private void cancelExchange(JsonNode params) {
        JsonNode requestId = params == null ? null : params.get("requestId");
        RequestId id = requestId == null ? null
                : requestId.isTextual() ? RequestId.of(requestId.textValue())
                : requestId.canConvertToLong() ? RequestId.of(requestId.longValue()) : null;
        Exchange exchange = id == null ? null : exchanges.get(id);
        if (exchange != null) {
            exchange.cancel();
        }
    }

    // ------------------------------------------------------------------------------------ server stream

    /** The GET stream of unrelated server messages, reopened with backoff until the channel closes. */
    private void runServerStream() {
        try {
            Duration delay = options.reconnectDelay();
            String lastEventId = null;
            String lastEventSession = null;
            long retryMillis = -1;
            while (!closed.get()) {
                String session = sessionId.get();
                if (!Objects.equals(session, lastEventSession)) {
                    // Event ids belong to a session; a new session starts from scratch.
                    lastEventId = null;
                }
                try {
                    HttpResponse<InputStream> response = client.send(streamRequest(session, lastEventId),
                            BodyHandlers.ofInputStream());
                    int status = response.statusCode();
                    if (!isSuccess(status) || !EVENT_STREAM.equals(mediaType(response))) {
                        readExcerpt(response.body());
                        if (status == 405 || isSuccess(status) || status / 100 == 4) {
                            log.debug("{} offers no stream of server messages (HTTP {} to GET)", description, status);
                            return;
                        }
                        log.debug("{}: the server-message stream got HTTP {}; retrying in {}", description, status, delay);
                    } else {
                        delay = options.reconnectDelay();
                        SseReader events = new SseReader(response.body(), lastEventId, MAX_MESSAGE_BYTES);
                        try {
                            relayAll(events, response.body());
                        } finally {
                            lastEventId = events.lastEventId();
                            lastEventSession = session;
                            retryMillis = events.retryMillis() >= 0 ? events.retryMillis() : retryMillis;
                        }
                        log.debug("{}: the server-message stream ended; reopening it", description);
                    }
                } catch (IOException e) {
                    if (closed.get()) {
                        return;
                    }
                    log.debug("{}: the server-message stream broke: {}", description, reason(e));
                }
                if (!pause(retryMillis >= 0 ? Duration.ofMillis(retryMillis) : delay)) {
                    return;
                }
                delay = delay.multipliedBy(2).compareTo(options.maxReconnectDelay()) > 0
                        ? options.maxReconnectDelay() : delay.multipliedBy(2);
            }
        } catch (InterruptedException e) {
            // The channel is closing.
        } finally {
            serverStreamRunning.set(false);
        }
    }

    private void relayAll(SseReader events, InputStream in) throws IOException {
        openBodies.add(in);
        try {
            SseReader.Event event;
            while ((event = events.next()) != null) {
                JsonRpcMessage message = decodeEvent(event);
                if (message != null) {
                    deliver(message, null);
                }
            }
        } finally {
            closeQuietly(in);
            openBodies.remove(in);
        }
    }

    private HttpRequest streamRequest(String session, String lastEventId) {
        HttpRequest.Builder request = request(url, session).header("Accept", EVENT_STREAM).GET();
        String version = negotiatedVersion;
        if (version != null) {
            request.header(McpHeaders.PROTOCOL_VERSION, version);
        }
        if (lastEventId != null) {
            request.header(LAST_EVENT_ID, lastEventId);
        }
        return request.build();
    }

    // ------------------------------------------------------------------------------------- legacy SSE

    private void fallBackToLegacy(JsonRpcMessage message, byte[] body, int status, CompletableFuture<Void> sent)
            throws IOException, InterruptedException {
        URI endpoint;
        legacyLock.lockInterruptibly();
        try {
            endpoint = legacyEndpoint;
            if (endpoint == null) {
                endpoint = openLegacyStream(status);
                legacyEndpoint = endpoint;
                log.info("{} does not speak Streamable HTTP (HTTP {} to initialize); using the legacy HTTP+SSE "
                        + "transport, posting to {}", description, status, describe(endpoint));
            }
        } catch (ChannelException e) {
            sent.completeExceptionally(e);
            return;
        } finally {
            legacyLock.unlock();
        }
        postLegacy(endpoint, message, body, sent);
    }

    /** Opens the legacy event stream and waits for its {@code endpoint} event. */
    private URI openLegacyStream(int postStatus) throws IOException, InterruptedException {
        HttpResponse<InputStream> response;
        try {
            response = client.send(request(url, null).header("Accept", EVENT_STREAM).GET().build(),
                    BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw failure("answered initialize with HTTP " + postStatus + ", and a GET for the legacy HTTP+SSE "
                    + "transport failed", e);
        }
        if (!isSuccess(response.statusCode()) || !EVENT_STREAM.equals(mediaType(response))) {
            byte[] bytes = readExcerpt(response.body());
            throw new ChannelException(description + " answered initialize with HTTP " + postStatus + " and a GET for "
                    + "the legacy HTTP+SSE transport with HTTP " + response.statusCode() + " ("
                    + (mediaType(response).isEmpty() ? "no content type" : mediaType(response))
                    + "): it speaks neither MCP HTTP transport" + excerpt(bytes));
        }
        CompletableFuture<URI> endpoint = new CompletableFuture<>();
        InputStream in = response.body();
        openBodies.add(in);
        try {
            workers.execute(() -> readLegacyStream(in, endpoint));
        } catch (RejectedExecutionException e) {
            closeQuietly(in);
            throw closedException();
        }
        try {
            return endpoint.get(options.requestTimeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            ChannelException failure = new ChannelException(description
                    + "'s legacy HTTP+SSE stream sent no endpoint event within " + options.requestTimeout());
            // Stops the reader at its next event; closing the stream makes the server notice.
            endpoint.completeExceptionally(failure);
            closeQuietly(in);
            throw failure;
        } catch (ExecutionException e) {
            closeQuietly(in);
            throw e.getCause() instanceof ChannelException c ? c
                    : new ChannelException(description + ": " + reason(e.getCause()), e.getCause());
        }
    }

    private void readLegacyStream(InputStream in, CompletableFuture<URI> endpoint) {
        SseReader events = new SseReader(in, null, MAX_MESSAGE_BYTES);
        String why;
        try {
            SseReader.Event event;
            while ((event = events.next()) != null) {
                if (endpoint.isCompletedExceptionally()) {
                    break;
                }
                if (ENDPOINT_EVENT.equals(event.type())) {
                    if (!endpoint.isDone()) {
                        resolveEndpoint(event.data(), endpoint);
                    } else {
                        log.debug("{}: ignoring a second endpoint event on the legacy stream", description);
                    }
                    continue;
                }
                JsonRpcMessage message = decodeEvent(event);
                if (message != null) {
                    deliver(message, null);
                }
            }
            why = "the server ended the legacy HTTP+SSE stream";
        } catch (IOException e) {
            why = "the legacy HTTP+SSE stream broke: " + reason(e);
        } finally {
            closeQuietly(in);
            openBodies.remove(in);
        }
        ChannelException cause = new ChannelException(description + ": " + why);
        // Once the endpoint is known the stream is the channel's only way back: without it the channel is over.
        if (!endpoint.completeExceptionally(cause) && !endpoint.isCompletedExceptionally()) {
            shutdown(cause);
        }
    }

    private void resolveEndpoint(String data, CompletableFuture<URI> endpoint) {
        URI resolved;
        try {
            resolved = url.resolve(data.strip());
        } catch (IllegalArgumentException e) {
            endpoint.completeExceptionally(new ChannelException(description
                    + "'s legacy HTTP+SSE stream sent an endpoint event that is not a URI"));
            return;
        }
        if (!sameOrigin(resolved, url)) {
            endpoint.completeExceptionally(new ChannelException(description + "'s legacy HTTP+SSE stream named an "
                    + "endpoint on another origin (" + describe(resolved) + "); the gateway sends this plugin's "
                    + "credentials only to its own origin"));
            return;
        }
        endpoint.complete(resolved);
    }

    private void postLegacy(URI endpoint, JsonRpcMessage message, byte[] body, CompletableFuture<Void> sent)
            throws IOException, InterruptedException {
        HttpRequest request = request(endpoint, null)
                .header("Content-Type", JSON)
                .header("Accept", ACCEPT_BOTH)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpResponse<InputStream> response = client.send(request, BodyHandlers.ofInputStream());
        if (isSuccess(response.statusCode())) {
            // Answers arrive on the event stream; a body beyond the status ("Accepted") is not the answer.
            sent.complete(null);
            drain(response);
            return;
        }
        byte[] bytes = readExcerpt(response.body());
        JsonRpcResponse error = matchingError(message, bytes);
        if (error != null) {
            deliver(error, null);
            sent.complete(null);
            return;
        }
        sent.completeExceptionally(httpError(what(message) + " (legacy HTTP+SSE)", response, bytes));
    }

    // --------------------------------------------------------------------------------------- shutdown

    private void shutdown(ChannelException cause) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closing.countDown();
        HttpClient http = client;
        String session = sessionId.get();
        if (cause == null && http != null && legacyEndpoint == null && session != null) {
            endSession(http, session);
        }
        openBodies.forEach(StreamableHttpChannel::closeQuietly);
        boolean wasInterrupted = Thread.currentThread().isInterrupted();
        boolean locked = false;
        try {
            // Holding the delivery lock, no worker is inside the receiver when the workers are interrupted.
            locked = deliveryLock.tryLock(options.closeTimeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            wasInterrupted = true;
        }
        try {
            workers.shutdownNow();
            Http1Pool pool = posts;
            if (pool != null) {
                pool.close();
            }
            if (http != null && options.httpClient() == null) {
                http.shutdownNow();
            }
            if (!wasInterrupted) {
                // shutdownNow() interrupts the calling thread too when close() runs on one of the workers.
                Thread.interrupted();
            }
            Receiver r = receiver;
            if (r != null) {
                r.onClosed(cause);
            }
        } catch (RuntimeException e) {
            log.warn("{}: the receiver failed while being told the channel closed", description, e);
        } finally {
            if (locked) {
                deliveryLock.unlock();
            }
            if (wasInterrupted) {
                Thread.currentThread().interrupt();
            }
        }
        if (cause != null) {
            log.debug("{} closed: {}", description, cause.getMessage());
        }
    }

    private void endSession(HttpClient http, String session) {
        HttpRequest.Builder request = request(url, session).timeout(options.closeTimeout()).DELETE();
        String version = negotiatedVersion;
        if (version != null) {
            request.header(McpHeaders.PROTOCOL_VERSION, version);
        }
        CompletableFuture<HttpResponse<Void>> deleted;
        try {
            deleted = http.sendAsync(request.build(), BodyHandlers.discarding());
        } catch (RuntimeException e) {
            log.debug("{}: could not end the session: {}", description, reason(e));
            return;
        }
        try {
            int status = deleted.get(options.closeTimeout().toNanos(), TimeUnit.NANOSECONDS).statusCode();
            log.debug("{}: ended the session (HTTP {})", description, status);
        } catch (TimeoutException e) {
            deleted.cancel(true);
            log.debug("{}: the server did not acknowledge the session's end within {}", description, options.closeTimeout());
        } catch (ExecutionException e) {
            log.debug("{}: could not end the session: {}", description, reason(e.getCause()));
        } catch (InterruptedException e) {
            deleted.cancel(true);
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------------------------------- helpers

    private HttpRequest.Builder request(URI target, String session) {
        HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(options.requestTimeout());
        if ("http".equalsIgnoreCase(target.getScheme())) {
            request.version(HttpClient.Version.HTTP_1_1);
        }
        staticHeaders.forEach(request::setHeader);
        Supplier<String> tokens = options.bearerToken();
        if (tokens != null) {
            String token = tokens.get();
            if (token != null && !token.isBlank()) {
                request.setHeader(AUTHORIZATION, "Bearer " + token);
            }
        }
        if (session != null) {
            request.setHeader(McpHeaders.SESSION_ID, session);
        }
        return request;
    }

    private void captureSession(HttpResponse<?> response) {
        String assigned = response.headers().firstValue(McpHeaders.SESSION_ID).orElse(null);
        if (assigned == null || assigned.equals(sessionId.get())) {
            return;
        }
        if (assigned.isEmpty() || !assigned.chars().allMatch(c -> c >= 0x21 && c <= 0x7E)) {
            log.warn("{} assigned a session id with characters other than visible ASCII; ignored", description);
            return;
        }
        sessionId.set(assigned);
        log.debug("{}: the server assigned a session", description);
    }

    private void deliver(JsonRpcMessage message, Exchange exchange) {
        deliveryLock.lock();
        try {
            if (!closed.get() && (exchange == null || !exchange.cancelled)) {
                receiver.onMessage(paramHeaders.received(message));
            }
        } catch (RuntimeException e) {
            log.warn("{}: the receiver failed on a message", description, e);
        } finally {
            deliveryLock.unlock();
        }
    }

    private JsonRpcMessage decodeEvent(SseReader.Event event) {
        if (!event.isMessage()) {
            log.debug("{}: ignoring an event of type '{}'", description, event.type());
            return null;
        }
        try {
            return CODEC.decode(event.data());
        } catch (JsonRpcException e) {
            String reason = description + " sent an event that is not a JSON-RPC message: " + e.getMessage();
            deliveryLock.lock();
            try {
                if (!closed.get()) {
                    receiver.onInvalid(reason);
                }
            } catch (RuntimeException failure) {
                log.warn("{}: the receiver failed on invalid input", description, failure);
            } finally {
                deliveryLock.unlock();
            }
            return null;
        }
    }

    private static JsonRpcMessage decodeOrNull(byte[] bytes) {
        try {
            return CODEC.decode(bytes);
        } catch (JsonRpcException e) {
            return null;
        }
    }

    /** The body as an error response to the request that was sent, or null when it is anything else. */
    private static JsonRpcResponse matchingError(JsonRpcMessage sent, byte[] bytes) {
        if (!(sent instanceof JsonRpcRequest request) || bytes.length == 0) {
            return null;
        }
        return decodeOrNull(bytes) instanceof JsonRpcResponse response && response.isError()
                && request.id().equals(response.id()) ? response : null;
    }

    private ChannelException httpError(String what, HttpResponse<?> response, byte[] bytes) {
        int status = response.statusCode();
        String hint = "";
        if (status == 401 || status == 403) {
            hint = " (check the plugin's credentials)";
        } else if (status / 100 == 3) {
            hint = " (a redirect to " + response.headers().firstValue("Location").map(location -> describe(
                    response.uri().resolve(location))).orElse("nowhere") + ", which is not followed; configure that URL)";
        }
        return new ChannelException(description + " answered " + what + " with HTTP " + status + hint + excerpt(bytes));
    }

    /** An I/O failure; a refused connection means the server never saw the message, anything else may not. */
    private ChannelException failure(String what, IOException e) {
        String message = description + ": " + what + ": " + reason(e);
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.net.ConnectException) {
                return new UndeliveredException(message, e);
            }
        }
        return new ChannelException(message, e);
    }

    private ChannelException closedException() {
        return new UndeliveredException(description + " is closed");
    }

    private boolean pause(Duration delay) throws InterruptedException {
        return !closing.await(delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    private static String what(JsonRpcMessage message) {
        return switch (message) {
            case JsonRpcRequest request -> "'" + request.method() + "' (id " + request.id() + ")";
            case JsonRpcNotification notification -> "'" + notification.method() + "'";
            case JsonRpcResponse response -> "the response to id " + response.id();
        };
    }

    /** Reads a body that should be one message, closing it; a body beyond the message size limit fails. */
    private static byte[] readMessage(InputStream in, OptionalLong declaredLength) throws IOException {
        if (declaredLength.isPresent() && declaredLength.getAsLong() <= MAX_MESSAGE_BYTES) {
            // One array of the announced size: reading to the end in chunks costs several times the garbage.
            try (in) {
                int length = (int) Math.max(0, declaredLength.getAsLong());
                byte[] bytes = new byte[length];
                int read = in.readNBytes(bytes, 0, length);
                if (read < length) {
                    throw new IOException("the response body ended after " + read + " of its " + length + " bytes");
                }
                return bytes;
            }
        }
        byte[] bytes = read(in, MAX_MESSAGE_BYTES + 1);
        if (bytes.length > MAX_MESSAGE_BYTES) {
            throw new IOException("the response body is larger than " + MAX_MESSAGE_BYTES + " bytes");
        }
        return bytes;
    }

    /**
     * Disposes of the body of an acknowledgement; an event stream (which a server should not send here) is closed
     * rather than read, since it may never end.
     */
    private static void drain(HttpResponse<InputStream> response) throws IOException {
        if (EVENT_STREAM.equals(mediaType(response))) {
            closeQuietly(response.body());
        } else {
            readExcerpt(response.body());
        }
    }

    /** Reads the start of a body that is only looked at (errors, acknowledgements), closing it. */
    private static byte[] readExcerpt(InputStream in) throws IOException {
        return read(in, MAX_ERROR_BODY_BYTES);
    }

    private static byte[] read(InputStream in, int limit) throws IOException {
        try (in) {
            return in.readNBytes(limit);
        }
    }

    private static String excerpt(byte[] bytes) {
        if (bytes.length == 0) {
            return " (empty body)";
        }
        String text = new String(bytes, 0, Math.min(bytes.length, EXCERPT_CHARS * 4), StandardCharsets.UTF_8).strip();
        if (text.length() > EXCERPT_CHARS) {
            text = text.substring(0, EXCERPT_CHARS) + "...";
        }
        return ": " + text.replaceAll("\\p{Cntrl}+", " ");
    }

    private static String mediaType(HttpResponse<?> response) {
        String type = response.headers().firstValue("Content-Type").orElse("");
        int semicolon = type.indexOf(';');
        return (semicolon < 0 ? type : type.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
    }

    private static boolean isSuccess(int status) {
        return status / 100 == 2;
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme() != null && a.getScheme().equalsIgnoreCase(b.getScheme())
                && a.getHost() != null && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
    }

    private static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static URI withoutUserInfo(URI url) {
        if (url.getRawUserInfo() == null) {
            return url;
        }
        return URI.create(url.getScheme() + "://" + url.getRawAuthority().substring(url.getRawAuthority().lastIndexOf('@') + 1)
                + (url.getRawPath() == null ? "" : url.getRawPath())
                + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery()));
    }

    private static String describe(URI url) {
        String host = url.getHost() == null ? "?" : url.getHost();
        return url.getScheme() + "://" + host + (url.getPort() >= 0 ? ":" + url.getPort() : "")
                + (url.getRawPath() == null ? "" : url.getRawPath());
    }

    /** The most telling message in the cause chain (the JDK client's ConnectException has none of its own). */
    private static String reason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage();
            if (message != null && !message.isBlank()) {
                return t.getClass().getSimpleName() + ": " + message;
            }
        }
        return e.getClass().getSimpleName();
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // Closing is all that is left to do with it.
        }
    }

    /** A request in flight, so a cancellation can stop reading its answer. */
    private final class Exchange {
        final RequestId id;
        final Thread worker = Thread.currentThread();
        volatile InputStream body;
        volatile boolean cancelled;

        Exchange(RequestId id) {
            this.id = id;
        }

        void attach(InputStream in) {
            body = in;
            if (cancelled) {
                closeQuietly(in);
            }
        }

        void cancel() {
            cancelled = true;
            InputStream in = body;
            if (in != null) {
                closeQuietly(in);
            }
            if (worker != Thread.currentThread()) {
                // A read blocked on the response does not notice the close; the interrupt ends it. Under the
                // delivery lock, so it cannot land while the worker is inside the receiver.
                deliveryLock.lock();
                try {
                    worker.interrupt();
                } finally {
                    deliveryLock.unlock();
                }
            }
        }
    }
}
