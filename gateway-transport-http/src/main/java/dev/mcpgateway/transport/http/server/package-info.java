/**
 * The gateway's own MCP endpoint over Streamable HTTP, for its clients: run it on its own built-in server (Jetty: HTTP/1.1, HTTP/2, TLS)
 * ({@link dev.mcpgateway.transport.http.server.McpHttpServer}) or mount it in a servlet container
 * ({@link dev.mcpgateway.transport.http.server.McpServlet}); both behave the same.
 */
package dev.mcpgateway.transport.http.server;
