/** MCP Gateway transport.stdio: plugin servers launched as child processes, speaking JSON-RPC over stdin/stdout. */
module dev.mcpgateway.transport.stdio {
    requires dev.mcpgateway.core;
    requires org.slf4j;

    exports dev.mcpgateway.transport.stdio;
}
