/**
 * The audit log's implementation: the lines ({@link dev.mcpgateway.internal.audit.AuditLines}), who made a change
 * ({@link dev.mcpgateway.internal.audit.Actors}) and the bounding of authentication failures. Not an API: exported
 * only to the HTTP transport, whose management API says who its callers are.
 */
package dev.mcpgateway.internal.audit;
