package dev.mcpgateway.examples;

import dev.mcpgateway.GatewayConfig;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.event.GatewayEvent;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.server.McpServer;
import dev.mcpgateway.testing.Await;
import dev.mcpgateway.transport.CallOptions;
import dev.mcpgateway.transport.http.HttpTransport;
import dev.mcpgateway.transport.http.server.HttpFrontDoorOptions;
import dev.mcpgateway.transport.http.server.McpHttpServer;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;

/**
 * A gateway that plugins register with over its management API, for tests: an {@link McpGateway} reaching plugins
 * over Streamable HTTP, checking leases every 100 ms and evicting every lapsed one, behind {@link McpHttpServer} on
 * 127.0.0.1. Records every control-plane event with the time it arrived, across {@link #restart restarts}.
 */
public final class RegistrationFrontDoor implements AutoCloseable {
    /** How often the gateway looks for lapsed leases. */
    public static final Duration LEASE_CHECK = Duration.ofMillis(100);

    /**
     * An event and when the test saw it.
     *
     * @param nanos {@link System#nanoTime()} on arrival
     */
    public record Timed(long nanos, GatewayEvent event) {
    }

    private final List<Timed> events = new CopyOnWriteArrayList<>();
    private McpGateway gateway;
    private McpServer server;
    private McpHttpServer http;

    private RegistrationFrontDoor() {
    }

    /** Starts one on a free port. */
    public static RegistrationFrontDoor start() throws IOException {
        RegistrationFrontDoor door = new RegistrationFrontDoor();
        door.open(0);
        return door;
    }

    private void open(int port) throws IOException {
        gateway = McpGateway.builder()
                .config(GatewayConfig.builder().leaseCheckInterval(LEASE_CHECK).leaseEvictionMaxShare(1.0)
                        .callTimeout(Duration.ofSeconds(15)).build())
                .transport(new HttpTransport())
                .listener(event -> events.add(new Timed(System.nanoTime(), event)))
                .build();
        server = McpServer.create(gateway);
        try {
            http = McpHttpServer.start(server, HttpFrontDoorOptions.builder().host("127.0.0.1").port(port).build());
        } catch (IOException | RuntimeException e) {
            Closing.all(server, gateway);
            throw e;
        }
    }

    /** The gateway's base URI, under which its API is: {@code http://127.0.0.1:<port>}. */
    public URI base() {
        return URI.create("http://127.0.0.1:" + http.address().getPort());
    }

    /** Its MCP endpoint. */
    public URI endpoint() {
        return http.endpoint();
    }

    /** The gateway behind it now. */
    public McpGateway gateway() {
        return gateway;
    }

    /** The instance as the gateway knows it now. */
    public Optional<PluginInstance> instance(String id) {
        return gateway.registry().instance(id);
    }

    /**
     * Whether the gateway has connected to the instance: a {@code tools/list} forwarded to it answers. Forwarded requests
     * bypass the call pipeline, so asking does not count towards the instance's outlier detection as a failed tool
     * call would.
     */
    public boolean connected(String id) {
        try {
            gateway.forward(id, "tools/list", Json.object(), CallOptions.timeout(Duration.ofSeconds(2))).get();
            return true;
        } catch (ExecutionException notYet) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Stops the gateway and starts a new one, knowing nothing, on the same port. */
    public void restart() throws IOException {
        int port = http.address().getPort();
        Closing.all(http, server, gateway);
        open(port);
    }

    /** The events of one type so far, across restarts, oldest first. */
    public <T extends GatewayEvent> List<T> events(Class<T> type) {
        return events.stream().map(Timed::event).filter(type::isInstance).map(type::cast).toList();
    }

    /**
     * Waits for an event of one type about the instance. Listeners hear of a change just after it is made, so a test
     * that saw the registry change may not have the event yet.
     */
    public <T extends GatewayEvent> void awaitEvent(Class<T> type, String id, Duration timeout) {
        Await.until("a " + type.getSimpleName() + " event for " + id, timeout,
                () -> ids(type).contains(id));
    }

    /** The ids of the instances that events of one type were about so far, oldest first. */
    public List<String> ids(Class<? extends GatewayEvent> type) {
        return events.stream().map(Timed::event).filter(type::isInstance).map(RegistrationFrontDoor::instanceId)
                .toList();
    }

    private static String instanceId(GatewayEvent event) {
        return switch (event) {
            case GatewayEvent.InstanceRegistered e -> e.instance().id();
            case GatewayEvent.InstanceDeregistered e -> e.instance().id();
            case GatewayEvent.LeaseExpired e -> e.instance().id();
            case GatewayEvent.StatusChanged e -> e.instance().id();
            case GatewayEvent.HealthChanged e -> e.instance().id();
            case GatewayEvent.ManifestChanged e -> e.instance().id();
            case GatewayEvent.RoutingTableUpdated e -> null;
        };
    }

    /** The events of one type so far with their arrival times, oldest first. */
    public List<Timed> timed(Class<? extends GatewayEvent> type) {
        return events.stream().filter(timed -> type.isInstance(timed.event())).toList();
    }

    @Override
    public void close() {
        Closing.all(http, server, gateway);
    }
}
