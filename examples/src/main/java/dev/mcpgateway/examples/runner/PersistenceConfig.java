package dev.mcpgateway.examples.runner;

import dev.mcpgateway.GatewayConfig;
import dev.mcpgateway.persistence.PostgresOptions;
import dev.mcpgateway.persistence.PostgresRegistryStore;
import dev.mcpgateway.persistence.RedisChangeEvents;
import dev.mcpgateway.persistence.RedisOptions;
import dev.mcpgateway.persistence.RedisSessionStore;
import dev.mcpgateway.registry.RegistryStore;
import dev.mcpgateway.server.SessionStore;
import java.time.Duration;

/**
 * The runner's {@code persistence:} section: where the gateway keeps what outlives it. With
 * {@code persistence.postgres.host} (the seed's {@code POSTGRES_HOST}) set, instances registered over the management
 * API and their leases are kept in PostgreSQL and served again after a restart; without it everything stays in
 * memory, as the demo needs. The seed's {@code POSTGRES_PORT}, {@code POSTGRES_DB}, {@code POSTGRES_USER} and
 * {@code POSTGRES_PASSWORD} set the keys of the same meaning.
 *
 * <p>With {@code persistence.redis.host} ({@code REDIS_HOST}) set as well, gateways sharing the schema become one
 * active-active gateway: each tells the others of its changes over Redis at once, and they share their client
 * sessions there, so a client may send each request to any of them.
 *
 * @param postgres          the PostgreSQL registry store, or unset
 * @param redis             Redis, for change events and shared client sessions, or unset (needs {@code postgres})
 * @param reconcileInterval how often the gateway reads the store back to follow registrations made through other
 *                          gateways sharing it (the library's default, 5 s, when unset)
 */
public record PersistenceConfig(Postgres postgres, Redis redis, Duration reconcileInterval) {
    /** Nothing kept. */
    public static final PersistenceConfig NONE = new PersistenceConfig(null, null, null);

    public PersistenceConfig {
        postgres = postgres == null ? Postgres.UNSET : postgres;
        redis = redis == null ? Redis.UNSET : redis;
        if (redis.host() != null && postgres.host() == null) {
            throw new IllegalArgumentException("persistence.redis.host (REDIS_HOST) is set but"
                    + " persistence.postgres.host (POSTGRES_HOST) is not: Redis carries events and sessions between"
                    + " gateways that keep their registrations in one PostgreSQL; set POSTGRES_HOST too, or unset"
                    + " REDIS_HOST");
        }
        if (reconcileInterval != null) {
            // The library's check, reported where the section is.
            GatewayConfig.builder().storeReconcileInterval(reconcileInterval).build();
        }
    }

    /** Applies what the gateway's own configuration takes of this section. */
    void applyTo(GatewayConfig.Builder builder) {
        if (reconcileInterval != null) {
            builder.storeReconcileInterval(reconcileInterval);
        }
    }

    /** Whether registrations are kept in PostgreSQL. */
    public boolean enabled() {
        return postgres.host() != null;
    }

    /**
     * Opens the configured store, migrating its schema; {@link RegistryStore#none()} when none is configured. The
     * caller closes it (the gateway does, once given it).
     *
     * @throws dev.mcpgateway.registry.RegistryStoreUnavailableException when PostgreSQL cannot be reached
     */
    RegistryStore openStore() {
        if (!enabled()) {
            return RegistryStore.none();
        }
        PostgresRegistryStore store = PostgresRegistryStore.open(postgres.options());
        return redis.host() == null ? store : store.withChangeEvents(RedisChangeEvents.open(redisOptions()));
    }

    /**
     * Opens the store of client sessions: Redis when configured, else {@link SessionStore#none()}. The server closes
     * it. Redis need not be up yet.
     */
    SessionStore openSessionStore() {
        return redis.host() == null ? SessionStore.none() : RedisSessionStore.open(redisOptions());
    }

