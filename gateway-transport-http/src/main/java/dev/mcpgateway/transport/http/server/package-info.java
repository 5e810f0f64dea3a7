/**
 * The gateway's own MCP endpoint over Streamable HTTP, for its clients: run it on its own built-in HTTP/1.1 server
 * ({@link dev.mcpgateway.transport.http.server.McpHttpServer}) or mount it in a servlet container
 * ({@link dev.mcpgateway.transport.http.server.McpServlet}); both behave the same.
 */
package dev.mcpgateway.transport.http.server;
