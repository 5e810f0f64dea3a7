/**
 * MCP Gateway's Streamable HTTP transport toward plugins, with fallback to the legacy HTTP+SSE transport, and the
 * gateway's own Streamable HTTP endpoint for its clients (a built-in Jetty server, or a servlet when one is present).
 */
module dev.mcpgateway.transport.http {
    requires transitive dev.mcpgateway.core;
    requires transitive java.net.http;
    // Static, and not transitive: only McpServlet uses it, and only a host with a servlet container loads that class;
    // such a host requires jakarta.servlet itself. Every other host compiles and runs without the API.
    requires static jakarta.servlet;
    requires org.slf4j;
    requires org.eclipse.jetty.server;
    requires org.eclipse.jetty.http2.server;
    requires org.eclipse.jetty.alpn.server;

    exports dev.mcpgateway.transport.http;
    exports dev.mcpgateway.transport.http.server;
}
