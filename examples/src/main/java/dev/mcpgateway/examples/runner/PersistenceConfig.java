package dev.mcpgateway.examples.runner;

import dev.mcpgateway.GatewayConfig;
import dev.mcpgateway.persistence.PostgresOptions;
import dev.mcpgateway.persistence.PostgresRegistryStore;
import dev.mcpgateway.registry.RegistryStore;
import java.time.Duration;

/**
 * The runner's {@code persistence:} section: where the gateway keeps what outlives it. With
 * {@code persistence.postgres.host} (the seed's {@code POSTGRES_HOST}) set, instances registered over the management
 * API and their leases are kept in PostgreSQL and served again after a restart; without it everything stays in
 * memory, as the demo needs. The seed's {@code POSTGRES_PORT}, {@code POSTGRES_DB}, {@code POSTGRES_USER} and
 * {@code POSTGRES_PASSWORD} set the keys of the same meaning.
 *
 * @param postgres          the PostgreSQL registry store, or unset
 * @param reconcileInterval how often the gateway reads the store back to follow registrations made through other
 *                          gateways sharing it (the library's default, 5 s, when unset)
 */
public record PersistenceConfig(Postgres postgres, Duration reconcileInterval) {
    /** Nothing kept. */
    public static final PersistenceConfig NONE = new PersistenceConfig(null, null);

    public PersistenceConfig {
        postgres = postgres == null ? Postgres.UNSET : postgres;
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
        return enabled() ? PostgresRegistryStore.open(postgres.options()) : RegistryStore.none();
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
