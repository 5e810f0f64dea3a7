/**
 * Streamable HTTP toward plugins and the gateway's own MCP endpoint and management API.
 */
package dev.mcpgateway.transport.http;
