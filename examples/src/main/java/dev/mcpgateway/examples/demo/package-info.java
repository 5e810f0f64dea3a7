/**
 * Demo plugins built with MCP Gateway itself, so that each is a real MCP server: {@link
 * dev.mcpgateway.examples.demo.FilesPlugin} (stdio) and {@link dev.mcpgateway.examples.demo.ClockPlugin} (Streamable
 * HTTP). The standalone runner starts them when it has no configuration.
 */
package dev.mcpgateway.examples.demo;
