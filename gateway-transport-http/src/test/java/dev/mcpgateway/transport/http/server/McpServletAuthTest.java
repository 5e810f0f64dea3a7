package dev.mcpgateway.transport.http.server;

import dev.mcpgateway.server.McpServer;
import java.nio.file.Path;
import org.apache.catalina.LifecycleException;
import org.junit.jupiter.api.io.TempDir;

/** Authentication at the servlet's front door, mapped to {@code /*} in a real container (embedded Tomcat). */
class McpServletAuthTest extends FrontDoorAuthContract {
    @TempDir
    Path baseDir;

    @Override
    FrontDoorContract.FrontDoor start(McpServer server, HttpFrontDoorOptions options) throws LifecycleException {
        return EmbeddedTomcat.servletAtRoot(baseDir, server, options);
    }
}
