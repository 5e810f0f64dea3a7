/**
 * Implementation details of the Streamable HTTP transport: the server-sent-events parser and the MCP header
 * rules. Not part of the public API.
 */
package dev.mcpgateway.internal.transport.http;
