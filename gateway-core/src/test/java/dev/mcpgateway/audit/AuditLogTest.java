package dev.mcpgateway.audit;

import static dev.mcpgateway.testing.Plugins.manifest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.McpGateway;
import dev.mcpgateway.health.Health;
import dev.mcpgateway.internal.audit.Actors;
import dev.mcpgateway.internal.gateway.GatewayInternals;
import dev.mcpgateway.plugin.InstanceStatus;
import dev.mcpgateway.plugin.Registration;
import dev.mcpgateway.plugin.RegistrationSource;
import dev.mcpgateway.routing.RouteTarget;
import dev.mcpgateway.routing.RoutingRule;
import dev.mcpgateway.testing.Await;
import dev.mcpgateway.testing.FakeClock;
import dev.mcpgateway.testing.Gateways;
import dev.mcpgateway.testing.ScriptedServer;
import dev.mcpgateway.testing.ScriptedTransport;
import dev.mcpgateway.testing.Stderr;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * The audit log ({@link AuditLog#LOGGER}): one line per registry change made through the gateway, naming who made it,
 * per health transition, and per coalesced authentication failure; client-controlled values cannot forge a line.
 */
class AuditLogTest {
    private static final String PREFIX = "INFO " + AuditLog.LOGGER + " - ";
    private final FakeClock clock = new FakeClock();
    @AutoClose
    private final Gateways gateways = new Gateways();

    private McpGateway gateway() {
        McpGateway gateway = McpGateway.builder().clock(clock)
                .transport(new ScriptedTransport(instance -> ScriptedServer.listing("echo"))).build();
        gateways.add(gateway);
        return gateway;
    }

    /** The audit lines in {@code log}, without the logger's prefix; connections' own health lines left out. */
    private static List<String> audit(String log) {
        return log.lines().filter(line -> line.contains(PREFIX))
                .map(line -> line.substring(line.indexOf(PREFIX) + PREFIX.length()))
                .filter(line -> !line.contains("reason=connected")).toList();
    }

    private static Registration registration(String id, RegistrationSource source) {
        return Registration.of(id, manifest("echo", "1.0.0", "echo")).withSource(source);
    }

    @Test
    void eachChangeIsOneLineNamingItsActor() throws Exception {
        McpGateway gateway = gateway();
        RoutingRule rule = RoutingRule.forTools("*").name("all").target(RouteTarget.all()).build();
        String log = Stderr.of(() -> {
            gateway.register(registration("echo-1", RegistrationSource.HOST)).join();
            gateway.register(registration("echo-1", RegistrationSource.HOST)).join();
            gateway.register(registration("echo-2", RegistrationSource.CONFIG)).join();
            Actors.as("alice", () -> gateway.register(registration("echo-3", RegistrationSource.API)
                    .withLease(Duration.ofSeconds(30)))).join();
            Actors.as("alice", () -> gateway.drain("echo-3")).join();
            gateway.registry().setStatus("echo-3", InstanceStatus.UP).join();
            Actors.as("bob", () -> gateway.replaceRoutingRules(List.of(rule))).join();
            Await.until("echo-2 connected", Duration.ofSeconds(5),
                    () -> gateway.registry().instance("echo-2").orElseThrow().health() == Health.HEALTHY);
            gateway.registry().reportHealth("echo-2", Health.UNHEALTHY, "probe failed").join();
            gateway.registry().deregister("echo-2").join();
            clock.advance(Duration.ofSeconds(31));
            gateway.registry().evictExpired().join();
        });

        assertEquals(List.of(
                "event=registered actor=host plugin=echo instance=echo-1",
                "event=replaced actor=host plugin=echo instance=echo-1",
                "event=registered actor=config plugin=echo instance=echo-2",
                "event=registered actor=alice plugin=echo instance=echo-3",
                "event=drained actor=alice plugin=echo instance=echo-3",
                "event=undrained actor=host plugin=echo instance=echo-3",
                "event=rules-replaced actor=bob plugin=- instance=- rules=all",
                "event=health actor=gateway plugin=echo instance=echo-2 from=HEALTHY to=UNHEALTHY "
                        + "reason=\"probe failed\"",
                "event=deregistered actor=config plugin=echo instance=echo-2",
                "event=evicted actor=gateway plugin=echo instance=echo-3"), audit(log));
        Stderr.assertNoStackTrace(log);
    }

    @Test
    void anActorCannotForgeALineOrAField() throws Exception {
        McpGateway gateway = gateway();
        String log = Stderr.of(() -> Actors.as("mallory\n[main] INFO x - event=registered actor=admin",
                () -> gateway.register(registration("echo-1", RegistrationSource.API))).join());

        assertEquals(List.of("event=registered actor=\"mallory\\u000a[main] INFO x - event=registered actor=admin\""
                + " plugin=echo instance=echo-1"), audit(log));
    }

    @Test
    void authFailuresAreOneLineEachThenAFloodIsOneLineWithItsCount() {
        McpGateway gateway = gateway();
        AuthFailure expired = new AuthFailure(AuthFailure.Surface.MCP, "token expired", "10.0.0.7", null);
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            GatewayInternals.auditAuthFailure(gateway, expired);
            GatewayInternals.auditAuthFailure(gateway, new AuthFailure(AuthFailure.Surface.REGISTRATION,
                    "insufficient scope",
                    "10.0.0.8", "svc-weather"));
            for (int i = 0; i < 999; i++) {
                GatewayInternals.auditAuthFailure(gateway, expired);
            }
            assertEquals(2, audit(text(captured)).size(), "the flood is counted, not logged");
            clock.advance(Duration.ofSeconds(10));
            // Every second the gateway tells what the windows that passed counted.
            Await.until("the flood's count is logged", Duration.ofSeconds(5),
                    () -> audit(text(captured)).size() == 3);
        } finally {
            System.setErr(stderr);
            stderr.print(text(captured));
        }

        assertEquals(List.of(
                "event=auth-failed actor=- plugin=- instance=- surface=mcp reason=\"token expired\" remote=10.0.0.7"
                        + " subject=- count=1",
                "event=auth-failed actor=- plugin=- instance=- surface=registration reason=\"insufficient scope\""
                        + " remote=10.0.0.8 subject=svc-weather count=1",
                "event=auth-failed actor=- plugin=- instance=- surface=mcp reason=\"token expired\" remote=10.0.0.7"
                        + " subject=- count=999"), audit(text(captured)));
    }

    private static String text(ByteArrayOutputStream captured) {
        synchronized (captured) {
            return captured.toString(StandardCharsets.UTF_8);
        }
    }
}
