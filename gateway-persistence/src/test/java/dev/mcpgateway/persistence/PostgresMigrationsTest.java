package dev.mcpgateway.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcpgateway.persistence.testing.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PostgresMigrationsTest {
    private final TestPostgres.Schema schema = TestPostgres.newSchema();

    @AfterEach
    void dropSchema() {
        schema.close();
    }

    @Test
    void openingCreatesTheSchemaAndItsTables() throws SQLException {
        try (PostgresRegistryStore store = PostgresRegistryStore.open(schema.options().build())) {
            assertEquals(List.of(), store.load());
        }
        assertEquals(List.of("audit", "flyway_schema_history", "instances", "rule_sets"), tables());
        assertEquals(List.of("1:true", "2:true", "3:true", "4:true"), history());
    }

    @Test
    void openingAgainAppliesNothingTwice() throws SQLException {
        PostgresRegistryStore.open(schema.options().build()).close();
        PostgresRegistryStore.open(schema.options().build()).close();
        assertEquals(List.of("1:true", "2:true", "3:true", "4:true"), history());
    }

    @Test
    void twoGatewaysOpeningOneSchemaAtOnceBothSucceedAndOneMigrates() throws Exception {
        int gateways = 2;
        CountDownLatch ready = new CountDownLatch(gateways);
        ExecutorService threads = Executors.newFixedThreadPool(gateways);
        try {
            List<CompletableFuture<PostgresRegistryStore>> opened = new ArrayList<>();
            for (int i = 0; i < gateways; i++) {
                opened.add(CompletableFuture.supplyAsync(() -> {
                    ready.countDown();
                    await(ready); // start together, so the two race for the schema and its lock
                    return PostgresRegistryStore.open(schema.options().build());
                }, threads));
            }
            for (CompletableFuture<PostgresRegistryStore> store : opened) {
                store.get(30, TimeUnit.SECONDS).close();
            }
        } finally {
            threads.shutdownNow();
        }
        assertEquals(List.of("1:true", "2:true", "3:true", "4:true"), history());
    }

    private List<String> tables() throws SQLException {
        return strings("SELECT table_name FROM information_schema.tables WHERE table_schema = '" + schema.name()
                + "' ORDER BY table_name");
    }

    // Each applied migration as version:success; the schema's own creation row (version null) left out.
    private List<String> history() throws SQLException {
        return strings("SELECT version || ':' || success FROM " + schema.name()
                + ".flyway_schema_history WHERE version IS NOT NULL ORDER BY installed_rank");
    }

    private List<String> strings(String sql) throws SQLException {
        try (Connection connection = schema.server().connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rows.next()) {
                values.add(rows.getString(1));
            }
            return values;
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
