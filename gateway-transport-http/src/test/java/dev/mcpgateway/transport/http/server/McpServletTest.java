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
 * The endpoint as a servlet mounted in a real container (embedded Tomcat on 127.0.0.1): the whole contract, so the
 * servlet behaves exactly like the JDK server, plus a mapping under a context path.
 */
class McpServletTest extends FrontDoorContract {
    @TempDir
    Path baseDir;

    @Override
    FrontDoor start(McpServer server, HttpFrontDoorOptions options) throws LifecycleException {
        return mount(server, options, "", "/mcp");
    }

    private FrontDoor mount(McpServer server, HttpFrontDoorOptions options, String contextPath, String mapping)
            throws LifecycleException {
        EmbeddedTomcat tomcat = EmbeddedTomcat.start(baseDir, new McpServlet(server, options), contextPath, mapping,
                connector -> { });
        return new FrontDoor(URI.create("http://127.0.0.1:" + tomcat.port() + contextPath + mapping), tomcat);
    }

    @Test
    void worksUnderAContextPath() throws Exception {
        FrontDoor door = mount(server, testOptions().build(), "/app", "/api/mcp");
        try (McpHttp client = new McpHttp(door.endpoint())) {
            String session = client.initialize(V0618);
            Reply sum = client.call(session, V0618, "tools/call",
                    "{\"name\":\"calc__add\",\"arguments\":{\"a\":20,\"b\":22}}");
            assertEquals("42", sum.result().path("content").path(0).path("text").asText(), sum.body());
        } finally {
            door.stopper().close();
        }
    }
}
