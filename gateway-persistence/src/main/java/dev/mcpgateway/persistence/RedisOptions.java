package dev.mcpgateway.persistence;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Where {@link RedisChangeEvents} and {@link RedisSessionStore} find Redis, and the channel gateways sharing a
 * PostgreSQL schema tell each other of changes on (the session store's keys and channel are named after it). Build with {@link #builder()} or from the environment with {@link #fromEnvironment(Map)}; every value is
 * checked when it is built. {@link #toString()} never shows the password.
 *
 * @param host           the Redis host
 * @param port           its port
 * @param password       its password, or null when it asks for none
 * @param channel        the pub/sub channel; gateways sharing a schema must share it (default
 *                       {@code mcp-gateway:registry:<schema>}); sessions use {@code <channel>:session:<id>} keys and
 *                       the {@code <channel>:sessions} channel
 * @param connectTimeout how long connecting may take
 * @param readTimeout    how long a command or publish may wait for Redis's answer
 * @param keepAlive      how often a subscription pings Redis; one silent for this plus {@code readTimeout} is
 *                       replaced
 */
public record RedisOptions(String host, int port, String password, String channel, Duration connectTimeout,
                           Duration readTimeout, Duration keepAlive) {
    /** The default host. */
    public static final String DEFAULT_HOST = "localhost";
    /** The default port. */
    public static final int DEFAULT_PORT = 6379;
    /** The prefix of the default channel, followed by the PostgreSQL schema. */
    public static final String CHANNEL_PREFIX = "mcp-gateway:registry:";
    /** The default connect and read timeout. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);
    /** The default interval of the listener's keepalive PING. */
    public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(5);

    /** Checks the options. */
    public RedisOptions {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(readTimeout, "readTimeout");
        Objects.requireNonNull(keepAlive, "keepAlive");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be between 1 and 65535, was " + port);
        }
        if (channel.isBlank()) {
            throw new IllegalArgumentException("channel must not be blank");
        }
        if (connectTimeout.toMillis() < 1 || readTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("connectTimeout and readTimeout must be at least 1 ms");
        }
        if (keepAlive.toMillis() < 10) {
            throw new IllegalArgumentException("keepAlive must be at least 10 ms, was " + keepAlive);
        }
    }

    /** A builder with the defaults: {@code localhost:6379}, no password, the channel of schema {@code mcp_gateway}. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Options from the environment: {@code REDIS_HOST}, {@code REDIS_PORT}, {@code REDIS_PASSWORD}, and the channel of
     * {@code POSTGRES_SCHEMA} (so gateways on one schema share a channel and gateways on others do not); defaults for
     * what is not set.
     *
     * @param env the environment, usually {@link System#getenv()}
     * @return a builder holding what the environment says
     * @throws IllegalArgumentException when a value is not valid (the message names the variable)
     */
    public static Builder fromEnvironment(Map<String, String> env) {
        Builder builder = builder();
        new EnvironmentSettings(env).text("REDIS_HOST", builder::host).port("REDIS_PORT", builder::port)
                .text("REDIS_PASSWORD", builder::password).text("POSTGRES_SCHEMA", builder::schema);
        return builder;
    }

    /** Where Redis is, for messages and logs. */
    public String target() {
        return host + ":" + port;
    }

    /** The options without the password (shown as {@code ****} when there is one). */
    @Override
    public String toString() {
        return "RedisOptions[host=" + host + ", port=" + port + ", password=" + (password == null ? "none" : "****")
                + ", channel=" + channel + ", connectTimeout=" + connectTimeout + ", readTimeout=" + readTimeout
                + ", keepAlive=" + keepAlive + "]";
    }

    /** Builds {@link RedisOptions}; every setter returns the builder. Not thread-safe. */
    public static final class Builder {
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private String password;
        private String channel = CHANNEL_PREFIX + PostgresOptions.DEFAULT_SCHEMA;
        private Duration connectTimeout = DEFAULT_TIMEOUT;
        private Duration readTimeout = DEFAULT_TIMEOUT;
        private Duration keepAlive = DEFAULT_KEEP_ALIVE;

        private Builder() {
        }

        /** The host (default {@value RedisOptions#DEFAULT_HOST}). */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** The port (default {@value RedisOptions#DEFAULT_PORT}). */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** The password, or null for none (the default). */
        public Builder password(String password) {
            this.password = password;
            return this;
        }

        /** The channel of the gateways sharing PostgreSQL schema {@code schema}: {@code mcp-gateway:registry:<schema>}. */
        public Builder schema(String schema) {
            this.channel = CHANNEL_PREFIX + Objects.requireNonNull(schema, "schema");
            return this;
        }

        /** The channel, verbatim. */
        public Builder channel(String channel) {
            this.channel = channel;
            return this;
        }

        /** How long connecting may take (default 1 s). */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        /** How long a publish may wait for Redis's answer (default 1 s). */
        public Builder readTimeout(Duration readTimeout) {
            this.readTimeout = readTimeout;
            return this;
        }

        /**
         * How often the listener sends a PING on its subscription (default 5 s). A connection that answers nothing
         * within this plus {@link #readTimeout} is taken for dead (a peer or a network device that vanished without
         * closing it) and replaced.
         */
        public Builder keepAlive(Duration keepAlive) {
            this.keepAlive = keepAlive;
            return this;
        }

        /**
         * The options.
         *
         * @throws IllegalArgumentException when a value is not valid
         */
        public RedisOptions build() {
            return new RedisOptions(host, port, password, channel, connectTimeout, readTimeout, keepAlive);
        }
    }
}
