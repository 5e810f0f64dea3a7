/**
 * MCP Gateway core: the domain model, JSON-RPC codec, registry, routing, load balancing and the
 * {@code McpGateway} facade, usable in-process with no network; and the validation of OAuth bearer tokens
 * ({@code dev.mcpgateway.auth}: signed JWTs against a JWKS or configured keys, opaque tokens by introspection) that
 * the HTTP transport builds on as a resource server.
 */
module dev.mcpgateway.core {
    requires transitive com.fasterxml.jackson.databind;
    requires org.slf4j;
    requires java.net.http;
    // Transitive: JwtValidatorOptions takes the keys to trust as a nimbus JWKSet.
    requires transitive com.nimbusds.jose.jwt;
    // Transitive: hosts hand the gateway their MeterRegistry (McpGateway.Builder.meterRegistry).
    requires transitive micrometer.core;
    // Transitive: hosts hand the gateway their ObservationRegistry (McpGateway.Builder.observationRegistry).
    requires transitive micrometer.observation;

    exports dev.mcpgateway;
    exports dev.mcpgateway.audit;
    exports dev.mcpgateway.auth;
    exports dev.mcpgateway.balancer;
    exports dev.mcpgateway.event;
    exports dev.mcpgateway.health;
    exports dev.mcpgateway.inprocess;
    exports dev.mcpgateway.jsonrpc;
    exports dev.mcpgateway.mcp;
    exports dev.mcpgateway.metrics;
    exports dev.mcpgateway.naming;
    exports dev.mcpgateway.pipeline;
    exports dev.mcpgateway.plugin;
    exports dev.mcpgateway.registry;
    exports dev.mcpgateway.routing;
    exports dev.mcpgateway.server;
    exports dev.mcpgateway.trace;
    exports dev.mcpgateway.transport;
    // Not an API: the HTTP transport sends the tokens of plugins' upstream credentials.
    exports dev.mcpgateway.internal.auth to dev.mcpgateway.transport.http;
    // Not an API: the management API names its callers as the actors of the changes they make.
    exports dev.mcpgateway.internal.audit to dev.mcpgateway.transport.http;
    // Not an API: shared with the transports, which log what plugins send too.
    exports dev.mcpgateway.internal.logging to dev.mcpgateway.transport.stdio, dev.mcpgateway.transport.http;
    // Not an API: the gateway's own front doors audit authentication failures through it (and the persistence
    // module's tests).
    exports dev.mcpgateway.internal.gateway to dev.mcpgateway.transport.http, dev.mcpgateway.persistence;
    // Not an API: the management API shows rules in the JSON a registry store keeps them in.
    exports dev.mcpgateway.internal.routing to dev.mcpgateway.transport.http;
}
