/** Implementation details of the stdio transport: line framing and process-tree shutdown. Not an API. */
package dev.mcpgateway.internal.transport.stdio;
