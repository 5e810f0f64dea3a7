package dev.mcpgateway.transport.http.server;

import static dev.mcpgateway.transport.http.server.ApiClient.expect;
import static dev.mcpgateway.transport.http.server.ApiClient.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.server.McpServer;
import dev.mcpgateway.testing.MemoryRegistryStore;
import dev.mcpgateway.transport.http.server.McpHttp.Reply;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The management API of a gateway whose registry store is down: registering, renewing and deregistering answer
 * {@code 503} with {@code Retry-After} and change nothing, and work again once the store is back. The answer is made
 * by the routes' shared wait ({@code Waits}), the same under either server, so the built-in one carries the test.
 */
@Timeout(60)
class RegistryStoreApiTest extends ApiFixture {
    private final MemoryRegistryStore store = new MemoryRegistryStore();

    @Override
    FrontDoorContract.FrontDoor start(McpServer server, HttpFrontDoorOptions options) throws IOException {
        McpHttpServer running = McpHttpServer.start(server, options);
        return new FrontDoorContract.FrontDoor(running.endpoint(), running);
    }

    private ApiClient storedApi() throws Exception {
        McpGateway stored = McpGateway.builder().transport(plugins).registryStore(store).build();
        closeAfter(stored);
        McpServer storedServer = McpServer.create(stored);
        closeAfter(storedServer);
        gateway = stored; // the assertions below look at this gateway
        return open(storedServer, options().build());
    }

    private static void assertUnkept(Reply reply) {
        JsonNode problem = problem(503, reply);
        assertEquals("5", reply.header("Retry-After"));
        assertTrue(problem.path("detail").asText().contains("could not be stored"), problem.toString());
    }

    @Test
    void changesTheStoreCannotKeepAre503WithRetryAfterAndChangeNothing() throws Exception {
        McpGateway fixtureGateway = gateway;
        ApiClient client = storedApi();
        expect(201, client.send("POST", "api/v1/plugins", ManagementApiContract.WEATHER));
        assertEquals(List.of("weather-eu-1"), List.copyOf(store.kept().keySet()));

        store.down(true);
        String other = ManagementApiContract.WEATHER.replace("weather-eu-1", "weather-eu-2");
        assertUnkept(client.send("POST", "api/v1/plugins", other));
        assertUnkept(client.send("POST", "api/v1/plugins/weather-eu-1/heartbeat", null));
        assertUnkept(client.send("DELETE", "api/v1/plugins/weather-eu-1", null));
        assertFalse(gateway.registry().instance("weather-eu-2").isPresent(), "nothing half-registered");
        assertTrue(gateway.routingTable().routeByExposedName("weather__echo").isRoutable(),
                "routing goes on unchanged while the store is down");

        store.down(false);
        expect(201, client.send("POST", "api/v1/plugins", other));
        expect(200, client.send("POST", "api/v1/plugins/weather-eu-1/heartbeat", null));
        expect(200, client.send("DELETE", "api/v1/plugins/weather-eu-1", null));
        assertEquals(List.of("weather-eu-2"), List.copyOf(store.kept().keySet()));
        gateway = fixtureGateway; // closed by the fixture; the stored one by closeAfter
    }
}
