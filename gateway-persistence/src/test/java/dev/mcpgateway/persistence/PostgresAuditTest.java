package dev.mcpgateway.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcpgateway.McpGateway;
import dev.mcpgateway.audit.AuthFailure;
import dev.mcpgateway.health.Health;
import dev.mcpgateway.internal.gateway.GatewayInternals;
import dev.mcpgateway.persistence.testing.TestPostgres;
import dev.mcpgateway.registry.RegistryStore.Stored;
import dev.mcpgateway.registry.RegistryStore;
import dev.mcpgateway.testing.Await;
import dev.mcpgateway.testing.FakeClock;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The audit trail in PostgreSQL names who made each change, and records authentication failures coalesced: a flood
 * of them writes a few rows carrying their counts, never a row per failure.
 */
class PostgresAuditTest {
    private static final Instant LEASE = Instant.parse("2026-12-07T01:02:03Z");

    private final TestPostgres.Schema schema = TestPostgres.newSchema();
    private final PostgresRegistryStore store = PostgresRegistryStore.open(schema.options().build());

    @AfterEach
    void close() {
        store.close();
        schema.close();
    }

    @Test
    void eachChangeIsAuditedWithItsActor() throws SQLException {
        store.attributedTo("alice").put(new Stored("weather-1", "weather", LEASE, "{}"));
        store.attributedTo("alice").drain("weather-1", true);
        store.attributedTo("host").drain("weather-1", false);
        store.attributedTo("bob").putRules("{\"format\": 1, \"rules\": []}");
        store.recordHealth(new RegistryStore.HealthTransition("weather-1", "weather", Health.HEALTHY,
                Health.UNHEALTHY, "probe failed", "gw-1"));
        store.attributedTo("gateway").removeIfLapsed("weather-1", LEASE);
        store.put(new Stored("files-1", "files", null, "{}"));
        RegistryStore view = store.attributedTo("carol");
        view.remove("files-1");
        view.close(); // a view leaves the connections to the store

        assertEquals(List.of("registered alice", "drained alice", "undrained host", "rules-replaced bob",
                "health gateway", "evicted gateway", "registered null", "deregistered carol"),
                rows("action || ' ' || coalesce(actor, 'null')", "true"));
    }

    @Test
    void aFloodOfAuthFailuresWritesBoundedRowsWithTheirCounts() throws SQLException {
        FakeClock clock = new FakeClock();
        try (McpGateway gateway = McpGateway.builder().clock(clock).registryStore(store).build()) {
            AuthFailure expired = new AuthFailure(AuthFailure.Surface.MCP, "token expired", "10.0.0.7", null);
            for (int i = 0; i < 1000; i++) {
                GatewayInternals.auditAuthFailure(gateway, expired);
            }
            await(1);
            clock.advance(Duration.ofSeconds(10));
            await(2); // the window's count, told within a second
            assertEquals(List.of("{\"count\": 1, \"reason\": \"token expired\", \"remote\": \"10.0.0.7\","
                            + " \"subject\": null, \"surface\": \"mcp\"}",
                    "{\"count\": 999, \"reason\": \"token expired\", \"remote\": \"10.0.0.7\", \"subject\": null,"
                            + " \"surface\": \"mcp\"}"),
                    rows("detail::text", "action = 'auth-failed'"));

            // From a thousand addresses in one second: twenty rows, the rest counted for later.
            clock.advance(Duration.ofSeconds(1));
            for (int i = 0; i < 1000; i++) {
                GatewayInternals.auditAuthFailure(gateway, new AuthFailure(AuthFailure.Surface.MANAGEMENT_API,
                        "no bearer token",
                        "10.1." + i / 256 + "." + i % 256, null));
            }
            await(22);
        }
        // Closing tells what was still counted, as one row per surface and reason.
        assertEquals(List.of("1", "999", "1 x 20", "980"), counts());
        assertEquals(List.of(), rows("actor", "action = 'auth-failed' AND actor IS NOT NULL"));
    }

    private void await(int rows) {
        Await.until(rows + " auth-failed rows", Duration.ofSeconds(10), () -> {
            try {
                return this.rows("id", "action = 'auth-failed'").size() == rows;
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** The counts of the auth-failed rows in order, runs of equal ones as "count x n". */
    private List<String> counts() throws SQLException {
        List<String> counts = new ArrayList<>();
        String last = null;
        int run = 0;
        for (String count : rows("detail->>'count'", "action = 'auth-failed'")) {
            if (count.equals(last)) {
                run++;
                counts.set(counts.size() - 1, count + " x " + run);
            } else {
                counts.add(count);
                last = count;
                run = 1;
            }
        }
        return counts;
    }

    private List<String> rows(String column, String where) throws SQLException {
        try (Connection connection = schema.server().connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT " + column + " FROM " + schema.name() + ".audit WHERE "
                     + where + " ORDER BY id")) {
            List<String> values = new ArrayList<>();
            while (rows.next()) {
                values.add(rows.getString(1));
            }
            return values;
        }
    }
}
