package dev.mcpgateway.transport.stdio.server;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits and timings of a {@link StdioServer}. Start from {@link #defaults()} and change what you need with the
 * {@code with…} methods.
 *
 * @param maxLineBytes the longest stdin line accepted as a message, in bytes; a longer line is answered with an
 *                     error without being held in memory whole
 * @param drainTimeout how long requests still in flight when stdin ends may take to answer before the session is
 *                     closed and they are cancelled
 */
public record StdioServerOptions(int maxLineBytes, Duration drainTimeout) {
    /** The default {@link #maxLineBytes()}: 16 MiB. */
    public static final int DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;
    /**
     * The default {@link #drainTimeout()}: 2 seconds, about what MCP clients wait after closing stdin before they
     * send SIGTERM.
     */
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(2);

    private static final StdioServerOptions DEFAULTS =
            new StdioServerOptions(DEFAULT_MAX_LINE_BYTES, DEFAULT_DRAIN_TIMEOUT);

    /** Checks the values. */
    public StdioServerOptions {
        if (maxLineBytes <= 0) {
            throw new IllegalArgumentException("maxLineBytes must be positive, got " + maxLineBytes
                    + "; it bounds one JSON-RPC message, the default is " + DEFAULT_MAX_LINE_BYTES + " (16 MiB)");
        }
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        if (drainTimeout.isNegative()) {
            throw new IllegalArgumentException("drainTimeout must not be negative, got " + drainTimeout
                    + "; use Duration.ZERO to cancel calls in flight as soon as stdin ends");
        }
    }

    /** 16 MiB lines, 2 s for calls in flight to answer after stdin ends. */
    public static StdioServerOptions defaults() {
        return DEFAULTS;
    }

    /** These options with another line limit. */
    public StdioServerOptions withMaxLineBytes(int bytes) {
        return new StdioServerOptions(bytes, drainTimeout);
    }

    /** These options with another time for calls in flight to answer after stdin ends. */
    public StdioServerOptions withDrainTimeout(Duration timeout) {
        return new StdioServerOptions(maxLineBytes, timeout);
    }
}
