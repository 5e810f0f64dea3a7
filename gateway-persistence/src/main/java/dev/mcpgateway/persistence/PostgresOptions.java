package dev.mcpgateway.persistence;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where and how {@link PostgresRegistryStore} reaches PostgreSQL. Build one with {@link #builder()} or read one from
 * the environment with {@link #fromEnvironment(Map)}; every value is checked when it is built, and a wrong one is
 * refused with a message that names it.
 *
 * <p>The defaults fail fast, because the store works on the registry's control loop and holds up every registry
 * change while it waits: two seconds to get a connection, two seconds for a statement.
 *
 * @param jdbcUrl           the PostgreSQL JDBC URL ({@code jdbc:postgresql://host:port/database}); built from host,
 *                          port and database when not given
 * @param user              the database user, or null to leave it to the URL
 * @param password          the user's password, or null (trust or peer authentication); never shown by
 *                          {@link #toString()} or logged
 * @param schema            the schema the store's tables and its migration history live in (created when missing)
 * @param maximumPoolSize   the most connections the store holds
 * @param connectionTimeout how long a call waits for a connection before it fails
 * @param statementTimeout  how long one statement may run (PostgreSQL's {@code statement_timeout}) before it fails
 */
public record PostgresOptions(
        String jdbcUrl,
        String user,
        String password,
        String schema,
        int maximumPoolSize,
        Duration connectionTimeout,
        Duration statementTimeout) {

    /** The default host: a PostgreSQL on this machine. */
    public static final String DEFAULT_HOST = "localhost";
    /** PostgreSQL's own default port. */
    public static final int DEFAULT_PORT = 5432;
    /** The default database. */
    public static final String DEFAULT_DATABASE = "mcp_gateway";
    /** The default user, the one every PostgreSQL installation has. */
    public static final String DEFAULT_USER = "postgres";
    /** The default schema. */
    public static final String DEFAULT_SCHEMA = "mcp_gateway";
    /** The default pool size: the store writes from one thread, so a few connections are plenty. */
    public static final int DEFAULT_MAXIMUM_POOL_SIZE = 4;
    /** The default wait for a connection. */
    public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(2);
    /** The default limit on one statement. */
    public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofSeconds(2);

    // An unquoted PostgreSQL identifier, so that the schema can be written into SQL as it is.
    private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    // HikariCP refuses a connection timeout below 250 ms.
    private static final Duration MINIMUM_CONNECTION_TIMEOUT = Duration.ofMillis(250);
    private static final Pattern PASSWORD_IN_URL = Pattern.compile("(?i)(password=)[^&]*");

    /** Checks every value; use {@link #builder()} rather than this constructor. */
    public PostgresOptions {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException(
                    "jdbcUrl must be a PostgreSQL JDBC URL starting with jdbc:postgresql: (was '"
                            + maskUrl(jdbcUrl) + "')");
        }
        Objects.requireNonNull(schema, "schema");
        if (!SCHEMA.matcher(schema).matches()) {
            throw new IllegalArgumentException("schema must be a lower-case PostgreSQL identifier of at most 63 "
                    + "characters (letters, digits, _; not starting with a digit), was '" + schema + "'");
        }
        if (maximumPoolSize < 1 || maximumPoolSize > 100) {
            throw new IllegalArgumentException("maximumPoolSize must be between 1 and 100, was " + maximumPoolSize);
        }
        Objects.requireNonNull(connectionTimeout, "connectionTimeout");
        if (connectionTimeout.compareTo(MINIMUM_CONNECTION_TIMEOUT) < 0) {
            throw new IllegalArgumentException("connectionTimeout must be at least 250 ms, was " + connectionTimeout);
        }
        Objects.requireNonNull(statementTimeout, "statementTimeout");
        if (statementTimeout.toMillis() < 1) {
            throw new IllegalArgumentException(
                    "statementTimeout must be at least 1 ms (PostgreSQL reads 0 as no limit), was " + statementTimeout);
        }
    }

    /** A builder with the defaults: {@code localhost:5432}, database and schema {@code mcp_gateway}, user postgres. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads the options from the environment variables PostgreSQL's own tools and images use, each optional:
     * {@code POSTGRES_HOST} (default {@value #DEFAULT_HOST}), {@code POSTGRES_PORT} ({@value #DEFAULT_PORT}),
     * {@code POSTGRES_DB} ({@value #DEFAULT_DATABASE}), {@code POSTGRES_USER} ({@value #DEFAULT_USER}),
     * {@code POSTGRES_PASSWORD} (none) and {@code POSTGRES_SCHEMA} ({@value #DEFAULT_SCHEMA}). An empty value counts as
     * not set.
     *
     * @param env the environment, usually {@link System#getenv()}
     * @return a builder holding what the environment says, to change further or {@link Builder#build()}
     * @throws IllegalArgumentException when a value is not valid (the message names the variable)
     */
    public static Builder fromEnvironment(Map<String, String> env) {
        Builder builder = builder();
        new EnvironmentSettings(env).text("POSTGRES_HOST", builder::host).port("POSTGRES_PORT", builder::port)
                .text("POSTGRES_DB", builder::database).text("POSTGRES_USER", builder::user)
                .text("POSTGRES_PASSWORD", builder::password).text("POSTGRES_SCHEMA", builder::schema);
        return builder;
    }

    /**
     * Where the database is, for messages and logs: host, port and database from the URL, without parameters (which
     * may hold a password).
     */
    public String target() {
        String rest = jdbcUrl.substring("jdbc:postgresql:".length());
        int query = rest.indexOf('?');
        rest = query < 0 ? rest : rest.substring(0, query);
        return rest.startsWith("//") ? rest.substring(2) : rest;
    }

    /** The options without the password (shown as {@code ****} when there is one). */
    @Override
    public String toString() {
        return "PostgresOptions[jdbcUrl=" + maskUrl(jdbcUrl) + ", user=" + user
                + ", password=" + (password == null ? "none" : "****") + ", schema=" + schema
                + ", maximumPoolSize=" + maximumPoolSize + ", connectionTimeout=" + connectionTimeout
                + ", statementTimeout=" + statementTimeout + "]";
    }

    private static String maskUrl(String url) {
        return PASSWORD_IN_URL.matcher(url).replaceAll("$1****");
    }

    /** Builds {@link PostgresOptions}; every setter returns the builder. Not thread-safe. */
    public static final class Builder {
        private String jdbcUrl;
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private String database = DEFAULT_DATABASE;
        private String user = DEFAULT_USER;
        private String password;
        private String schema = DEFAULT_SCHEMA;
        private int maximumPoolSize = DEFAULT_MAXIMUM_POOL_SIZE;
        private Duration connectionTimeout = DEFAULT_CONNECTION_TIMEOUT;
        private Duration statementTimeout = DEFAULT_STATEMENT_TIMEOUT;

        private Builder() {
        }

        /** The whole JDBC URL; when set, host, port and database are not used. */
        public Builder jdbcUrl(String jdbcUrl) {
            this.jdbcUrl = Objects.requireNonNull(jdbcUrl, "jdbcUrl");
            return this;
        }

        /** The server's host name or address (default {@value PostgresOptions#DEFAULT_HOST}). */
        public Builder host(String host) {
            Objects.requireNonNull(host, "host");
            if (host.isBlank() || host.chars().anyMatch(c -> c == '/' || c == '?' || Character.isWhitespace(c))) {
                throw new IllegalArgumentException("host must be a host name or address, was '" + host + "'");
            }
            this.host = host;
            return this;
        }

        /** The server's port (default {@value PostgresOptions#DEFAULT_PORT}). */
        public Builder port(int port) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be between 1 and 65535, was " + port);
            }
            this.port = port;
            return this;
        }

        /** The database (default {@value PostgresOptions#DEFAULT_DATABASE}). */
        public Builder database(String database) {
            Objects.requireNonNull(database, "database");
            if (database.isBlank() || database.chars().anyMatch(c -> c == '/' || c == '?' || c == '&')) {
                throw new IllegalArgumentException("database must be a database name, was '" + database + "'");
            }
            this.database = database;
            return this;
        }

        /** The user (default {@value PostgresOptions#DEFAULT_USER}); null leaves it to the JDBC URL. */
        public Builder user(String user) {
            this.user = user;
            return this;
        }

        /** The password; null for none (trust or peer authentication). */
        public Builder password(String password) {
            this.password = password;
            return this;
        }

        /** The schema of the store's tables (default {@value PostgresOptions#DEFAULT_SCHEMA}). */
        public Builder schema(String schema) {
            this.schema = schema;
            return this;
        }

        /** The most connections held (default {@value PostgresOptions#DEFAULT_MAXIMUM_POOL_SIZE}). */
        public Builder maximumPoolSize(int maximumPoolSize) {
            this.maximumPoolSize = maximumPoolSize;
            return this;
        }

        /** How long a call waits for a connection (default 2 s, at least 250 ms). */
        public Builder connectionTimeout(Duration connectionTimeout) {
            this.connectionTimeout = connectionTimeout;
            return this;
        }

        /** How long one statement may run (default 2 s). */
        public Builder statementTimeout(Duration statementTimeout) {
            this.statementTimeout = statementTimeout;
            return this;
        }

        /**
         * The options.
         *
         * @throws IllegalArgumentException when a value is not valid
         */
        public PostgresOptions build() {
            String url = jdbcUrl != null ? jdbcUrl : "jdbc:postgresql://" + hostInUrl() + ":" + port + "/" + database;
            return new PostgresOptions(url, user, password, schema, maximumPoolSize, connectionTimeout,
                    statementTimeout);
        }

        // An IPv6 address goes in brackets in a URL.
        private String hostInUrl() {
            return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
        }
    }
}
