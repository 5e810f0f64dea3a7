package dev.mcpgateway.examples.runner;

import java.net.URI;
import java.util.Locale;

/**
 * The runner's {@code tracing:} section: whether each tool call is exported as OpenTelemetry spans over OTLP/HTTP
 * (a SERVER span of the gateway under the client's {@code traceparent}, a CLIENT span of the call to the plugin;
 * docs/OBSERVABILITY.md), and how. Off unless an endpoint is set. Takes effect on restart.
 *
 * @param otlpEndpoint the collector's OTLP/HTTP traces URL, e.g. {@code http://collector:4318/v1/traces}; none
 *                     (tracing off) by default
 * @param sampleRatio  the share of traces started here that are recorded, from 0 to 1; a call under a client's
 *                     trace follows the client's sampled flag instead. 1 by default
 * @param serviceName  the {@code service.name} the spans carry; {@code mcp-gateway} by default
 */
public record TracingConfig(String otlpEndpoint, Double sampleRatio, String serviceName) {
    /** No tracing. */
    public static final TracingConfig OFF = new TracingConfig(null, null, null);

    public TracingConfig {
        otlpEndpoint = otlpEndpoint == null || otlpEndpoint.isBlank() ? null : otlpEndpoint.strip();
        sampleRatio = sampleRatio == null ? 1.0 : sampleRatio;
        serviceName = serviceName == null ? "mcp-gateway" : serviceName.strip();
        if (otlpEndpoint != null) {
            URI uri;
            try {
                uri = URI.create(otlpEndpoint);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("tracing.otlpEndpoint is not a URL: " + otlpEndpoint, e);
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
                throw new IllegalArgumentException("tracing.otlpEndpoint must be an http(s) URL with a host, such as"
                        + " http://collector:4318/v1/traces; got " + otlpEndpoint);
            }
        }
        if (!(sampleRatio >= 0 && sampleRatio <= 1)) {
            throw new IllegalArgumentException("tracing.sampleRatio must be between 0 and 1, got " + sampleRatio);
        }
        if (serviceName.isEmpty()) {
            throw new IllegalArgumentException("tracing.serviceName must not be blank; leave it out for mcp-gateway");
        }
    }

    /** Whether spans are exported. */
    public boolean enabled() {
        return otlpEndpoint != null;
    }

    /** Starts the exporter, or returns null when tracing is off; the caller closes it after the gateway. */
    RunnerTracing start() {
        return enabled() ? RunnerTracing.start(this) : null;
    }
}
