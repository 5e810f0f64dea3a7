/**
 * PostgreSQL registry store and Redis routing cache and cross-instance events.
 */
package dev.mcpgateway.persistence;
