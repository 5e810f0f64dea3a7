/** Implementation details of serving the gateway over stdio: output framing and oversized-line triage. Not an API. */
package dev.mcpgateway.internal.transport.stdio.server;
