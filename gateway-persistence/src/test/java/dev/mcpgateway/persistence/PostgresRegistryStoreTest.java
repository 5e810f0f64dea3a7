package dev.mcpgateway.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mcpgateway.persistence.testing.TestPostgres;
import dev.mcpgateway.health.Health;
import dev.mcpgateway.registry.RegistryStore;
import dev.mcpgateway.registry.RegistryStore.Stored;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PostgresRegistryStoreTest {
    // PostgreSQL keeps microseconds.
    private static final Instant LEASE = Instant.parse("2026-12-07T01:02:03.123456Z");
    private static final String REGISTRATION =
            "{\"plugin\": \"weather\", \"endpoint\": {\"url\": \"http://127.0.0.1:9001/mcp\"}, \"tags\": [\"a\", \"b\"]}";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TestPostgres.Schema schema = TestPostgres.newSchema();
    private final PostgresRegistryStore store = PostgresRegistryStore.open(schema.options().build());

    @AfterEach
    void close() {
        store.close();
        schema.close();
    }

    @Test
    void whatIsPutIsLoaded() throws Exception {
        store.put(new Stored("weather-1", "weather", LEASE, REGISTRATION));
        store.put(new Stored("files-1", "files", null, "{}"));

        List<Stored> loaded = store.load();
        assertEquals(List.of("files-1", "weather-1"), loaded.stream().map(Stored::id).toList());
        Stored weather = loaded.get(1);
        assertEquals("weather", weather.plugin());
        assertEquals(LEASE, weather.leaseExpiresAt());
        // jsonb keeps the JSON's meaning, not its spacing or key order
        assertEquals(JSON.readTree(REGISTRATION), JSON.readTree(weather.registration()));
        assertEquals(new Stored("files-1", "files", null, "{}"), loaded.get(0));
    }

    @Test
    void aSecondPutOfAnIdReplacesTheInstance() {
        store.put(new Stored("weather-1", "weather", LEASE, "{\"v\": 1}"));
        store.put(new Stored("weather-1", "weather", null, "{\"v\": 2}"));

        assertEquals(List.of(new Stored("weather-1", "weather", null, "{\"v\": 2}")), store.load());
    }

    @Test
    void aDrainIsKeptAndAuditedOnceAndARegistrationClearsIt() throws SQLException {
        store.put(new Stored("weather-1", "weather", LEASE, "{\"v\": 1}"));
        store.drain("weather-1", true);
        store.drain("weather-1", true); // drained already: no change, no audit row
        assertTrue(store.load().getFirst().drained());
        store.drain("weather-1", false);
        assertFalse(store.load().getFirst().drained());
        store.drain("weather-1", true);
        store.put(new Stored("weather-1", "weather", LEASE, "{\"v\": 1}")); // registered again: in service
        assertFalse(store.load().getFirst().drained());
        store.drain("not-kept", true); // nothing to drain: nothing happens

        assertEquals(List.of(
                        "registered weather-1 weather {\"v\": 1}",
                        "drained weather-1 weather null",
                        "undrained weather-1 weather null",
                        "drained weather-1 weather null",
                        "replaced weather-1 weather {\"v\": 1}"),
                audit(schema));
    }

    @Test
    void rulesAreKeptAsOneSetWhoseVersionRisesWithEachReplacementAndEachIsAudited() throws Exception {
        assertTrue(store.loadRules().isEmpty());
        assertEquals(1, store.putRules("{\"format\": 1, \"rules\": []}"));
        assertEquals(2, store.putRules("{\"format\": 1, \"rules\": [{\"match\": \"files/*\"}]}"));

        RegistryStore.StoredRules kept = store.loadRules().orElseThrow();
        assertEquals(2, kept.version());
        assertEquals(JSON.readTree("{\"format\": 1, \"rules\": [{\"match\": \"files/*\"}]}"),
                JSON.readTree(kept.rules()));
        assertEquals(List.of(
                        "rules-replaced null null {\"rules\": [], \"format\": 1}",
                        "rules-replaced null null {\"rules\": [{\"match\": \"files/*\"}], \"format\": 1}"),
                audit(schema));
    }

    @Test
    void healthTransitionsAreAudited() throws Exception {
        store.recordHealth(new RegistryStore.HealthTransition("weather-1", "weather", Health.HEALTHY,
                Health.UNHEALTHY, "probe timed out", "gateway-a"));
        List<String> audit = audit(schema);
        assertEquals(1, audit.size(), audit.toString());
        assertTrue(audit.getFirst().startsWith("health weather-1 weather "), audit.toString());
        assertEquals(JSON.readTree("{\"from\": \"HEALTHY\", \"to\": \"UNHEALTHY\", \"reason\": \"probe timed out\","
                + " \"gateway\": \"gateway-a\"}"), JSON.readTree(audit.getFirst().substring(
                "health weather-1 weather ".length())));
    }

    @Test
    void aRenewalMovesTheLeaseOnly() {
        store.put(new Stored("weather-1", "weather", LEASE, "{\"v\": 1}"));
        store.renew("weather-1", LEASE.plusSeconds(30));
        store.renew("not-kept", LEASE); // nothing to renew: nothing happens

        assertEquals(List.of(new Stored("weather-1", "weather", LEASE.plusSeconds(30), "{\"v\": 1}")),
                store.load());
    }

    @Test
    void aRemovedInstanceIsNotLoadedAndRemovingAnUnknownOneDoesNothing() {
        store.put(new Stored("weather-1", "weather", LEASE, "{}"));
        store.put(new Stored("weather-2", "weather", LEASE, "{}"));
        store.remove("weather-1");
        store.remove("weather-1");
        store.remove("never-kept");

        assertEquals(List.of("weather-2"), store.load().stream().map(Stored::id).toList());
    }

    @Test
    void theAuditTrailHasRegistrationsReplacementsAndDeregistrationsButNoRenewals() throws SQLException {
        store.put(new Stored("weather-1", "weather", LEASE, "{\"v\": 1}"));
        store.renew("weather-1", LEASE.plusSeconds(30));
        store.renew("weather-1", LEASE.plusSeconds(60));
        store.put(new Stored("weather-1", "weather", LEASE, "{\"v\": 2}"));
        store.remove("weather-1");
        store.remove("weather-1"); // already gone: not audited again

        assertEquals(List.of(
                        "registered weather-1 weather {\"v\": 1}",
                        "replaced weather-1 weather {\"v\": 2}",
                        "deregistered weather-1 weather null"),
                audit(schema));
    }

    @Test
    void aLapsedLeaseIsEvictedAndAudited() throws SQLException {
        store.put(new Stored("weather-1", "weather", LEASE, "{\"v\": 1}"));

        assertTrue(store.removeIfLapsed("weather-1", LEASE), "lapsed exactly when this gateway saw it lapse");
        assertEquals(List.of(), store.load());
        assertTrue(store.removeIfLapsed("weather-1", LEASE), "already gone: nothing left to keep");
        assertEquals(List.of("registered weather-1 weather {\"v\": 1}", "evicted weather-1 weather null"),
                audit(schema));
    }

    @Test
    void aLeaseRenewedThroughAnotherGatewayIsNotEvicted() throws SQLException {
        store.put(new Stored("weather-1", "weather", LEASE, "{}"));
        store.renew("weather-1", LEASE.plusSeconds(30)); // the other gateway's renewal
        store.put(new Stored("files-1", "files", null, "{}")); // re-registered without a lease

        assertFalse(store.removeIfLapsed("weather-1", LEASE));
        assertFalse(store.removeIfLapsed("files-1", LEASE));
        assertEquals(List.of("files-1", "weather-1"), store.load().stream().map(Stored::id).toList());
        assertEquals(List.of("registered weather-1 weather {}", "registered files-1 files {}"), audit(schema));
    }

    /** The audit rows in order, each as "action instance plugin detail". */
    static List<String> audit(TestPostgres.Schema schema) throws SQLException {
        try (Connection connection = schema.server().connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT action, instance_id, plugin, detail::text FROM "
                     + schema.name() + ".audit ORDER BY id")) {
            List<String> audit = new ArrayList<>();
            while (rows.next()) {
                audit.add(rows.getString(1) + " " + rows.getString(2) + " " + rows.getString(3) + " "
                        + rows.getString(4));
            }
            return audit;
        }
    }
}
