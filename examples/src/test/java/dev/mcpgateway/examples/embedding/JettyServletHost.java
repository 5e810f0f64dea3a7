package dev.mcpgateway.examples.embedding;

import dev.mcpgateway.server.McpServer;
import dev.mcpgateway.transport.http.server.McpServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.concurrent.Executors;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A host's own embedded Jetty 12 (EE 10, Servlet 6.0) serving MCP Gateway beside the host's servlets:
 * {@link McpServlet} mapped to {@code /mcp} exactly (the MCP endpoint alone; a prefix such as {@code /gateway/*}
 * would add the gateway's health and management routes), the host's own {@code /status} beside it. The host keeps
 * its Jetty; the gateway and its {@link McpServer} stay the caller's, to close after this. It lives in the test
 * sources so that Jetty's servlet modules stay out of the runner's jar (docs/EMBEDDING.md).
 */
public final class JettyServletHost implements AutoCloseable {
    private final Server jetty;
    private final ServerConnector connector;

    private JettyServletHost(Server jetty, ServerConnector connector) {
        this.jetty = jetty;
        this.connector = connector;
    }

    /**
     * Starts Jetty on 127.0.0.1.
     *
     * @param server the MCP server to serve at {@code /mcp}
     * @param port   the port, 0 for a free one
     * @throws Exception if Jetty does not start (it is stopped again)
     */
    public static JettyServletHost start(McpServer server, int port) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool();
        // McpServlet writes with blocking I/O, so an open event stream holds its request's thread for its lifetime:
        // each request runs on a virtual thread of its own, which makes that cheap.
        threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        Server jetty = new Server(threads);
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        jetty.addConnector(connector);

        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder("status", new StatusServlet()), "/status");
        context.addServlet(new ServletHolder("mcp", new McpServlet(server)), "/mcp");
        jetty.setHandler(context);
        try {
            jetty.start();
        } catch (Exception e) {
            jetty.stop();
            throw e;
        }
        return new JettyServletHost(jetty, connector);
    }

    /** The URL of {@code path} on this host, e.g. {@code uri("/mcp")}. */
    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + connector.getLocalPort() + path);
    }

    /** Stops Jetty, which destroys the servlets: McpServlet ends its open streams. */
    @Override
    public void close() throws Exception {
        jetty.stop();
    }

    /** One of the host's own servlets, served beside the gateway's. */
    private static final class StatusServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain");
            response.getWriter().write("host ok");
        }
    }
}
