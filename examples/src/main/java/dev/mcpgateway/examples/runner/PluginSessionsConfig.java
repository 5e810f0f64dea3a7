package dev.mcpgateway.examples.runner;

import dev.mcpgateway.transport.SessionOptions;
import java.time.Duration;

/**
 * The runner's {@code pluginSessions:} section: how the gateway's MCP sessions toward its plugins behave (the
 * handshake, and the restarts of a plugin whose connection or process ended). Every key is optional and takes
 * {@link SessionOptions#defaults()}' value.
 *
 * @param handshakeTimeout  how long connecting to a plugin (era detection plus initialization) may take, 10 s by
 *                          default
 * @param probeModern       whether to try the 2026-07-28 {@code server/discover} before {@code initialize}, true by
 *                          default
 * @param restartBackoffMin the first delay before restarting a plugin whose connection ended, 100 ms by default
 * @param restartBackoffMax the longest delay between restarts (the delay doubles up to it), 30 s by default
 */
public record PluginSessionsConfig(Duration handshakeTimeout, Boolean probeModern, Duration restartBackoffMin,
                                   Duration restartBackoffMax) {
    /** The defaults. */
    public static final PluginSessionsConfig DEFAULT = new PluginSessionsConfig(null, null, null, null);

    public PluginSessionsConfig {
        try {
            options(handshakeTimeout, probeModern, restartBackoffMin, restartBackoffMax);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("pluginSessions: " + e.getMessage(), e);
        }
    }

    /** These settings as the gateway takes them. */
    public SessionOptions options() {
        return options(handshakeTimeout, probeModern, restartBackoffMin, restartBackoffMax);
    }

    private static SessionOptions options(Duration handshakeTimeout, Boolean probeModern, Duration restartBackoffMin,
                                          Duration restartBackoffMax) {
        SessionOptions options = SessionOptions.defaults();
        if (handshakeTimeout != null) {
            options = options.withHandshakeTimeout(handshakeTimeout);
        }
        if (probeModern != null) {
            options = options.withProbeModern(probeModern);
        }
        if (restartBackoffMin != null || restartBackoffMax != null) {
            options = options.withRestartBackoff(restartBackoffMin != null ? restartBackoffMin
                    : options.restartBackoffMin(), restartBackoffMax != null ? restartBackoffMax
                    : options.restartBackoffMax());
        }
        return options;
    }
}
