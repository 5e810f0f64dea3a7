/**
 * Implementation details of the stdio transport: line framing, the environment plugins get and process-tree
 * shutdown. Not an API.
 */
package dev.mcpgateway.internal.transport.stdio;
