/** MCP Gateway transport.stdio. */
module dev.mcpgateway.transport.stdio {
    requires dev.mcpgateway.core;
}
