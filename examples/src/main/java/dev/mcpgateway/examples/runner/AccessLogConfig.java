package dev.mcpgateway.examples.runner;

import dev.mcpgateway.pipeline.AccessLogOptions;

/**
 * The runner's {@code accessLog:} section ({@link AccessLogOptions}): one line per tool call to the logger
 * {@value AccessLogOptions#LOGGER}, off unless enabled.
 *
 * @param enabled    whether tool calls are logged; false by default
 * @param sampleRate the share of calls logged when enabled, from 0 to 1; 1 (every call) by default
 */
public record AccessLogConfig(Boolean enabled, Double sampleRate) {
    /** No access log. */
    public static final AccessLogConfig OFF = new AccessLogConfig(null, null);

    public AccessLogConfig {
        enabled = enabled != null && enabled;
        sampleRate = sampleRate == null ? 1.0 : sampleRate;
        options(enabled, sampleRate); // the library's checks, named where they failed
    }

    /** These settings as the gateway takes them. */
    public AccessLogOptions options() {
        return options(enabled, sampleRate);
    }

    private static AccessLogOptions options(boolean enabled, double sampleRate) {
        return enabled ? AccessLogOptions.sampled(sampleRate) : new AccessLogOptions(false, sampleRate);
    }
}
