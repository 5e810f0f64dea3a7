package dev.mcpgateway.transport.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.McpGateway;
import dev.mcpgateway.auth.Principal;
import dev.mcpgateway.auth.TokenValidator;
import dev.mcpgateway.server.McpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /dashboard} over real HTTP on loopback: the page, its script and style sheet served from the jar with a
 * policy that admits only this origin; served without a token where the API needs one (the page asks for it, and the
 * API it polls still refuses without it); not served with the API off.
 */
class DashboardRouteTest {
    /** Refuses every token: the test only needs to see that the dashboard's resources ask for none. */
    private static final TokenValidator REFUSING = new TokenValidator() {
        @Override
        public Principal validate(String bearerToken) {
            throw new UnsupportedOperationException("not called without a token");
        }

        @Override
        public void close() {
        }
    };

    private final HttpClient http = HttpClient.newHttpClient();
    private McpGateway gateway;
    private McpServer server;
    private McpHttpServer front;

    @AfterEach
    void close() {
        front.close();
        server.close();
        gateway.close();
    }

    private String start(HttpFrontDoorOptions.Builder options) throws Exception {
        gateway = McpGateway.builder().build();
        server = McpServer.create(gateway);
        front = McpHttpServer.start(server, options.port(0).build());
        return "http://127.0.0.1:" + front.address().getPort();
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void thePageItsScriptAndStyleAreServedFromTheJar() throws Exception {
        String base = start(HttpFrontDoorOptions.builder());
        assertServed(get(base + "/dashboard"), "text/html", "<script src=\"dashboard/dashboard.js\"");
        assertServed(get(base + "/dashboard/dashboard.js"), "text/javascript", "api/v1/metrics");
        assertServed(get(base + "/dashboard/dashboard.css"), "text/css", "font");
        assertEquals(404, get(base + "/dashboard/other.js").statusCode());
    }

    @Test
    void withAuthenticationThePageNeedsNoTokenButTheApiItReadsDoes() throws Exception {
        String base = start(HttpFrontDoorOptions.builder().auth(FrontDoorAuth.builder(REFUSING).build()));
        assertServed(get(base + "/dashboard"), "text/html", "id=\"token\"");
        assertEquals(401, get(base + "/api/v1/plugins").statusCode());
    }

    @Test
    void notServedWithTheApiOff() throws Exception {
        String base = start(HttpFrontDoorOptions.builder().managementApi(ManagementApiOptions.disabled()));
        assertEquals(404, get(base + "/dashboard").statusCode());
    }

    private static void assertServed(HttpResponse<String> reply, String type, String content) {
        assertEquals(200, reply.statusCode(), reply.body());
        assertTrue(reply.headers().firstValue("Content-Type").orElseThrow().startsWith(type),
                reply.headers().map().toString());
        assertTrue(reply.headers().firstValue("Content-Security-Policy").orElseThrow().contains("script-src 'self'"));
        assertEquals("nosniff", reply.headers().firstValue("X-Content-Type-Options").orElseThrow());
        assertTrue(reply.body().contains(content), reply.body());
    }
}
