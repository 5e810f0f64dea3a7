package dev.mcpgateway.transport.http.server;

import dev.mcpgateway.server.McpServer;
import java.io.IOException;

/** The gateway's own routes on the built-in server. */
class McpHttpServerRoutesTest extends GatewayRoutesContract {
    @Override
    FrontDoorContract.FrontDoor start(McpServer server, HttpFrontDoorOptions options) throws IOException {
        McpHttpServer running = McpHttpServer.start(server, options);
        return new FrontDoorContract.FrontDoor(running.endpoint(), running);
    }
}
