package dev.mcpgateway.transport.http.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.server.McpServer;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.junit.jupiter.api.io.TempDir;

/**
 * The strictness suite against the servlet in embedded Tomcat. The framing, the head limit and the deadlines are
 * the container's, not the servlet's: the connector is set up as strictly as Tomcat allows, the settings
 * {@link McpServlet}'s Javadoc recommends to hosts. Its deadlines are per read ({@code connectionTimeout} for a
 * head, {@code connectionUploadTimeout} for a body, {@code keepAliveTimeout} between requests), not totals: a
 * stalled client is cut off, one trickling a byte within each deadline is not, so the built-in server's trickling
 * cases ({@link McpHttpServerStrictnessTest}) have no counterpart here; that limit is the host's to set in front of
 * the container.
 */
class McpServletStrictnessTest extends HttpStrictnessContract {
    @TempDir
    Path baseDir;

    @Override
    Door start(McpServer server) throws LifecycleException {
        EmbeddedTomcat tomcat = EmbeddedTomcat.start(baseDir, new McpServlet(server), "", "/mcp",
                McpServletStrictnessTest::configureStrictly);
        return new Door(new InetSocketAddress("127.0.0.1", tomcat.port()), tomcat);
    }

    /**
     * Where Tomcat answers otherwise than the strict front door, and why that is still safe. No connector setting
     * changes any of these.
     */
    @Override
    Answer expected(String what, int strict) {
        return switch (what) {
            // Tomcat answers an oversized head with 400, not 431, and closes.
            case "a request head beyond the limit" -> Answer.refused(400);
            // Tomcat refuses every major version but 1 alike, with 505.
            case "HTTP/2.0 in an HTTP/1 request line" -> Answer.refused(505);
            // A transfer coding Tomcat does not implement is 501 (RFC 9112 6.1), and the connection is closed.
            case "chunked not final (RFC 9112 6.3)" -> Answer.refused(501);
            // RFC 9112 6.3 lets a server read the body by Transfer-Encoding alone if it then closes the
            // connection: Tomcat does, so the body is unambiguous (an empty chunked one, which the servlet
            // answers with 415 for its missing Content-Type) and the smuggled request is never answered.
            case "Content-Length with Transfer-Encoding" -> Answer.refused(415);
            // RFC 9112 5.2 lets a server replace an obs-fold with spaces instead of refusing it: Tomcat does, so
            // the request is one well-formed GET (406 from the servlet, it lacks Accept: text/event-stream) and
            // what follows it is served as the next request. Safe for Tomcat itself; a proxy in front that
            // reads the fold differently is the host's to rule out (see McpServlet).
            case "an obs-fold" -> new Answer(406, false);
            default -> super.expected(what, strict);
        };
    }

    /**
     * Tomcat 11 has no setting left to relax its header parsing: illegal headers are always refused and a Host
     * that disagrees with the request target always is 400 ({@code rejectIllegalHeader} and
     * {@code allowHostHeaderMismatch} were removed), and {@code relaxedPathChars}/{@code relaxedQueryChars} stay
     * empty. What remains to choose are the head limit and the deadlines.
     */
    private static void configureStrictly(Connector connector) {
        Map<String, String> settings = Map.of(
                "maxHttpRequestHeaderSize", Integer.toString(MAX_HEAD_BYTES),
                "connectionTimeout", Long.toString(HEADER_TIMEOUT.toMillis()),
                "keepAliveTimeout", Long.toString(IDLE_TIMEOUT.toMillis()),
                "disableUploadTimeout", "false",
                "connectionUploadTimeout", Long.toString(BODY_TIMEOUT.toMillis()));
        settings.forEach((name, value) -> assertTrue(connector.setProperty(name, value), name + " is a setting"));
    }
}
