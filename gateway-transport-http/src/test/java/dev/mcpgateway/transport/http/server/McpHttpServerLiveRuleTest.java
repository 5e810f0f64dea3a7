package dev.mcpgateway.transport.http.server;

import dev.mcpgateway.server.McpServer;
import java.io.IOException;

/** Registration latency and a live rule change under load, over the built-in server. */
class McpHttpServerLiveRuleTest extends LiveRuleChangeContract {
    @Override
    FrontDoorContract.FrontDoor start(McpServer server, HttpFrontDoorOptions options) throws IOException {
        McpHttpServer running = McpHttpServer.start(server, options);
        return new FrontDoorContract.FrontDoor(running.endpoint(), running);
    }
}
