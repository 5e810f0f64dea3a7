package dev.mcpgateway.transport.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcpgateway.server.McpServer;
import dev.mcpgateway.transport.http.server.McpHttp.Reply;
import java.net.URI;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The endpoint as a servlet mounted in a real container (embedded Tomcat on 127.0.0.1): the whole contract, so the
 * servlet behaves exactly like the JDK server, plus a mapping under a context path.
 */
class McpServletTest extends FrontDoorContract {
    // Tomcat logs its start and stop at INFO through java.util.logging; held strongly so the levels stick.
    private static final Logger TOMCAT_LOG = Logger.getLogger("org.apache");
    // On stop the web-app class loader warns about JVM-wide threads it did not start (the common pool's).
    private static final Logger LEAK_CHECK_LOG = Logger.getLogger("org.apache.catalina.loader");

    static {
        TOMCAT_LOG.setLevel(Level.WARNING);
        LEAK_CHECK_LOG.setLevel(Level.SEVERE);
    }

    @TempDir
    Path baseDir;

    @Override
    FrontDoor start(McpServer server, HttpFrontDoorOptions options) throws LifecycleException {
        return mount(server, options, "", "/mcp");
    }

    private FrontDoor mount(McpServer server, HttpFrontDoorOptions options, String contextPath, String mapping)
            throws LifecycleException {
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(baseDir.resolve("tomcat-" + System.nanoTime()).toString());
        Connector connector = new Connector("HTTP/1.1");
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        tomcat.setConnector(connector);
        Context context = tomcat.addContext(contextPath, null);
        McpServlet servlet = new McpServlet(server, options);
        Tomcat.addServlet(context, "mcp", servlet);
        context.addServletMapping(mapping, "mcp");
        tomcat.start();
        URI endpoint = URI.create("http://127.0.0.1:" + connector.getLocalPort() + contextPath + mapping);
        return new FrontDoor(endpoint, () -> {
            servlet.destroy(); // ends open streams now rather than after Tomcat's unload delay
            tomcat.stop();
            tomcat.destroy();
        });
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
