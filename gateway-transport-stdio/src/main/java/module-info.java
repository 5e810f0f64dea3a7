/** MCP Gateway transport.stdio: plugin servers launched as child processes, speaking JSON-RPC over stdin/stdout. */
module dev.mcpgateway.transport.stdio {
    // Its API speaks in core types (MessageChannel, TransportSpec, JsonRpcMessage).
    requires transitive dev.mcpgateway.core;
    requires org.slf4j;

    exports dev.mcpgateway.transport.stdio;
    exports dev.mcpgateway.transport.stdio.server;
}
