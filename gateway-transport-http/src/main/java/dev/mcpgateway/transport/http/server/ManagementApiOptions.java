package dev.mcpgateway.transport.http.server;

import java.time.Duration;
import java.util.Objects;

/**
 * What the management REST API under {@code /api/v1} (beside the MCP endpoint, in {@link McpHttpServer} and
 * {@link McpServlet} alike) allows: whether it is served at all, whether a stdio plugin may be registered through it,
 * the leases it grants, the largest body it reads and the longest drain it waits for. {@code docs/MANAGEMENT-API.md}
 * describes the routes.
 *
 * @param enabled                whether the API is served; true by default. Off, every {@code /api/v1} path but
 *                               {@code /api/v1/gateway} (the version and counts, which only read) answers {@code 404}
 *                               saying the API is disabled
 * @param allowStdioRegistration whether a plugin registered over the API may use the {@code stdio} transport; false
 *                               by default, because such a registration makes the gateway run the command it names,
 *                               which until the API authenticates its callers (issue 14) anyone reaching the port
 *                               could choose. Refused with {@code 403}, saying how to allow it
 * @param defaultLease           the lease of a registration that asks for none; 30 s by default, as Eureka's and
 *                               Consul's usual TTLs: long enough that a heartbeat every 10 s survives two losses,
 *                               short enough that a crashed plugin leaves the listing within half a minute
 * @param maxLease               the longest lease a registration may ask for; longer is refused with {@code 400}.
 *                               24 h by default, the manifest's own upper bound: a plugin that heartbeats rarely is
 *                               still removed within a day of vanishing
 * @param maxBodyBytes           the largest request body read, in bytes; larger is refused with {@code 413}. 1 MiB by
 *                               default: a manifest with a few hundred tool schemas fits, and bodies are held in
 *                               memory (counted in {@link HttpFrontDoorOptions#maxBodyBytesInFlight()} with the MCP
 *                               endpoint's)
 * @param maxDrainTimeout        the longest {@code ?timeoutSeconds=} a drain may wait for calls in flight; 5 min by
 *                               default, so a drain holds its request (and connection) no longer than a proxy would
 *                               keep it open. A drain without one waits 30 s, or this if it is shorter
 */
public record ManagementApiOptions(boolean enabled, boolean allowStdioRegistration, Duration defaultLease,
                                   Duration maxLease, int maxBodyBytes, Duration maxDrainTimeout) {
    /** The default lease of a registration without {@code leaseSeconds}: 30 s. */
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);
    /** The default longest lease: 24 h. */
    public static final Duration DEFAULT_MAX_LEASE = Duration.ofHours(24);
    /** The default body limit: 1 MiB. */
    public static final int DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
    /** The largest body limit that may be configured: 64 MiB (bodies are parsed in memory). */
    public static final int MAX_BODY_BYTES_LIMIT = 64 * 1024 * 1024;
    /** The default longest drain: 5 min. */
    public static final Duration DEFAULT_MAX_DRAIN_TIMEOUT = Duration.ofMinutes(5);
    /** The drain timeout when a request names none (capped by {@link #maxDrainTimeout()}): 30 s. */
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);

    /** Validates the options, saying what to set instead. */
    public ManagementApiOptions {
        defaultLease = wholeSeconds("defaultLease", defaultLease, "30 s");
        maxLease = wholeSeconds("maxLease", maxLease, "24 h");
        if (defaultLease.compareTo(maxLease) > 0) {
            throw new IllegalArgumentException("defaultLease (" + defaultLease.toSeconds() + " s) must not exceed "
                    + "maxLease (" + maxLease.toSeconds() + " s), or a registration without leaseSeconds would be "
                    + "refused; lower defaultLease or raise maxLease");
        }
        if (maxBodyBytes < 1024 || maxBodyBytes > MAX_BODY_BYTES_LIMIT) {
            throw new IllegalArgumentException("maxBodyBytes must be between 1024 and " + MAX_BODY_BYTES_LIMIT
                    + " (64 MiB); the default is " + DEFAULT_MAX_BODY_BYTES + " (1 MiB); got " + maxBodyBytes);
        }
        maxDrainTimeout = wholeSeconds("maxDrainTimeout", maxDrainTimeout, "5 min");
    }

    /** The timeout of a drain that names none: 30 s, or {@link #maxDrainTimeout()} if that is shorter. */
    public Duration defaultDrainTimeout() {
        return DEFAULT_DRAIN_TIMEOUT.compareTo(maxDrainTimeout) <= 0 ? DEFAULT_DRAIN_TIMEOUT : maxDrainTimeout;
    }

    private static Duration wholeSeconds(String name, Duration value, String usual) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.toSeconds() < 1 || value.toNanos() % 1_000_000_000L != 0) {
            throw new IllegalArgumentException(name + " must be a positive whole number of seconds (the API counts "
                    + "in seconds; " + usual + " is the default), got " + value);
        }
        return value;
    }

    /**
     * The defaults: served, stdio registration refused, leases of 30 s by default and 24 h at most, bodies up to
     * 1 MiB, drains waiting at most 5 min.
     */
    public static ManagementApiOptions defaults() {
        return builder().build();
    }

    /** Options with the API off: only {@code /api/v1/gateway} is served under {@code /api/v1}. */
    public static ManagementApiOptions disabled() {
        return builder().enabled(false).build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        return new Builder().enabled(enabled).allowStdioRegistration(allowStdioRegistration)
                .defaultLease(defaultLease).maxLease(maxLease).maxBodyBytes(maxBodyBytes)
                .maxDrainTimeout(maxDrainTimeout);
    }

    /** Builds {@link ManagementApiOptions}; starts from the defaults. */
    public static final class Builder {
        private boolean enabled = true;
        private boolean allowStdioRegistration;
        private Duration defaultLease = DEFAULT_LEASE;
        private Duration maxLease = DEFAULT_MAX_LEASE;
        private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
        private Duration maxDrainTimeout = DEFAULT_MAX_DRAIN_TIMEOUT;

        private Builder() {
        }

        /** Whether the API is served. */
        public Builder enabled(boolean serve) {
            enabled = serve;
            return this;
        }

        /** Whether plugins registered over the API may use the stdio transport (making the gateway run a command). */
        public Builder allowStdioRegistration(boolean allow) {
            allowStdioRegistration = allow;
            return this;
        }

        /** The lease of a registration that asks for none. */
        public Builder defaultLease(Duration lease) {
            defaultLease = lease;
            return this;
        }

        /** The longest lease a registration may ask for. */
        public Builder maxLease(Duration lease) {
            maxLease = lease;
            return this;
        }

        /** The largest request body read, in bytes. */
        public Builder maxBodyBytes(int bytes) {
            maxBodyBytes = bytes;
            return this;
        }

        /** The longest a drain may wait for calls in flight. */
        public Builder maxDrainTimeout(Duration timeout) {
            maxDrainTimeout = timeout;
            return this;
        }

        /** The options; validated. */
        public ManagementApiOptions build() {
            return new ManagementApiOptions(enabled, allowStdioRegistration, defaultLease, maxLease, maxBodyBytes,
                    maxDrainTimeout);
        }
    }
}
