/** MCP Gateway transport.http. */
module dev.mcpgateway.transport.http {
    requires dev.mcpgateway.core;
}
