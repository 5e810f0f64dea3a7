package dev.mcpgateway.transport.http.server;

import dev.mcpgateway.server.McpServer;
import jakarta.servlet.http.HttpServlet;
import java.net.URI;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

/**
 * A servlet mounted in an embedded Tomcat on 127.0.0.1 and an ephemeral port, for the tests that run a front door
 * as a servlet. Closing it destroys the servlet (ending open streams now rather than after Tomcat's unload delay)
 * and stops Tomcat.
 */
final class EmbeddedTomcat implements AutoCloseable {
    // Tomcat logs its start and stop at INFO through java.util.logging; held strongly so the levels stick.
    private static final Logger TOMCAT_LOG = Logger.getLogger("org.apache");
    // On stop the web-app class loader warns about JVM-wide threads it did not start (the common pool's).
    private static final Logger LEAK_CHECK_LOG = Logger.getLogger("org.apache.catalina.loader");

    static {
        TOMCAT_LOG.setLevel(Level.WARNING);
        LEAK_CHECK_LOG.setLevel(Level.SEVERE);
    }

    private final Tomcat tomcat;
    private final HttpServlet servlet;
    private final Connector connector;

    private EmbeddedTomcat(Tomcat tomcat, HttpServlet servlet, Connector connector) {
        this.tomcat = tomcat;
        this.servlet = servlet;
        this.connector = connector;
    }

    /** Starts Tomcat under the base directory with the servlet at the mapping, the connector configured first. */
    static EmbeddedTomcat start(Path baseDir, HttpServlet servlet, String contextPath, String mapping,
                                Consumer<Connector> configure) throws LifecycleException {
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(baseDir.resolve("tomcat-" + System.nanoTime()).toString());
        Connector connector = new Connector("HTTP/1.1");
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        configure.accept(connector);
        tomcat.setConnector(connector);
        Context context = tomcat.addContext(contextPath, null);
        Tomcat.addServlet(context, "servlet", servlet);
        context.addServletMapping(mapping, "servlet");
        tomcat.start();
        return new EmbeddedTomcat(tomcat, servlet, connector);
    }

    /**
     * A front door for a contract test: the server's {@link McpServlet} mapped to {@code /*} at the root, so every
     * route is served where the built-in server serves it.
     */
    static FrontDoorContract.FrontDoor servletAtRoot(Path baseDir, McpServer server, HttpFrontDoorOptions options)
            throws LifecycleException {
        EmbeddedTomcat tomcat = start(baseDir, new McpServlet(server, options), "", "/*", connector -> { });
        return new FrontDoorContract.FrontDoor(URI.create("http://127.0.0.1:" + tomcat.port() + options.path()),
                tomcat);
    }

    /** The port Tomcat listens on. */
    int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() throws LifecycleException {
        servlet.destroy();
        tomcat.stop();
        tomcat.destroy();
    }
}
