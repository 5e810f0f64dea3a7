package dev.mcpgateway.internal.transport.http.server;

import dev.mcpgateway.transport.http.server.HttpFrontDoorOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http.HttpCompliance;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.VirtualThreads;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ThreadPool;
import org.eclipse.jetty.util.thread.VirtualThreadPool;

/**
 * The MCP endpoint's HTTP server: Jetty with RFC 9112/9110-strict parsing, HTTP/1.1 and HTTP/2 (h2 over TLS through
 * ALPN, h2c in cleartext, by upgrade or prior knowledge), request handling on virtual threads, the connection cap,
 * request-head size limit, and idle, head and body deadlines of {@link HttpFrontDoorOptions}.
 */
public final class FrontDoorServer implements AutoCloseable {
    private final Server server;
    private final ServerConnector connector;
    private final EndpointHandler endpoint;

    private FrontDoorServer(Server server, ServerConnector connector, EndpointHandler endpoint) {
        this.server = server;
        this.connector = connector;
        this.endpoint = endpoint;
    }

    /**
     * Binds and starts serving {@code handler} (the {@link FrontDoorRouter}'s {@code handle}) on every path.
     *
     * @throws IOException if the address cannot be bound or the TLS files cannot be read
     */
    public static FrontDoorServer start(Consumer<HttpExchangeAdapter> handler, HttpFrontDoorOptions options)
            throws IOException {
        Server server = new Server(threadPool(Runtime.version().feature()));
        server.setStopTimeout(0); // the endpoint's close already let released exchanges finish
        ErrorHandler errors = new ErrorHandler();
        errors.setShowStacks(false);
        errors.setShowMessageInTitle(false);
        server.setErrorHandler(errors);

        HttpConfiguration http = new HttpConfiguration();
        http.setHttpCompliance(HttpCompliance.RFC9110);
        http.setUriCompliance(UriCompliance.DEFAULT);
        http.setRequestHeaderSize(options.maxRequestHeaderBytes());
        http.setIdleTimeout(options.idleTimeout().toMillis());
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);

        ConnectionCap cap = new ConnectionCap(options.maxConnections(), options.path());
        ServerConnector connector = new ServerConnector(server, 1, -1, factories(options, http));
        connector.setHost(options.host());
        connector.setPort(options.port());
        connector.setIdleTimeout(options.idleTimeout().toMillis());
        connector.setAcceptQueueSize(1024);
        connector.addBean(cap);
        server.addConnector(connector);

        EndpointHandler endpoint = new EndpointHandler(handler, cap, options.requestBodyTimeout());
        server.setHandler(endpoint);
        server.addBean(new SlowClientReaper(connector, cap, endpoint.answering(), options.requestHeaderTimeout()));
        try {
            server.start();
        } catch (IOException e) {
            stopQuietly(server);
            // Jetty wraps the JDK's BindException; hosts tell an address in use by that type, as before.
            throw e.getCause() instanceof BindException bind ? bind : e;
        } catch (RuntimeException e) {
            stopQuietly(server);
            throw e;
        } catch (Exception e) {
            stopQuietly(server);
            throw new IOException("the MCP endpoint's server did not start: " + e.getMessage(), e);
        }
        return new FrontDoorServer(server, connector, endpoint);
    }

    /**
     * The server's threads on a runtime of {@code jdkFeature} (21, 25, ...). Either way a request runs on a virtual
     * thread, so a blocking handler (or an open event stream) parks a virtual thread, not a pooled one.
     *
     * <p>From JDK 25 every thread is virtual, acceptor and selector included: a virtual thread in
     * {@code Selector.select} parks there, and platform selectors handing each request to a virtual thread cost more.
     * Alternated on Temurin 25 (docs/BENCHMARKS.md, issue 18, ninth pass), they made the canned-answer floor 47-49k
     * instead of 55-57k requests/s and an HTTP plugin behind the gateway 9.4-12.5k instead of 13.1-15.2k calls/s, with
     * a longer open-loop tail. Before JDK 25 a selecting virtual thread holds its carrier, so the selectors stay
     * platform threads there.
     */
    static ThreadPool threadPool(int jdkFeature) {
        if (jdkFeature >= 25) {
            VirtualThreadPool threads = new QuietVirtualThreadPool();
            threads.setName("mcp-http-");
            // Unbounded (Jetty's default is 200 tasks, and the 201st waits, even a selector's): an open event stream
            // holds its task for as long as it is open, and the front door's own limits (connections, sessions,
            // streams) bound them instead.
            threads.setMaxConcurrentTasks(0);
            return threads;
        }
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("mcp-http");
        threads.setVirtualThreadsExecutor(VirtualThreads.getNamedVirtualThreadsExecutor("mcp-http-request-"));
        return threads;
    }

    /**
     * Jetty's pool, but refusing a task once stopped as {@link QueuedThreadPool} does: quietly. Jetty's logs a warning
     * with a stack trace for each connection still being read while the server stops, and then runs the task itself
     * anyway.
     */
    private static final class QuietVirtualThreadPool extends VirtualThreadPool {
        @Override
        public boolean tryExecute(Runnable task) {
            try {
                execute(task);
                return true;
            } catch (RejectedExecutionException e) {
                return false;
            }
        }
    }

    private static ConnectionFactory[] factories(HttpFrontDoorOptions options, HttpConfiguration http)
            throws IOException {
        if (options.tls() == null) {
            return new ConnectionFactory[] {new HttpConnectionFactory(http), new HTTP2CServerConnectionFactory(http)};
        }
        HttpConfiguration https = new HttpConfiguration(http);
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        secure.setSniHostCheck(false); // clients may name the bound address rather than the certificate's host
        https.addCustomizer(secure);
        HttpConnectionFactory http11 = new HttpConnectionFactory(https);
        HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(https);
        ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory(h2.getProtocol(), http11.getProtocol());
        alpn.setDefaultProtocol(http11.getProtocol());
        SslConnectionFactory tls = new SslConnectionFactory(TlsContexts.server(options.tls()), alpn.getProtocol());
        return new ConnectionFactory[] {tls, alpn, h2, http11};
    }

    /** The bound address, with the actual port. */
    public InetSocketAddress address() {
        return new InetSocketAddress(connector.getHost(), connector.getLocalPort());
    }

    /** Whether it serves HTTPS. */
    public boolean secure() {
        return connector.getDefaultConnectionFactory() instanceof SslConnectionFactory;
    }

    /** How many connections are open now, refused ones included. */
    public int openConnections() {
        return connector.getConnectedEndPoints().size();
    }

    /** Waits until no exchange is with the MCP handler, or the grace period passed. */
    public void awaitIdle(Duration grace) {
        endpoint.awaitIdle(grace);
    }

    /** Stops listening and drops every connection. */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new UncheckedIOException(new IOException("stopping the MCP endpoint's server failed", e));
        }
    }

    private static void stopQuietly(Server server) {
        try {
            server.stop();
        } catch (Exception e) {
            // it did not start: nothing to keep
        }
    }
}
