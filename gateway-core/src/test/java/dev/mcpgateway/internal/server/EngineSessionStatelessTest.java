package dev.mcpgateway.internal.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.McpGateway;
import dev.mcpgateway.server.ServerOptions;
import dev.mcpgateway.server.SessionStore;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a stateless session costs and is named: one is made for every stateless-era request. */
class EngineSessionStatelessTest {
    private final McpGateway gateway = McpGateway.builder().build();
    private final ServerEngine engine = new ServerEngine(gateway, ServerOptions.defaults(), SessionStore.none());
    private final ServerEngine other = new ServerEngine(gateway, ServerOptions.defaults(), SessionStore.none());

    @AfterEach
    void close() {
        other.close();
        engine.close();
        gateway.close();
    }

    @Test
    void idsAreUniqueInTheProcessAndNameTheirGateway() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            for (ServerEngine each : new ServerEngine[] {engine, other}) {
                String id = each.statelessSession(null, null).id();
                assertTrue(id.startsWith("stateless-" + each.shared().gatewayTag() + "-"), id);
                assertTrue(ids.add(id), "repeated: " + id);
            }
        }
        assertEquals(2_000, ids.size());
    }

    @Test
    void anIdIsTheSameEveryTimeItIsAskedFor() {
        EngineSession session = EngineSession.stateless(engine, null, null);
        assertEquals(session.id(), session.id());
    }
}
