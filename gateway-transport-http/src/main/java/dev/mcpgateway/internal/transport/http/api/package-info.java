/**
 * The JSON codecs of the management REST API: plugin registrations (the gateway's manifest or an MCP registry
 * {@code server.json}) and routing rules, read strictly with every bad field named by its JSON Pointer, and written
 * back in the same form. Not part of the public API.
 */
package dev.mcpgateway.internal.transport.http.api;
