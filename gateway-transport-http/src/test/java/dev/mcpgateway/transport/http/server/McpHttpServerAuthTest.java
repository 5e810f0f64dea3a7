package dev.mcpgateway.transport.http.server;

import dev.mcpgateway.server.McpServer;
import java.io.IOException;

/** Authentication at the built-in server's front door. */
class McpHttpServerAuthTest extends FrontDoorAuthContract {
    @Override
    FrontDoorContract.FrontDoor start(McpServer server, HttpFrontDoorOptions options) throws IOException {
        McpHttpServer running = McpHttpServer.start(server, options);
        return new FrontDoorContract.FrontDoor(running.endpoint(), running);
    }
}
