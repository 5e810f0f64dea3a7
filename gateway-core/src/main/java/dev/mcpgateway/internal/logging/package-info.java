/**
 * Implementation details shared by the gateway's modules for logging: what plugins make it log, bounded, and the
 * {@code key=value} lines of the access and audit logs. Not an API: exported only to the gateway's transport modules.
 */
package dev.mcpgateway.internal.logging;
