package dev.mcpgateway.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.persistence.testing.TcpProxy;
import dev.mcpgateway.persistence.testing.TestPostgres;
import dev.mcpgateway.registry.RegistryStore.Stored;
import dev.mcpgateway.registry.RegistryStoreUnavailableException;
import dev.mcpgateway.testing.Await;
import dev.mcpgateway.testing.Stderr;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** PostgreSQL down, slow or cut off: calls fail fast and whole, and the store recovers by itself. */
class PostgresOutageTest {
    // Trust authentication ignores it; it is there to be looked for where it must not be.
    private static final String PASSWORD = "pw-never-shown-7f3a";
    // Far below what a hung call would take, far above what a fast failure takes on a loaded machine.
    private static final Duration FAST = Duration.ofSeconds(5);

    private final TestPostgres.Schema schema = TestPostgres.newSchema();

    @AfterEach
    void dropSchema() {
        schema.close();
    }

    @Test
    void openingWhereNothingListensFailsFastNamingTheDatabaseButNotThePassword() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        PostgresOptions options = schema.options().password(PASSWORD).connectionTimeout(Duration.ofMillis(500))
                .jdbcUrl("jdbc:postgresql://127.0.0.1:" + closedPort + "/test").build();

        String log = Stderr.of(() -> {
            RegistryStoreUnavailableException failure = failsFast(() -> PostgresRegistryStore.open(options));
            assertTrue(failure.getMessage().startsWith("could not open the PostgreSQL registry store at 127.0.0.1:"
                    + closedPort + "/test, schema " + schema.name() + ": "), failure.getMessage());
            assertNoPassword(failure);
        });
        assertFalse(log.contains(PASSWORD), log);
        Stderr.assertNoStackTrace(log);
    }

    @Test
    void whileTheDatabaseIsCutOffChangesFailFastWriteNothingAndTheStoreRecoversOnItsOwn() throws Exception {
        TestPostgres.Server server = schema.server();
        try (TcpProxy proxy = TcpProxy.to(server.host(), server.port());
             PostgresRegistryStore store = PostgresRegistryStore.open(schema.options().password(PASSWORD)
                     .jdbcUrl("jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + server.database())
                     .connectionTimeout(Duration.ofMillis(500)).statementTimeout(Duration.ofSeconds(1)).build())) {
            store.put(new Stored("kept-1", "weather", null, "{\"v\": 1}"));

            String outage = Stderr.of(() -> {
                proxy.cut();
                assertNoPassword(failsFast(() -> store.put(new Stored("lost-1", "weather", null, "{}"))));
                failsFast(() -> store.put(new Stored("kept-1", "weather", null, "{\"v\": 2}")));
                failsFast(() -> store.renew("kept-1", java.time.Instant.EPOCH));
                failsFast(() -> store.remove("kept-1"));
                failsFast(store::load);
            });
            assertEquals(1, count(outage, "WARN dev.mcpgateway.persistence.PostgresRegistryStore - PostgreSQL "
                    + "registry store at 127.0.0.1:" + proxy.port() + "/" + server.database() + " is failing: "),
                    outage);

            String recovery = Stderr.of(() -> {
                proxy.restore();
                store.put(new Stored("kept-2", "files", null, "{}"));
                store.put(new Stored("kept-3", "files", null, "{}"));
            });
            assertEquals(1, count(recovery, "INFO dev.mcpgateway.persistence.PostgresRegistryStore - PostgreSQL "
                    + "registry store at 127.0.0.1:" + proxy.port() + "/" + server.database() + " answers again."),
                    recovery);
            for (String log : List.of(outage, recovery)) {
                assertFalse(log.contains(PASSWORD), log);
                Stderr.assertNoStackTrace(log);
            }

            // Nothing of the failed calls was written: kept-1 as it was, no lost-1, no audit rows for them.
            assertEquals(List.of(new Stored("kept-1", "weather", null, "{\"v\": 1}"),
                    new Stored("kept-2", "files", null, "{}"), new Stored("kept-3", "files", null, "{}")),
                    store.load());
            assertEquals(List.of("registered kept-1 weather {\"v\": 1}", "registered kept-2 files {}",
                    "registered kept-3 files {}"), PostgresRegistryStoreTest.audit(schema));
        }
    }

    @Test
    void aChangeHeldUpByALockTimesOutWritesNothingAndTheNextOneGoesThrough() throws Exception {
        try (PostgresRegistryStore store = PostgresRegistryStore.open(
                schema.options().statementTimeout(Duration.ofMillis(300)).build())) {
            store.put(new Stored("weather-1", "weather", null, "{\"v\": 1}"));

            try (Connection other = schema.server().connect(); Statement statement = other.createStatement()) {
                other.setAutoCommit(false);
                statement.execute("LOCK TABLE " + schema.name() + ".audit IN ACCESS EXCLUSIVE MODE");
                String log = Stderr.of(() -> {
                    // The change waits for the audit table until the statement timeout ends it, instance row and
                    // all.
                    RegistryStoreUnavailableException failure =
                            failsFast(() -> store.put(new Stored("weather-1", "weather", null, "{\"v\": 2}")));
                    assertTrue(failure.getMessage().contains("(SQLSTATE 57014)"), failure.getMessage());
                    failsFast(() -> store.remove("weather-1"));
                });
                Stderr.assertNoStackTrace(log);
                other.rollback();
            }

            assertEquals(List.of(new Stored("weather-1", "weather", null, "{\"v\": 1}")), store.load());
            assertEquals(List.of("registered weather-1 weather {\"v\": 1}"), PostgresRegistryStoreTest.audit(schema));
            store.put(new Stored("weather-1", "weather", null, "{\"v\": 3}"));
            assertEquals(List.of(new Stored("weather-1", "weather", null, "{\"v\": 3}")), store.load());
        }
    }

    @Test
    void aGatewayKilledMidWriteLeavesNothingOfTheChange() throws Exception {
        try (PostgresRegistryStore store = PostgresRegistryStore.open(schema.options().build())) {
            store.put(new Stored("weather-1", "weather", null, "{\"v\": 1}"));

            try (Connection other = schema.server().connect(); Statement statement = other.createStatement()) {
                other.setAutoCommit(false);
                statement.execute("LOCK TABLE " + schema.name() + ".audit IN ACCESS EXCLUSIVE MODE");
                CompletableFuture<Void> write = CompletableFuture.runAsync(
                        () -> store.put(new Stored("weather-1", "weather", null, "{\"v\": 2}")));
                // The change is half done (its instance row written, its audit row waiting for the lock) when its
                // connection goes: what PostgreSQL sees of a gateway killed at that moment.
                String waiting = "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                        + " AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()";
                try (Connection watcher = schema.server().connect(); Statement look = watcher.createStatement()) {
                    Await.until("the write waits for the lock", Duration.ofSeconds(10), () -> {
                        try (ResultSet rows = look.executeQuery(waiting)) {
                            return rows.next();
                        } catch (SQLException e) {
                            throw new AssertionError(e);
                        }
                    });
                    String log = Stderr.of(() -> {
                        try (ResultSet killed = look.executeQuery("SELECT pg_terminate_backend(pid) FROM ("
                                + waiting + ") w")) {
                            assertTrue(killed.next() && killed.getBoolean(1));
                        }
                        assertThrows(Exception.class, () -> write.get(10, TimeUnit.SECONDS));
                    });
                    Stderr.assertNoStackTrace(log);
                }
                other.rollback();
            }

            assertEquals(List.of(new Stored("weather-1", "weather", null, "{\"v\": 1}")), store.load(),
                    "the instance row of the killed change was rolled back with it");
            assertEquals(List.of("registered weather-1 weather {\"v\": 1}"), PostgresRegistryStoreTest.audit(schema));
        }
    }

    private static RegistryStoreUnavailableException failsFast(Executable call) {
        long start = System.nanoTime();
        RegistryStoreUnavailableException failure = assertThrows(RegistryStoreUnavailableException.class, call);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(took.compareTo(FAST) < 0, "failed after " + took + ": " + failure.getMessage());
        return failure;
    }

    private static void assertNoPassword(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            assertFalse(String.valueOf(t.getMessage()).contains(PASSWORD), t.toString());
        }
    }

    private static long count(String log, String line) {
        return log.lines().filter(l -> l.contains(line)).count();
    }
}
