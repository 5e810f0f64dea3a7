package dev.mcpgateway.examples;

import jakarta.servlet.Servlet;
import java.net.URI;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

/**
 * Embedded Tomcat on 127.0.0.1 (ephemeral port) serving one asynchronous servlet at {@code /mcp}: where the tests
 * run plugins built with the official MCP Java SDK's servlet transports.
 */
final class EmbeddedTomcat implements AutoCloseable {
    // Tomcat logs its start and stop at INFO through java.util.logging; held strongly so the level sticks. Its
    // web-app loader also warns on stop about the SDK's Reactor threads, which are JVM-wide on purpose.
    private static final Logger TOMCAT_LOG = Logger.getLogger("org.apache");

    static {
        TOMCAT_LOG.setLevel(Level.SEVERE);
    }

    private final Tomcat tomcat = new Tomcat();
    private final URI uri;

    /** Starts serving {@code servlet}; Tomcat keeps its work files under {@code baseDir}. */
    EmbeddedTomcat(Path baseDir, Servlet servlet) throws LifecycleException {
        tomcat.setBaseDir(baseDir.toString());
        Connector connector = new Connector("HTTP/1.1");
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        tomcat.setConnector(connector);
        Context context = tomcat.addContext("", null);
        // Annotations are not scanned for a servlet added as an instance; the SDK's transports answer asynchronously.
        Tomcat.addServlet(context, "mcp", servlet).setAsyncSupported(true);
        context.addServletMapping("/mcp", "mcp");
        try {
            tomcat.start();
        } catch (LifecycleException | RuntimeException e) {
            close();
            throw e;
        }
        uri = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/mcp");
    }

    /** The servlet's URL. */
    URI uri() {
        return uri;
    }

    /** Stops and destroys the server. */
    @Override
    public void close() {
        try {
            tomcat.stop();
            tomcat.destroy();
        } catch (LifecycleException e) {
            throw new IllegalStateException("embedded Tomcat did not stop", e);
        }
    }
}
