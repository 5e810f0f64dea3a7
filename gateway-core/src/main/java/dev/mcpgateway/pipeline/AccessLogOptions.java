package dev.mcpgateway.pipeline;

/**
 * Whether the gateway writes one line per tool call to the SLF4J logger {@value #LOGGER} (at INFO), so operators can
 * route the access log apart from the gateway's own log. A line names the client (the principal's subject, when its
 * front door authenticates), the MCP session, the tool, the plugin and instance that served it, the outcome, the
 * duration and the trace-id; never arguments, results, tokens or other secrets. Off by default: a library should not
 * log every call of its host unasked.
 *
 * @param enabled    whether calls are logged at all
 * @param sampleRate the share of calls logged, from 0 (none) to 1 (every call); each call is drawn on its own, before
 *                   it runs, so a sampled line is never skewed toward fast or failed calls
 */
public record AccessLogOptions(boolean enabled, double sampleRate) {
    /** The name of the logger the lines go to. */
    public static final String LOGGER = "dev.mcpgateway.access";

    public AccessLogOptions {
        if (!(sampleRate >= 0 && sampleRate <= 1)) {
            throw new IllegalArgumentException("sampleRate must be between 0 and 1 (0.1: one call in ten is logged), got "
                    + sampleRate);
        }
    }

    /** No access log (the default). */
    public static AccessLogOptions off() {
        return new AccessLogOptions(false, 0);
    }

    /** A line for every call. */
    public static AccessLogOptions everyCall() {
        return new AccessLogOptions(true, 1);
    }

    /** A line for a share of the calls, from 0 to 1. */
    public static AccessLogOptions sampled(double sampleRate) {
        return new AccessLogOptions(true, sampleRate);
    }

    /** Whether any call can be logged; otherwise the gateway adds no interceptor. */
    public boolean logsAny() {
        return enabled && sampleRate > 0;
    }
}
