package dev.mcpgateway.transport.http.server;

import dev.mcpgateway.internal.transport.http.server.FrontDoorRouter;
import dev.mcpgateway.internal.transport.http.server.HttpExchangeAdapter;
import dev.mcpgateway.server.McpServer;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.MappingMatch;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The gateway's MCP endpoint as a Jakarta Servlet (6.0 or newer), for hosts that already run a servlet container
 * (Tomcat, Jetty, Spring Boot). Mapped to one exact path, e.g. {@code /mcp}, it serves the MCP endpoint there. Mapped
 * to a path prefix, e.g. {@code /*} or {@code /gateway/*}, it serves every route of {@link McpHttpServer} below it:
 * the MCP endpoint at the options' path, {@code /healthz}, {@code /readyz}, {@code /api/v1/gateway} and the
 * management REST API under {@code /api/v1} ({@link ManagementApiOptions}), with a 404 problem document for any other
 * path; an API route waiting for the gateway (a drain, a tool invocation) holds its container thread meanwhile, as a
 * streamed MCP answer does. It behaves exactly like {@link McpHttpServer}; the options' origins, allowed
 * hosts, CORS, size limit, keep-alive and streams per session apply, their host, port and connection limit do not
 * (the container decides; Tomcat's {@code maxConnections}, for one). The {@code Host} check is the servlet's own, not left to the container, which
 * answers any name it is reached by: list the names clients use in {@link HttpFrontDoorOptions#allowedHosts()}. Streams are written with blocking I/O: an open event stream holds one container thread
 * for its lifetime, so let the container use virtual threads (Tomcat {@code useVirtualThreads}, Spring Boot
 * {@code spring.threads.virtual.enabled}) or size its pool for the streams you expect. {@link #destroy} ends the
 * open streams; the {@link McpServer} stays open.
 *
 * <p>With {@link HttpFrontDoorOptions#auth()} set the servlet is an OAuth resource server as the built-in server is:
 * every MCP request and API route needs a bearer token, and under a prefix mapping it serves the protected-resource
 * metadata at {@code /.well-known/oauth-protected-resource}; mapped to one exact path it serves the endpoint alone, so
 * the host publishes the metadata. The validator is the host's to close.
 *
 * <p>HTTP framing, the request-head limit and the connection deadlines are the container's too: the options'
 * {@code maxRequestHeaderBytes}, {@code requestHeaderTimeout}, {@code requestBodyTimeout} and {@code idleTimeout}
 * do not apply. On Tomcat 11 (the container the tests run it in, with the whole strictness suite) set the connector's
 * {@code maxHttpRequestHeaderSize} (e.g. 8192), {@code connectionTimeout} (the head deadline, e.g. 10 s),
 * {@code disableUploadTimeout="false"} with {@code connectionUploadTimeout} (the body deadline, e.g. 60 s) and
 * {@code keepAliveTimeout} (the idle deadline), and leave {@code relaxedPathChars} and {@code relaxedQueryChars}
 * empty; Tomcat 11 always refuses illegal headers and a {@code Host} that disagrees with the request target. So set,
 * it refuses every ambiguous request the built-in server refuses, closing the connection, with these differences:
 * an oversized head is {@code 400} (not {@code 431}), an HTTP/2.0 request line {@code 505} (not {@code 426}), a
 * transfer coding other than chunked {@code 501}; a request with both {@code Content-Length} and
 * {@code Transfer-Encoding} is read by its chunked body alone and its connection then closed (RFC 9112 6.3); and an
 * obs-fold (a header line continued on the next) is unfolded into spaces rather than refused (RFC 9112 5.2 allows
 * either). Two things remain the host's: Tomcat's deadlines are per read, not totals, so a client trickling a byte
 * within each keeps a head or body open (put a proxy with a total request deadline in front, e.g. HAProxy's
 * {@code timeout http-request}); and a proxy in front must itself refuse or unfold obs-folds, so it and Tomcat never
 * read one request's headers differently.
 */
// The servlet types in its signatures are deliberately not re-exported (the module reads jakarta.servlet statically):
// a host that mounts the servlet has a container, and requires jakarta.servlet itself; no other host needs the API.
@SuppressWarnings("exports")
public final class McpServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient FrontDoorRouter handler;
    private final String endpointPath;

    /** A servlet with the default origins (local pages only), size limit, keep-alive and streams per session. */
    public McpServlet(McpServer server) {
        this(server, HttpFrontDoorOptions.defaults());
    }

    /** A servlet with the given origins, size limit, keep-alive interval and streams per session. */
    public McpServlet(McpServer server, HttpFrontDoorOptions options) {
        this.handler = new FrontDoorRouter(server, options);
        this.endpointPath = options.path();
    }

    /** Answers every method and path: the MCP endpoint's per the MCP transport, the gateway's own routes theirs. */
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) {
        handler.handle(new ServletExchange(request, response, routePath(request)));
    }

    /**
     * The route a request asks for: an exact mapping is the MCP endpoint, whatever its path (as hosts have mapped this
     * servlet all along); below a prefix mapping the path after the prefix, and the whole path for the default one.
     */
    private String routePath(HttpServletRequest request) {
        if (request.getHttpServletMapping().getMappingMatch() == MappingMatch.EXACT) {
            return endpointPath;
        }
        return request.getPathInfo() != null ? request.getPathInfo() : request.getServletPath();
    }

    /** Ends every open stream and waiting request. */
    @Override
    public void destroy() {
        handler.close();
        super.destroy();
    }

    /** One servlet request and response. */
    private static final class ServletExchange implements HttpExchangeAdapter {
        private final HttpServletRequest request;
        private final HttpServletResponse response;
        private final String path;

        ServletExchange(HttpServletRequest request, HttpServletResponse response, String path) {
            this.request = request;
            this.response = response;
            this.path = path;
        }

        @Override
        public String path() {
            return path;
        }

        @Override
        public String query() {
            return request.getQueryString();
        }

        @Override
        public String method() {
            return request.getMethod();
        }

        @Override
        public String header(String name) {
            return request.getHeader(name);
        }

        @Override
        public String clientAddress() {
            return request.getRemoteAddr();
        }

        @Override
        public InputStream body() throws IOException {
            return request.getInputStream();
        }

        @Override
        public void setHeader(String name, String value) {
            if ("Content-Type".equalsIgnoreCase(name)) {
                response.setContentType(value);
            } else {
                response.setHeader(name, value);
            }
        }

        @Override
        public void send(int status, byte[] body) throws IOException {
            response.setStatus(status);
            if (body.length > 0) {
                response.setContentLength(body.length);
                response.getOutputStream().write(body);
            }
            response.flushBuffer();
        }

        @Override
        public OutputStream stream(int status) throws IOException {
            response.setStatus(status);
            OutputStream out = response.getOutputStream();
            response.flushBuffer();
            return out;
        }

        @Override
        public boolean isCommitted() {
            return response.isCommitted();
        }
    }
}
