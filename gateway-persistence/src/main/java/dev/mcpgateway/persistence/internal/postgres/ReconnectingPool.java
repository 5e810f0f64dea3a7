package dev.mcpgateway.persistence.internal.postgres;

import com.zaxxer.hikari.HikariDataSource;
import dev.mcpgateway.persistence.PostgresOptions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * The store's connections: a HikariCP pool that is swapped for a fresh one when the database answers again after a
 * failure.
 *
 * <p>Why not leave recovery to HikariCP alone: while the database is down, HikariCP retries in the background with
 * a backoff that grows to five seconds, longer than a call waits for a connection, so the first calls after the
 * database is back could still fail. Instead, after a failure the next call first tries one plain connection of its
 * own: when that fails, the call fails at once (no pool churn, no wait); when it succeeds, the call and those after
 * it use a fresh pool, and the old one is closed in the background.
 */
public final class ReconnectingPool implements AutoCloseable {
    private final PostgresOptions options;
    private volatile HikariDataSource pool;
    // Set by failed(), cleared once a fresh pool is in place.
    private volatile boolean suspect;

    /** A pool for {@code options}; it connects on first use. */
    public ReconnectingPool(PostgresOptions options) {
        this.options = options;
        this.pool = Pools.open(options);
    }

    /** The pool as it is now (for migrations, which run before any call). */
    public HikariDataSource current() {
        return pool;
    }

    /**
     * A connection from the pool; after {@link #failed()}, only once a probe connection shows the database answers.
     *
     * @throws SQLException when the database does not answer
     */
    public Connection connection() throws SQLException {
        if (suspect) {
            renew();
        }
        return pool.getConnection();
    }

    /** A call failed: the next one checks the database before it trusts the pool. */
    public void failed() {
        suspect = true;
    }

    private synchronized void renew() throws SQLException {
        if (!suspect) {
            return; // another thread renewed it meanwhile
        }
        Properties properties = Pools.driverProperties(options);
        if (options.user() != null) {
            properties.setProperty("user", options.user());
        }
        if (options.password() != null) {
            properties.setProperty("password", options.password());
        }
        try (Connection probe = DriverManager.getConnection(options.jdbcUrl(), properties)) {
            // it answers
        }
        HikariDataSource old = pool;
        pool = Pools.open(options);
        suspect = false;
        // Closing waits for HikariCP's own retries to stop; the calls need not.
        Thread.ofVirtual().name("mcp-gateway-postgres-close").start(old::close);
    }

    /** Closes the pool. */
    @Override
    public synchronized void close() {
        pool.close();
    }
}
