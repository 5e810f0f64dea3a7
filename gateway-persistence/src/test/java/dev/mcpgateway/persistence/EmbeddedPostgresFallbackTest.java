package dev.mcpgateway.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcpgateway.persistence.testing.TestPostgres;
import dev.mcpgateway.registry.RegistryStore.Stored;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The embedded PostgreSQL that {@link TestPostgres} falls back on where no server answers works for the store, even
 * on a machine that has a server (so the fallback is exercised by every build, not only where it is needed).
 */
class EmbeddedPostgresFallbackTest {

    @Test
    void theStoreMigratesAndKeepsInstancesOnTheEmbeddedPostgres() {
        try (TestPostgres.Schema schema = TestPostgres.newSchema(TestPostgres.embedded());
             PostgresRegistryStore store = PostgresRegistryStore.open(schema.options().build())) {
            store.put(new Stored("weather-1", "weather", null, "{}"));
            assertEquals(List.of(new Stored("weather-1", "weather", null, "{}")), store.load());
        }
    }
}
