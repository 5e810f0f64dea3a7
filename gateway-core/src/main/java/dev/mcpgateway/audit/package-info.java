/**
 * The audit log: who changed what in the registry, health transitions, and clients that failed to authenticate, as
 * one line per event on the logger {@link dev.mcpgateway.audit.AuditLog#LOGGER}, and as rows of the registry store's
 * audit trail when it keeps one. See {@code docs/AUDIT.md}.
 */
package dev.mcpgateway.audit;
