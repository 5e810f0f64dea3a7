/**
 * W3C Trace Context for tool calls: the {@link dev.mcpgateway.trace.TraceContext} a call carries, accepted from
 * clients and passed on to plugins. The gateway needs no tracing library for it; a bridge to OpenTelemetry can read
 * the context of each call from an interceptor.
 */
package dev.mcpgateway.trace;
