package dev.mcpgateway.persistence.internal.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.mcpgateway.persistence.PostgresOptions;
import java.time.Duration;
import java.util.Properties;

/** Opens the HikariCP pool the store works through, tuned to fail fast. */
final class Pools {
    private Pools() {
    }

    /**
     * A pool for {@code options}. It connects lazily: opening it never fails for a database that is down, the first
     * call that needs a connection does, after {@link PostgresOptions#connectionTimeout()}.
     */
    static HikariDataSource open(PostgresOptions options) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("mcp-gateway-postgres");
        config.setJdbcUrl(options.jdbcUrl());
        config.setUsername(options.user());
        config.setPassword(options.password());
        config.setMaximumPoolSize(options.maximumPoolSize());
        // The store writes from the gateway's single control-loop thread: one warm connection serves it.
        config.setMinimumIdle(1);
        config.setConnectionTimeout(options.connectionTimeout().toMillis());
        // Checking a borrowed connection must not take longer than getting one (HikariCP's floor is 250 ms).
        config.setValidationTimeout(Math.max(250, Math.min(options.connectionTimeout().toMillis(), 1000)));
        // -1: do not connect while opening. A database that is down then fails the first call with the store's own
        // RegistryStoreUnavailableException (and no pool-initialization stack trace in the log).
        config.setInitializationFailTimeout(-1);
        config.setDataSourceProperties(driverProperties(options));
        return new HikariDataSource(config);
    }

    /**
     * What the driver is told on every connection, the pool's and {@link ReconnectingPool}'s probe alike. The
     * password is not among them: HikariCP passes it on its own, and these may be shown.
     */
    static Properties driverProperties(PostgresOptions options) {
        Properties properties = new Properties();
        // The server ends a statement that runs too long (a lock held elsewhere, a slow disk) with SQLSTATE 57014;
        // set at connection start-up so that it costs no round trip per call.
        properties.setProperty("options", "-c statement_timeout=" + options.statementTimeout().toMillis());
        // The client gives up on a server that stops answering altogether (a cut network) a little after the
        // server would have cancelled the statement itself. The driver counts these in whole seconds.
        properties.setProperty("socketTimeout", Long.toString(seconds(options.statementTimeout()) + 1));
        properties.setProperty("connectTimeout", Long.toString(seconds(options.connectionTimeout())));
        properties.setProperty("tcpKeepAlive", "true");
        properties.setProperty("ApplicationName", "mcp-gateway");
        return properties;
    }

    private static long seconds(Duration duration) {
        return Math.max(1, (duration.toMillis() + 999) / 1000);
    }
}
