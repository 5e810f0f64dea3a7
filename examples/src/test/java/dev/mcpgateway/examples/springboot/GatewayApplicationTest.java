package dev.mcpgateway.examples.springboot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mcpgateway.McpGateway;
import dev.mcpgateway.examples.SdkClients;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcException;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@link GatewayApplication} started with Spring on a free port: an MCP client calls the bean's tool through the
 * mounted servlet, the gateway's own routes answer below it, and shutting the context down closes the gateway.
 */
@Timeout(120)
class GatewayApplicationTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    // Spring's logging system would reset java.util.logging for the whole test JVM, which other tests share. The
    // Tomcat it starts logs each start and stop at INFO, and its web-app loader warns on stop about the JVM-wide
    // threads of the SDK client and the JDK (the logger is held strongly so that the level sticks).
    private static final String LOGGING_SYSTEM = "org.springframework.boot.logging.LoggingSystem";
    private static final Logger TOMCAT_LOG = Logger.getLogger("org.apache");

    @BeforeAll
    static void quietLogging() {
        System.setProperty(LOGGING_SYSTEM, "none");
        TOMCAT_LOG.setLevel(Level.SEVERE);
    }

    @AfterAll
    static void restoreLogging() {
        System.clearProperty(LOGGING_SYSTEM);
    }

    @Test
    void servesTheBeansToolAtMcpAndClosesTheGatewayWithTheContext() throws Exception {
        McpGateway gateway;
        try (ConfigurableApplicationContext context = GatewayApplication.start("--server.port=0",
                "--spring.main.banner-mode=off", "--spring.main.log-startup-info=false")) {
            gateway = context.getBean(McpGateway.class);
            URI base = URI.create("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port"));

            McpSyncClient client = McpClient.sync(SdkClients.streamableHttp(base.resolve("/mcp")))
                    .requestTimeout(WAIT).build();
            try {
                client.initialize();
                assertEquals(List.of("greeter__hello"), SdkClients.toolNames(client));
                assertEquals("Hello, Ada, from Spring!",
                        SdkClients.callText(client, "greeter__hello", Map.of("name", "Ada")));
            } finally {
                client.closeGracefully();
            }

            try (HttpClient http = HttpClient.newHttpClient()) {
                HttpResponse<String> ready = http.send(HttpRequest.newBuilder(base.resolve("/mcp/readyz"))
                        .timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, ready.statusCode(), ready.body());
            }
        }

        CompletionException closed = assertThrows(CompletionException.class,
                () -> gateway.callTool("greeter__hello", Json.object()).join());
        assertEquals(ErrorCodes.GATEWAY_CLOSED, assertInstanceOf(JsonRpcException.class, closed.getCause()).code());
    }
}
