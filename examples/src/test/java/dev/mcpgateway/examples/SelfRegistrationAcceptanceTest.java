package dev.mcpgateway.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.event.GatewayEvent.InstanceDeregistered;
import dev.mcpgateway.event.GatewayEvent.InstanceRegistered;
import dev.mcpgateway.event.GatewayEvent.LeaseExpired;
import dev.mcpgateway.examples.selfregistering.SelfRegisteringPlugin;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.plugin.RegistrationSource;
import dev.mcpgateway.testing.Await;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Acceptance of self-registration end to end: {@link SelfRegisteringPlugin} runs as a separate JVM, registers itself
 * with a real gateway over the management API, its tools in the manifest, and is routable at once and callable
 * through {@code /mcp} by the official MCP Java SDK client as soon as the gateway has connected to it (the times are
 * printed); it keeps its one-second lease renewed; killed without a word (SIGKILL), it is removed when its lease lapses
 * and the client, holding its event stream, hears {@code tools/list_changed}; stopped (SIGTERM), it deregisters at
 * once.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SelfRegistrationAcceptanceTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String ADD_NOTE = "notes__add_note";
    private static final List<String> NOTES_TOOLS = List.of(ADD_NOTE, "notes__list_notes");

    private final ChildProcesses processes = new ChildProcesses();
    private final BlockingQueue<List<String>> toolLists = new LinkedBlockingQueue<>();
    private RegistrationFrontDoor door;
    private McpSyncClient client;
    private Process plugin;
    /** Every plugin process started, stopped after the test whatever happened. */
    private final List<Process> started = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        door = RegistrationFrontDoor.start();
        client = McpClient.sync(SdkClients.streamableHttp(door.endpoint()))
                .clientInfo(McpSchema.Implementation.builder("self-registration", "1.0.0").build())
                .requestTimeout(WAIT)
                .initializationTimeout(WAIT)
                .toolsChangeConsumer(tools -> toolLists.add(SdkClients.names(tools)))
                .build();
        client.initialize();
        assertEquals(List.of(), SdkClients.toolNames(client), "no plugin yet");
    }

    @AfterEach
    void tearDown() {
        try {
            started.forEach(Process::destroyForcibly);
            Closing.all(client == null ? null : (AutoCloseable) client::closeGracefully, door);
        } finally {
            processes.assertAllExitWithin(WAIT);
        }
    }

    @Test
    void itRegistersIsRoutableAtOnceHeartbeatsAndWhenKilledLeavesWithItsLease() throws Exception {
        // (a) Registered over REST, then callable through /mcp at once. The first plugin this gateway ever connects
        // to pays for loading and compiling its upstream HTTP code; the figure that holds for a running gateway is
        // the second's, so one plugin comes and goes first.
        Process first = startPlugin();
        PluginInstance cold = registeredAndCalled(first, "the first plugin this gateway connects to (cold JVMs)",
                "noted (1 notes)");
        first.destroy();
        door.awaitEvent(InstanceDeregistered.class, cold.id(), WAIT);
        assertEquals(List.of(), toolLists.poll(WAIT.toSeconds(), TimeUnit.SECONDS));

        plugin = startPlugin();
        PluginInstance joined = registeredAndCalled(plugin, "a new plugin process joining a running gateway",
                "noted (1 notes)");
        // A new process answers its first calls slowly (its own code is not compiled yet). The gateway's own share
        // shows when a warm plugin registers again: forgotten by the gateway, it does so on its next heartbeat.
        door.gateway().registry().deregister(joined.id()).join();
        assertEquals(List.of(), toolLists.poll(WAIT.toSeconds(), TimeUnit.SECONDS));
        PluginInstance registered = registeredAndCalled(plugin, "the same plugin, warm, registering again after the"
                + " gateway forgot it", "noted (2 notes)");
        String id = registered.id();
        assertEquals(joined.id(), id, "it registers under the same id again");
        assertEquals(RegistrationSource.API, registered.source());
        assertEquals(Duration.ofSeconds(1), registered.lease());
        assertEquals(NOTES_TOOLS, SdkClients.toolNames(client));

        // (b) It heartbeats: the lease's expiry moves forward, and it outlives its first lease.
        Instant firstExpiry = registered.leaseExpiresAt();
        Await.until("a heartbeat moved the lease's expiry forward", WAIT,
                () -> door.instance(id).orElseThrow().leaseExpiresAt().isAfter(firstExpiry));
        Await.until("the plugin outlived its first lease", WAIT,
                () -> Instant.now().isAfter(firstExpiry.plusMillis(500)));
        assertTrue(door.instance(id).isPresent());
        assertEquals("buy milk\nbuy milk", SdkClients.callText(client, "notes__list_notes", Map.of()));

        // (c) Killed without deregistering: removed once its lease lapsed, as LeaseExpired.
        long killedAt = System.nanoTime();
        plugin.destroyForcibly();
        assertTrue(plugin.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS));
        door.awaitEvent(LeaseExpired.class, id, WAIT);
        assertTrue(door.instance(id).isEmpty());
        System.out.printf("self-registration: SIGKILL -> removed after %.0f ms (lease 1 s, checked every %d ms)%n",
                (System.nanoTime() - killedAt) / 1e6, RegistrationFrontDoor.LEASE_CHECK.toMillis());
        assertEquals(List.of(id), door.ids(LeaseExpired.class));
        assertEquals(List.of(cold.id(), id), door.ids(InstanceDeregistered.class),
                "the first, stopped gracefully, and the one the gateway was made to forget; never the killed one");

        // (d) The client with an open session hears tools/list_changed and no longer lists the tools.
        assertEquals(List.of(), toolLists.poll(WAIT.toSeconds(), TimeUnit.SECONDS),
                "the client heard tools/list_changed when the lease lapsed");
        assertEquals(List.of(), SdkClients.toolNames(client));
    }

    @Test
    void stoppedGracefullyItDeregistersAtOnce() throws Exception {
        plugin = startPlugin();
        Await.until("the plugin registered itself", WAIT, () -> !door.events(InstanceRegistered.class).isEmpty());
        String id = door.events(InstanceRegistered.class).getFirst().instance().id();
        assertEquals(NOTES_TOOLS, toolLists.poll(WAIT.toSeconds(), TimeUnit.SECONDS));

        plugin.destroy(); // SIGTERM: its shutdown hook deregisters
        door.awaitEvent(InstanceDeregistered.class, id, WAIT);
        assertTrue(door.instance(id).isEmpty());
        assertTrue(plugin.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertEquals(List.of(), door.ids(LeaseExpired.class), "deregistered, not lapsed");
        assertEquals(List.of(), toolLists.poll(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertFalse(SdkClients.toolNames(client).contains(ADD_NOTE));
    }

    /**
     * Awaits the plugin's registration and calls its tool through {@code /mcp} at once, before the gateway has even
     * connected to it (the call waits for that), printing the time from the gateway's {@code InstanceRegistered} to
     * the tool's answer.
     */
    private PluginInstance registeredAndCalled(Process process, String which, String expected) throws Exception {
        int before = door.timed(InstanceRegistered.class).size();
        Await.until("the plugin registered itself", WAIT, () -> door.timed(InstanceRegistered.class).size() > before
                || !process.isAlive());
        assertTrue(process.isAlive(), "the plugin process exited");
        RegistrationFrontDoor.Timed registeredAt = door.timed(InstanceRegistered.class).get(before);
        PluginInstance registered = ((InstanceRegistered) registeredAt.event()).instance();
        assertTrue(door.gateway().routingTable().routeByExposedName(ADD_NOTE).isRoutable(), "routable at once");
        long routableNanos = System.nanoTime() - registeredAt.nanos();
        String text = SdkClients.callText(client, ADD_NOTE, Map.of("text", "buy milk"));
        long callableNanos = System.nanoTime() - registeredAt.nanos();
        System.out.printf(Locale.ROOT, "self-registration, %s: after InstanceRegistered routable %.1f ms, first"
                + " tools/call through /mcp answered %.1f ms%n", which, routableNanos / 1e6, callableNanos / 1e6);
        assertEquals(expected, text);
        assertEquals(NOTES_TOOLS, toolLists.poll(WAIT.toSeconds(), TimeUnit.SECONDS),
                "the client heard tools/list_changed when the plugin arrived");
        return registered;
    }

    /** The plugin as its own JVM, with a one-second lease. */
    private Process startPlugin() throws Exception {
        Process process = new ProcessBuilder(JavaMains.command(SelfRegisteringPlugin.class, "--gateway", door.base().toString(),
                "--lease-seconds", "1"))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        started.add(process);
        return process;
    }
}
