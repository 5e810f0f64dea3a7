package dev.mcpgateway.transport.http;

import dev.mcpgateway.internal.auth.UpstreamAuthorizer;
import dev.mcpgateway.internal.auth.UpstreamTokenException;
import dev.mcpgateway.internal.logging.RateLimitedLog;
import dev.mcpgateway.internal.transport.http.HeaderFields;
import dev.mcpgateway.internal.transport.http.Http1Pool;
import dev.mcpgateway.internal.transport.http.McpHeaders;
import dev.mcpgateway.internal.transport.http.ParamHeaderPlans;
import dev.mcpgateway.internal.transport.http.SseReader;
import dev.mcpgateway.internal.transport.http.UpstreamReply;
import dev.mcpgateway.jsonrpc.JsonRpcException;
import dev.mcpgateway.jsonrpc.JsonRpcMessage;
import dev.mcpgateway.jsonrpc.JsonRpcNotification;
import dev.mcpgateway.jsonrpc.JsonRpcRequest;
import dev.mcpgateway.jsonrpc.JsonRpcResponse;
import dev.mcpgateway.transport.ChannelException;
import dev.mcpgateway.transport.MessageChannel.Receiver;
import dev.mcpgateway.transport.UndeliveredException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the parts of one {@link StreamableHttpChannel} share: the endpoint and its headers, the HTTP client, the
 * session, the receiver and the closed flag, with the few things every part does with them (building a request,
 * delivering a message, waiting before a retry, wording a failure).
 */
final class ChannelState {
    /** The channel's category for all its parts, so logging configured for the channel still covers them. */
    static final Logger log = LoggerFactory.getLogger(StreamableHttpChannel.class);
    static final String AUTHORIZATION = "Authorization";
    private static final String LAST_EVENT_ID = "Last-Event-ID";

