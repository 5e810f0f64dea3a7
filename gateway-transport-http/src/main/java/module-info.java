/**
 * MCP Gateway's Streamable HTTP transport toward plugins, with fallback to the legacy HTTP+SSE transport.
 */
module dev.mcpgateway.transport.http {
    requires transitive dev.mcpgateway.core;
    requires transitive java.net.http;
    requires org.slf4j;

    exports dev.mcpgateway.transport.http;
}
