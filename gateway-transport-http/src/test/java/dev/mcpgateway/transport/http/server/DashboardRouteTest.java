package dev.mcpgateway.transport.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.McpGateway;
import dev.mcpgateway.auth.ApiKey;
import dev.mcpgateway.auth.ApiKeys;
import dev.mcpgateway.auth.TokenValidator;
import dev.mcpgateway.auth.TokenValidators;
import dev.mcpgateway.server.McpServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code /dashboard} over real HTTP on loopback: the page, its script and style sheet served from the jar with a
 * policy that admits only this origin; served without a token where the API needs one (the page asks for it, and the
 * API it polls refuses without it and answers with it); not served with the API off.
 */
class DashboardRouteTest {
    private static final String KEY = "dashboard-test-key";

    private final HttpClient http = HttpClient.newHttpClient();

    /** A gateway with no plugins behind a front door on loopback, closed front door first. */
    private record Front(McpGateway gateway, McpServer server, McpHttpServer http) implements AutoCloseable {
        static Front start(HttpFrontDoorOptions.Builder options) throws IOException {
            McpGateway gateway = McpGateway.builder().build();
            McpServer server = McpServer.create(gateway);
            return new Front(gateway, server, McpHttpServer.start(server, options.port(0).build()));
        }

        String base() {
            return "http://127.0.0.1:" + http.address().getPort();
        }

        @Override
        public void close() {
            http.close();
            server.close();
            gateway.close();
        }
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void thePageItsScriptAndStyleAreServedFromTheJar() throws Exception {
        try (Front front = Front.start(HttpFrontDoorOptions.builder())) {
            String base = front.base();
            assertServed(get(base + "/dashboard"), "text/html", "<script src=\"dashboard/dashboard.js\"");
            assertServed(get(base + "/dashboard/dashboard.js"), "text/javascript", "api/v1/metrics");
            assertServed(get(base + "/dashboard/dashboard.css"), "text/css", "font");
            assertEquals(404, get(base + "/dashboard/other.js").statusCode());
        }
    }

    @Test
    void withAuthenticationThePageNeedsNoTokenButTheApiItReadsDoes() throws Exception {
        TokenValidator keys = TokenValidators.apiKeys(List.of(ApiKey.builder("dashboard", ApiKeys.sha256Hex(KEY))
                .scopes("gateway:read").build()));
        try (keys; Front front = Front.start(HttpFrontDoorOptions.builder()
                .auth(FrontDoorAuth.builder(keys).build()))) {
            String base = front.base();
            assertServed(get(base + "/dashboard"), "text/html", "id=\"token\"");
            assertEquals(401, get(base + "/api/v1/plugins").statusCode());
            assertEquals(401, get(base + "/api/v1/events").statusCode());
            assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/plugins"))
                    .header("Authorization", "Bearer " + KEY).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode());
        }
    }

    @Test
    void notServedWithTheApiOff() throws Exception {
        try (Front front = Front.start(HttpFrontDoorOptions.builder().managementApi(ManagementApiOptions.disabled()))) {
            assertEquals(404, get(front.base() + "/dashboard").statusCode());
        }
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