    final URI url;
    final String description;
    final HttpClientOptions options;
    /** A thread per POST, all of one name: a numbered name would be a new string per call. */
    final ExecutorService workers =
            Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("mcp-gateway-http").factory());
    final AtomicBoolean closed = new AtomicBoolean();
    final CountDownLatch closing = new CountDownLatch(1);
    // Receivers get one message at a time; a lock rather than a queue so a slow receiver slows the streams down.
    final ReentrantLock deliveryLock = new ReentrantLock();
    final AtomicReference<String> sessionId = new AtomicReference<>();
    /** The bodies being read, closed on shutdown so no reader stays blocked. */
    final Set<InputStream> openBodies = ConcurrentHashMap.newKeySet();
    final ParamHeaderPlans paramHeaders;
    /** The bearer token of each request, from the plugin's upstream credentials. */
    final UpstreamAuthorizer auth;
    /** The plugin's static headers, checked once: every request starts from a copy. */
    private final HeaderFields staticHeaders = new HeaderFields();
    // The server can send a bad session id with every response; the first few warnings say all there is to say.
    private final RateLimitedLog badSessionIds;
    volatile HttpClient client;
    /** Plain-http POSTs bypass the client through this pool when it adds nothing to them; else null. */
    volatile Http1Pool posts;
    volatile Receiver receiver;
    volatile String negotiatedVersion;
    /** Where the legacy HTTP+SSE transport takes the messages once the channel fell back to it; else null. */
    volatile URI legacyEndpoint;

    ChannelState(URI url, String description, HttpClientOptions options, Map<String, String> staticHeaders,
                 UpstreamAuthorizer auth) {
        this.url = url;
        this.auth = auth;
        this.description = description;
        this.options = options;
        staticHeaders.forEach(this.staticHeaders::set);
        this.paramHeaders = new ParamHeaderPlans(description);
        this.badSessionIds = RateLimitedLog.warnings(log, description);
    }

    /**
     * A request the gateway makes on its own (the server's stream, a resumption, the session's end), with the token of
     * the gateway's own credentials. Failing to get one, it goes without: the server's 401 is then handled as any
     * refusal on these paths, and the calls that need a token fail with the reason.
     */
    HttpRequest.Builder request(URI target, String session) {
        String token = null;
        try {
            token = auth.token(null);
        } catch (UpstreamTokenException e) {
            log.debug("{}: {}; sending without a token", description, e.getMessage());
        }
        return request(target, session, token);
    }

    /** A request carrying {@code token} as its bearer token (null: none but what the options supply). */
    HttpRequest.Builder request(URI target, String session, String token) {
        return jdkRequest(target, headers(session, token));
    }

    /**
     * The header fields every request carries: the static ones, the bearer token ({@code token}, else the one the
     * options supply, if any) and the session.
     */
    HeaderFields headers(String session, String token) {
        HeaderFields headers = staticHeaders.copy();
        Supplier<String> tokens = options.bearerToken();
        if (token == null && tokens != null) {
            String supplied = tokens.get();
            if (supplied != null && !supplied.isBlank()) {
                token = supplied;
            }
        }
        if (token != null) {
            headers.set(AUTHORIZATION, "Bearer " + token);
        }
        if (session != null) {
            headers.set(McpHeaders.SESSION_ID, session);
        }
        return headers;
    }

    /** A request of the JDK client to {@code target} with {@code headers}; the method is the caller's to set. */
    HttpRequest.Builder jdkRequest(URI target, HeaderFields headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(options.requestTimeout());
        if ("http".equalsIgnoreCase(target.getScheme())) {
            request.version(HttpClient.Version.HTTP_1_1);
        }
        headers.forEach(request::header);
        return request;
    }

    /** Sends a request with the JDK client, the body to stream as it arrives. */
    UpstreamReply send(HttpRequest request) throws IOException, InterruptedException {
        return UpstreamReply.of(client.send(request, HttpResponse.BodyHandlers.ofInputStream()));
    }

    /** A GET for an event stream of the endpoint: the server's own stream, or a response stream resumed. */
    HttpRequest streamRequest(String session, String lastEventId) {
        HttpRequest.Builder request = request(url, session).header("Accept", HttpReplies.EVENT_STREAM).GET();
        String version = negotiatedVersion;
        if (version != null) {
            request.header(McpHeaders.PROTOCOL_VERSION, version);
        }
        if (lastEventId != null) {
            request.header(LAST_EVENT_ID, lastEventId);
        }
        return request.build();
    }

    void captureSession(UpstreamReply reply) {
        String assigned = reply.header(McpHeaders.SESSION_ID);
        if (assigned == null || assigned.equals(sessionId.get())) {
            return;
        }
        if (assigned.isEmpty() || !assigned.chars().allMatch(c -> c >= 0x21 && c <= 0x7E)) {
            badSessionIds.log("{} assigned a session id with characters other than visible ASCII; ignored",
                    description);
            return;
        }
        sessionId.set(assigned);
        log.debug("{}: the server assigned a session", description);
    }

    void deliver(JsonRpcMessage message, Exchange exchange) {
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

    /** Delivers the message an event carries, if it carries one, and returns it; null for any other event. */
    JsonRpcMessage relay(SseReader.Event event, Exchange exchange) {
        JsonRpcMessage message = decodeEvent(event);
        if (message != null) {
            deliver(message, exchange);
        }
        return message;
    }

    private JsonRpcMessage decodeEvent(SseReader.Event event) {
        if (!event.isMessage()) {
            log.debug("{}: ignoring an event of type '{}'", description, event.type());
            return null;
        }
        try {
            return HttpReplies.CODEC.decode(event.data());
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

    /** Waits before another attempt; false when the channel closed meanwhile. */
    boolean pause(Duration delay) throws InterruptedException {
        return !closing.await(delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    ChannelException httpError(String what, UpstreamReply reply, byte[] bytes) {
        int status = reply.status();
        String hint = "";
        if (status == 401 || status == 403) {
            hint = " (check the plugin's credentials)";
        } else if (status / 100 == 3) {
            String location = reply.header("Location");
            hint = " (a redirect to " + (location == null ? "nowhere" : describe(reply.uri().resolve(location)))
                    + ", which is not followed; configure that URL)";
        }
        return new ChannelException(description + " answered " + what + " with HTTP " + status + hint
                + HttpReplies.excerpt(bytes), status);
    }

    /** An I/O failure; a refused connection means the server never saw the message, anything else may not. */
    ChannelException failure(String what, IOException e) {
        String message = description + ": " + what + ": " + reason(e);
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.net.ConnectException) {
                return new UndeliveredException(message, e);
            }
        }
        return new ChannelException(message, e);
    }

    ChannelException closedException() {
        return new UndeliveredException(description + " is closed");
    }

    static String what(JsonRpcMessage message) {
        return switch (message) {
            case JsonRpcRequest request -> "'" + request.method() + "' (id " + request.id() + ")";
            case JsonRpcNotification notification -> "'" + notification.method() + "'";
            case JsonRpcResponse response -> "the response to id " + response.id();
        };
    }

    /** The URL as logs and messages show it: no credentials, query or fragment. */
    static String describe(URI url) {
        String host = url.getHost() == null ? "?" : url.getHost();
        return url.getScheme() + "://" + host + (url.getPort() >= 0 ? ":" + url.getPort() : "")
                + (url.getRawPath() == null ? "" : url.getRawPath());
    }

    /** The most telling message in the cause chain (the JDK client's ConnectException has none of its own). */
    static String reason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage();
            if (message != null && !message.isBlank()) {
                return t.getClass().getSimpleName() + ": " + message;
            }
        }
        return e.getClass().getSimpleName();
    }
}
