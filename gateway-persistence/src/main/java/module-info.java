/** MCP Gateway persistence. */
module dev.mcpgateway.persistence {
    requires dev.mcpgateway.core;
}
