package dev.mcpgateway.internal.transport.http.server;

import dev.mcpgateway.McpGateway;
import dev.mcpgateway.auth.AccessPolicy;
import dev.mcpgateway.transport.http.server.ManagementApiOptions;
import java.util.List;

/**
 * The management REST API's route table under {@code /api/v1}, as {@code docs/MANAGEMENT-API.md} lists it and
 * {@code openapi.json} describes it: which method and path goes to which route of {@link PluginRoutes},
 * {@link RegistrationRoute}, {@link ToolRoutes}, {@link RuleRoutes} and {@link OpenApiRoute}, with the query
 * parameters each takes. {@code /api/v1/gateway} is not here: it is served even with the API disabled.
 */
final class ManagementApi {
    private ManagementApi() {
    }

    /** Adds every route of the API, calling the gateway under the options, waiting through {@code waits}. */
    static void addRoutes(RouteTable.Builder table, McpGateway gateway, ManagementApiOptions options, Waits waits,
                          AccessPolicy policy) {
        PluginRoutes plugins = new PluginRoutes(gateway, options, waits);
        RegistrationRoute registration = new RegistrationRoute(gateway, options, waits, plugins);
        ToolRoutes tools = new ToolRoutes(gateway, waits, policy);
        RuleRoutes rules = new RuleRoutes(gateway, waits);
        OpenApiRoute openApi = new OpenApiRoute();
        table.route("GET", "/api/v1/openapi.json", request -> openApi.document())
                .route("GET", "/api/v1/plugins", List.of("name", "label", "health", "status", "source"),
                        plugins::list)
                .route("POST", "/api/v1/plugins", List.of("instanceId", "leaseSeconds"), registration::register)
                .route("GET", "/api/v1/plugins/{id}", plugins::get)
                .route("DELETE", "/api/v1/plugins/{id}", plugins::deregister)
                .route("POST", "/api/v1/plugins/{id}/heartbeat", plugins::heartbeat)
                .route("POST", "/api/v1/plugins/{id}/drain", List.of("timeoutSeconds"), plugins::drain)
                .route("POST", "/api/v1/plugins/{id}/undrain", plugins::undrain)
                .route("GET", "/api/v1/plugins/{id}/health", plugins::health)
                .route("GET", "/api/v1/tools", tools::list)
                .route("GET", "/api/v1/tools/{name}", tools::get)
                .route("POST", "/api/v1/tools/{name}/invoke", tools::invoke)
                .route("GET", "/api/v1/rules", rules::list)
                .route("PUT", "/api/v1/rules", rules::replaceAll)
                .route("GET", "/api/v1/rules/{name}", rules::get)
                .route("PUT", "/api/v1/rules/{name}", rules::put)
                .route("DELETE", "/api/v1/rules/{name}", rules::delete);
    }
}
