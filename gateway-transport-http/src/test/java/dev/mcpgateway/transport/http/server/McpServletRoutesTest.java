package dev.mcpgateway.transport.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcpgateway.server.McpServer;
import dev.mcpgateway.transport.http.server.McpHttp.Reply;
import java.net.URI;
import java.nio.file.Path;
import org.apache.catalina.LifecycleException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway's own routes in the servlet, mapped to {@code /*} in a real container (embedded Tomcat): the whole
 * contract, plus a prefix mapping under a context path.
 */
class McpServletRoutesTest extends GatewayRoutesContract {
    @TempDir
    Path baseDir;

    @Override
    FrontDoorContract.FrontDoor start(McpServer server, HttpFrontDoorOptions options) throws LifecycleException {
        return EmbeddedTomcat.servletAtRoot(baseDir, server, options);
    }

    @Test
    void aPrefixMappingServesEveryRouteBelowIt() throws Exception {
        McpServlet servlet = new McpServlet(server(), FrontDoorContract.testOptions().build());
        try (EmbeddedTomcat tomcat = EmbeddedTomcat.start(baseDir, servlet, "/app", "/gw/*", connector -> { });
             McpHttp mcp = new McpHttp(URI.create("http://127.0.0.1:" + tomcat.port() + "/app/gw/mcp"));
             McpHttp health = new McpHttp(URI.create("http://127.0.0.1:" + tomcat.port() + "/app/gw/healthz"))) {
            Reply live = health.send(health.plain("GET"));
            assertEquals(200, live.status(), live.body());
            Reply listed = mcp.send(mcp.stateless("tools/list", null));
            assertEquals(200, listed.status(), listed.body());
        }
    }
}
