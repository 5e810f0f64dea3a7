/**
 * Runnable examples: the standalone gateway, an embedding host and demo plugins.
 */
package dev.mcpgateway.examples;
