/** MCP Gateway examples: the demo plugins, embedding examples and the standalone runner. */
module dev.mcpgateway.examples {
    // Its public API (the runner) speaks in core types.
    requires transitive dev.mcpgateway.core;
    requires dev.mcpgateway.transport.stdio;
    requires dev.mcpgateway.transport.http;
    requires dev.mcpgateway.persistence;
    requires com.fasterxml.jackson.dataformat.yaml;
    // Its parse errors mark where the problem is (a tab, say), where Jackson knows only the token before.
    requires org.yaml.snakeyaml;
    requires org.slf4j;
    // The runner's metrics registry, scraped at /metrics.
    requires micrometer.registry.prometheus;
    // The runner's tracing: Micrometer Tracing bridged to the OpenTelemetry SDK, exported over OTLP.
    requires micrometer.observation;
    requires micrometer.tracing;
    requires micrometer.tracing.bridge.otel;
    requires io.opentelemetry.api;
    requires io.opentelemetry.context;
    requires io.opentelemetry.sdk.common;
    requires io.opentelemetry.sdk.trace;
    requires io.opentelemetry.exporter.otlp;
    // sun.misc.Signal: the runner reloads its configuration on SIGHUP.
    requires jdk.unsupported;

    exports dev.mcpgateway.examples.demo;
    exports dev.mcpgateway.examples.runner;
    exports dev.mcpgateway.examples.selfregistering;
    // Jackson builds the configuration records reflectively.
    opens dev.mcpgateway.examples.runner to com.fasterxml.jackson.databind;
}
