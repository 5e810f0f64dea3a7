package dev.mcpgateway.persistence.testing;

import dev.mcpgateway.persistence.PostgresOptions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

/**
 * A real PostgreSQL for tests, never a mock. The server the environment names ({@code POSTGRES_HOST},
 * {@code POSTGRES_PORT}, {@code POSTGRES_DB}, {@code POSTGRES_USER}, {@code POSTGRES_PASSWORD}; defaults
 * {@code 127.0.0.1:5432}, database {@code test}, user {@code postgres}, no password) when it accepts a connection
 * within a second; otherwise an embedded PostgreSQL from Maven artifacts (io.zonky.test), started once per JVM.
 *
 * <p>Each test takes a fresh schema of its own with {@link #newSchema()}, so tests and concurrent builds on one
 * server do not see each other's rows, and drops it when done.
 */
public final class TestPostgres {
    private static Server server;

    private TestPostgres() {
    }

    /**
     * Where a test's PostgreSQL is.
     *
     * @param origin what it is, for messages: the environment's server or the embedded one
     */
    public record Server(String host, int port, String database, String user, String password, String origin) {
        /** The JDBC URL of the server's database. */
        public String jdbcUrl() {
            return "jdbc:postgresql://" + host + ":" + port + "/" + database;
        }

        /** A connection of its own, outside any store's pool (to look at rows, hold locks, end sessions). */
        public Connection connect() throws SQLException {
            Properties properties = new Properties();
            properties.setProperty("user", user);
            if (password != null) {
                properties.setProperty("password", password);
            }
            return DriverManager.getConnection(jdbcUrl(), properties);
        }

        @Override
        public String toString() {
            return origin + " PostgreSQL at " + host + ":" + port + "/" + database + " as " + user;
        }
    }

    /** The server tests use: found (or started) once per JVM. */
    public static synchronized Server server() {
        if (server == null) {
            server = find(System.getenv());
        }
        return server;
    }

    /** A fresh, empty schema on {@link #server()}, dropped with everything in it by {@link Schema#close()}. */
    public static Schema newSchema() {
        return newSchema(server());
    }

    /** A fresh, empty schema on {@code server}, dropped with everything in it by {@link Schema#close()}. */
    public static Schema newSchema(Server server) {
        // Random, so that builds running at once on one server (CI, several checkouts) never share a schema.
        return new Schema(server, "test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20));
    }

    /** An embedded PostgreSQL of this JVM's own, started on first use (the fallback of {@link #server()}). */
    public static synchronized Server embedded() {
        return Embedded.SERVER;
    }

    private static Server find(Map<String, String> env) {
        String host = env.getOrDefault("POSTGRES_HOST", "127.0.0.1");
        int port = Integer.parseInt(env.getOrDefault("POSTGRES_PORT", "5432"));
        Server configured = new Server(host, port, env.getOrDefault("POSTGRES_DB", "test"),
                env.getOrDefault("POSTGRES_USER", "postgres"), env.get("POSTGRES_PASSWORD"), "the environment's");
        return Reachable.answers(host, port, "TestPostgres", "an embedded PostgreSQL") ? configured : embedded();
    }

    // Holder: the embedded server starts when first asked for, and stops when the JVM does.
    private static final class Embedded {
        static final Server SERVER = start();

        private static Server start() {
            try {
                EmbeddedPostgres postgres = EmbeddedPostgres.builder().setRegisterShutdownHook(true).start();
                return new Server("localhost", postgres.getPort(), "postgres", "postgres", null, "an embedded");
            } catch (IOException | RuntimeException e) {
                throw new IllegalStateException("no PostgreSQL for the tests: none answers where POSTGRES_HOST and "
                        + "POSTGRES_PORT say (default 127.0.0.1:5432), and the embedded one did not start", e);
            }
        }
    }

    /** A test's own schema on a test server. */
    public static final class Schema implements AutoCloseable {
        private final Server server;
        private final String name;

        private Schema(Server server, String name) {
            this.server = server;
            this.name = name;
        }

        /** The schema's name (not created until a store, or the test, creates it). */
        public String name() {
            return name;
        }

        /** The server it is on. */
        public Server server() {
            return server;
        }

        /** Options for a store in this schema, to adjust further (timeouts, pool size). */
        public PostgresOptions.Builder options() {
            return PostgresOptions.builder()
                    .jdbcUrl(server.jdbcUrl())
                    .user(server.user())
                    .password(server.password())
                    .schema(name);
        }

        /** Drops the schema with everything in it. */
        @Override
        public void close() {
            try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
                statement.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
            } catch (SQLException e) {
                throw new IllegalStateException("could not drop schema " + name + " on " + server, e);
            }
        }
    }
}
