/**
 * Implementation details of the gateway's Streamable HTTP endpoint: the server-neutral handler, the event-stream
 * writer and the origin allow-list. Not part of the public API.
 */
package dev.mcpgateway.internal.transport.http.server;
