package dev.mcpgateway.transport.http.server;

import dev.mcpgateway.server.McpServer;
import java.io.IOException;

/** The management API on the built-in server. */
class McpHttpServerApiTest extends ManagementApiContract {
    @Override
    FrontDoorContract.FrontDoor start(McpServer server, HttpFrontDoorOptions options) throws IOException {
        McpHttpServer running = McpHttpServer.start(server, options);
        return new FrontDoorContract.FrontDoor(running.endpoint(), running);
    }
}
