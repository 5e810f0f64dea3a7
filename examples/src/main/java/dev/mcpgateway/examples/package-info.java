/**
 * Runnable examples: the standalone gateway, an embedding host, demo plugins and a plugin that registers itself.
 */
package dev.mcpgateway.examples;
