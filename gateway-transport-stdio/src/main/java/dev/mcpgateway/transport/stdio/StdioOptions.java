package dev.mcpgateway.transport.stdio;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits and timings of a {@link StdioChannel}. Start from {@link #defaults()} and change what you need with
 * the {@code with…} methods.
 *
 * @param maxLineBytes  the longest stdout line accepted as a message, in bytes; a longer line is skipped and
 *                      reported as invalid without being held in memory whole
 * @param shutdownGrace how long a plugin may take to exit by itself after its stdin is closed, before SIGTERM
 * @param killGrace     how long a plugin may take to exit after SIGTERM, before SIGKILL
 */
public record StdioOptions(int maxLineBytes, Duration shutdownGrace, Duration killGrace) {
    /** The default {@link #maxLineBytes()}: 16 MiB. */
    public static final int DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;
    /** The default {@link #shutdownGrace()} and {@link #killGrace()}: 2 seconds each. */
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(2);

    private static final StdioOptions DEFAULTS =
            new StdioOptions(DEFAULT_MAX_LINE_BYTES, DEFAULT_GRACE, DEFAULT_GRACE);

    /** Checks the values. */
    public StdioOptions {
        if (maxLineBytes <= 0) {
            throw new IllegalArgumentException("maxLineBytes must be positive, got " + maxLineBytes
                    + "; it bounds one JSON-RPC message, the default is " + DEFAULT_MAX_LINE_BYTES + " (16 MiB)");
        }
        requireGrace("shutdownGrace", shutdownGrace);
        requireGrace("killGrace", killGrace);
    }

    /** 16 MiB lines, 2 s to exit after stdin closes, 2 s more after SIGTERM. */
    public static StdioOptions defaults() {
        return DEFAULTS;
    }

    /** These options with another line limit. */
    public StdioOptions withMaxLineBytes(int bytes) {
        return new StdioOptions(bytes, shutdownGrace, killGrace);
    }

    /** These options with another wait between closing stdin and SIGTERM. */
    public StdioOptions withShutdownGrace(Duration grace) {
        return new StdioOptions(maxLineBytes, grace, killGrace);
    }

    /** These options with another wait between SIGTERM and SIGKILL. */
    public StdioOptions withKillGrace(Duration grace) {
        return new StdioOptions(maxLineBytes, shutdownGrace, grace);
    }

    private static void requireGrace(String name, Duration grace) {
        Objects.requireNonNull(grace, name);
        if (grace.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, got " + grace
                    + "; use Duration.ZERO to skip the wait");
        }
    }
}
