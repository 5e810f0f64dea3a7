/**
 * The standalone gateway: {@code java -jar mcp-gateway.jar [--config FILE] [--stdio]} reads a YAML configuration
 * ({@link dev.mcpgateway.examples.runner.ConfigLoader}), starts the plugins it lists and serves them as one MCP
 * server over Streamable HTTP or stdio ({@link dev.mcpgateway.examples.runner.GatewayRunner}). It then keeps the
 * gateway in step with the file: a saved edit or SIGHUP is validated whole and applied as a diff
 * ({@link dev.mcpgateway.examples.runner.ConfigDiff}) without dropping client sessions; docs/CONFIGURATION.md lists every
 * key and environment variable.
 * {@code java -jar mcp-gateway.jar register ...} keeps a plugin registered with a running gateway instead.
 */
package dev.mcpgateway.examples.runner;
