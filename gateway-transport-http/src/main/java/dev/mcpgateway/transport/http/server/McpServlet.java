package dev.mcpgateway.transport.http.server;

import dev.mcpgateway.internal.transport.http.server.HttpExchangeAdapter;
import dev.mcpgateway.internal.transport.http.server.McpHttpHandler;
import dev.mcpgateway.server.McpServer;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The gateway's MCP endpoint as a Jakarta Servlet (6.0 or newer), for hosts that already run a servlet container
 * (Tomcat, Jetty, Spring Boot): map it to the endpoint path, e.g. {@code /mcp}. It behaves exactly like
 * {@link McpHttpServer}; the options' origins, allowed hosts, CORS, size limit, keep-alive and streams per session
 * apply, their host, port, path and connection limit do not (the container decides; Tomcat's
 * {@code maxConnections}, for one). The {@code Host} check is the servlet's own, not left to the container, which
 * answers any name it is reached by: list the names clients use in {@link HttpFrontDoorOptions#allowedHosts()}. Streams are written with blocking I/O: an open event stream holds one container thread
 * for its lifetime, so let the container use virtual threads (Tomcat {@code useVirtualThreads}, Spring Boot
 * {@code spring.threads.virtual.enabled}) or size its pool for the streams you expect. {@link #destroy} ends the
 * open streams; the {@link McpServer} stays open.
 */
public final class McpServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient McpHttpHandler handler;

    /** A servlet with the default origins (local pages only), size limit, keep-alive and streams per session. */
    public McpServlet(McpServer server) {
        this(server, HttpFrontDoorOptions.defaults());
    }

    /** A servlet with the given origins, size limit, keep-alive interval and streams per session. */
    public McpServlet(McpServer server, HttpFrontDoorOptions options) {
        this.handler = new McpHttpHandler(server, options);
    }

    /** Answers every method: POST, GET and DELETE per the MCP transport, 405 for the others. */
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) {
        handler.handle(new ServletExchange(request, response));
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

        ServletExchange(HttpServletRequest request, HttpServletResponse response) {
            this.request = request;
            this.response = response;
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
