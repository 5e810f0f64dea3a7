package dev.mcpgateway.transport.http.server;

import dev.mcpgateway.server.McpServer;
import java.nio.file.Path;
import org.apache.catalina.LifecycleException;
import org.junit.jupiter.api.io.TempDir;

/** Registration latency and a live rule change under load, through the servlet in embedded Tomcat. */
class McpServletLiveRuleTest extends LiveRuleChangeContract {
    @TempDir
    Path baseDir;

    @Override
    FrontDoorContract.FrontDoor start(McpServer server, HttpFrontDoorOptions options) throws LifecycleException {
        return EmbeddedTomcat.servletAtRoot(baseDir, server, options);
    }
}
