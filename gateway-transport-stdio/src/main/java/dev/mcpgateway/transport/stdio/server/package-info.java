/**
 * The gateway served as one MCP server over stdin/stdout, the way desktop clients (Claude Desktop, Cursor) launch
 * MCP servers: see {@link dev.mcpgateway.transport.stdio.server.StdioServer}.
 */
package dev.mcpgateway.transport.stdio.server;
