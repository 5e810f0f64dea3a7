package dev.mcpgateway.transport.http.server;

import dev.mcpgateway.server.McpServer;
import java.net.URI;
import java.nio.file.Path;
import org.apache.catalina.LifecycleException;
import org.junit.jupiter.api.io.TempDir;

/** Registration latency and a live rule change under load, through the servlet in embedded Tomcat. */
class McpServletLiveRuleTest extends LiveRuleChangeContract {
    @TempDir
    Path baseDir;

    @Override
    FrontDoorContract.FrontDoor start(McpServer server, HttpFrontDoorOptions options) throws LifecycleException {
        EmbeddedTomcat tomcat = EmbeddedTomcat.start(baseDir, new McpServlet(server, options), "", "/*",
                connector -> { });
        return new FrontDoorContract.FrontDoor(URI.create("http://127.0.0.1:" + tomcat.port() + options.path()),
                tomcat);
    }
}
