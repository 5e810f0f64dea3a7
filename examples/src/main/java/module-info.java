/** MCP Gateway examples. */
module dev.mcpgateway.examples {
    requires dev.mcpgateway.core;
}