    /** Redis on the channel of the gateways sharing this PostgreSQL schema. */
    private RedisOptions redisOptions() {
        RedisOptions.Builder builder = RedisOptions.builder().host(redis.host())
                .schema(postgres.schema() == null ? PostgresOptions.DEFAULT_SCHEMA : postgres.schema());
        if (redis.port() != null) {
            builder.port(redis.port());
        }
        if (redis.password() != null) {
            builder.password(redis.password());
        }
        return builder.build();
    }

    /**
     * Redis settings; unset ones have the library's defaults ({@link RedisOptions}).
     *
     * @param host     the server's host; unset shares nothing through Redis
     * @param port     its port (6379)
     * @param password its password, best given as {@code ${REDIS_PASSWORD}}; never shown
     */
    public record Redis(String host, Integer port, String password) {
        static final Redis UNSET = new Redis(null, null, null);

        public Redis {
            host = host == null || host.isBlank() ? null : host.strip();
            if (port != null && (port < 1 || port > 65535)) {
                throw new IllegalArgumentException("persistence.redis.port must be between 1 and 65535, got " + port);
            }
        }

        /** The settings without the password. */
        @Override
        public String toString() {
            return "Redis[host=" + host + ", port=" + port + ", password=" + (password == null ? "none" : "(hidden)")
                    + "]";
        }
    }

    /**
     * PostgreSQL settings; every one but {@code host} has the library's default ({@link PostgresOptions}).
     *
     * @param host              the server's host; unset keeps state in memory
     * @param port              its port (5432)
     * @param database          the database ({@value PostgresOptions#DEFAULT_DATABASE})
     * @param user              the user ({@value PostgresOptions#DEFAULT_USER})
     * @param password          the password, best given as {@code ${POSTGRES_PASSWORD}}; never shown
     * @param schema            the schema of the gateway's tables ({@value PostgresOptions#DEFAULT_SCHEMA})
     * @param maximumPoolSize   the most connections held
     * @param connectionTimeout how long a write waits for a connection before it fails (2 s)
     * @param statementTimeout  how long one statement may run (2 s)
     */
    public record Postgres(String host, Integer port, String database, String user, String password, String schema,
                           Integer maximumPoolSize, Duration connectionTimeout, Duration statementTimeout) {
        static final Postgres UNSET = new Postgres(null, null, null, null, null, null, null, null, null);

        public Postgres {
            host = host == null || host.isBlank() ? null : host.strip();
            if (host != null) {
                options(host, port, database, user, password, schema, maximumPoolSize, connectionTimeout,
                        statementTimeout); // the library's checks, reported where the section is
            }
        }

        /** These settings as the store takes them. */
        PostgresOptions options() {
            return options(host, port, database, user, password, schema, maximumPoolSize, connectionTimeout,
                    statementTimeout);
        }

        private static PostgresOptions options(String host, Integer port, String database, String user,
                                               String password, String schema, Integer maximumPoolSize,
                                               Duration connectionTimeout, Duration statementTimeout) {
            PostgresOptions.Builder builder = PostgresOptions.builder().host(host);
            if (port != null) {
                builder.port(port);
            }
            if (database != null) {
                builder.database(database);
            }
            if (user != null) {
                builder.user(user);
            }
            if (password != null) {
                builder.password(password);
            }
            if (schema != null) {
                builder.schema(schema);
            }
            if (maximumPoolSize != null) {
                builder.maximumPoolSize(maximumPoolSize);
            }
            if (connectionTimeout != null) {
                builder.connectionTimeout(connectionTimeout);
            }
            if (statementTimeout != null) {
                builder.statementTimeout(statementTimeout);
            }
            return builder.build();
        }

        /** The settings without the password. */
        @Override
        public String toString() {
            return "Postgres[host=" + host + ", port=" + port + ", database=" + database + ", user=" + user
                    + ", password=" + (password == null ? "none" : "(hidden)") + ", schema=" + schema
                    + ", maximumPoolSize=" + maximumPoolSize + ", connectionTimeout=" + connectionTimeout
                    + ", statementTimeout=" + statementTimeout + "]";
        }
    }
}
