package dev.mcpgateway.internal.transport.http.server;

import dev.mcpgateway.McpGateway;
import dev.mcpgateway.internal.transport.http.api.FieldError;
import dev.mcpgateway.internal.transport.http.api.InvalidRequestException;
import dev.mcpgateway.internal.transport.http.api.ManifestCodec;
import dev.mcpgateway.plugin.InstanceStatus;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.plugin.Registration;
import dev.mcpgateway.plugin.TransportSpec;
import dev.mcpgateway.registry.InstanceConflictException;
import dev.mcpgateway.transport.http.server.ManagementApiOptions;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * {@code POST /api/v1/plugins}: registers an instance from a manifest or an MCP registry {@code server.json}
 * ({@link ManifestCodec}), as source {@code API}. The lease defaults to {@link ManagementApiOptions#defaultLease()}
 * and may not exceed {@link ManagementApiOptions#maxLease()}; a stdio plugin is refused ({@code 403}) unless
 * {@link ManagementApiOptions#allowStdioRegistration()}; an id held by another plugin is {@code 409}. With tools
 * listed the instance is routable when the answer ({@code 201} new, {@code 200} the same id again) arrives; without,
 * it registers {@code STARTING} and the answer ({@code 202}) does not wait for the gateway to connect and list them.
 * The answer carries the instance and its {@code Location}.
 */
final class RegistrationRoute {
    private static final String ONE_ERROR = "The manifest has 1 error; nothing was registered";

    private final McpGateway gateway;
    private final ManagementApiOptions options;
    private final Waits waits;
    private final PluginRoutes plugins;

    RegistrationRoute(McpGateway gateway, ManagementApiOptions options, Waits waits, PluginRoutes plugins) {
        this.gateway = gateway;
        this.options = options;
        this.waits = waits;
        this.plugins = plugins;
    }

    RouteReply register(ApiRequest request) {
        String leaseParam = request.query("leaseSeconds");
        Registration registration;
        try {
            registration = ManifestCodec.read(request.json(), request.query("instanceId"), leaseParam);
        } catch (InvalidRequestException e) {
            throw Problem.invalid(e.errors(), "The manifest has " + count(e.errors()) + "; nothing was registered");
        }
        String name = registration.manifest().name();
        if (!request.grant().mayRegister(name)) {
            request.auditForbidden(gateway, "plugin not allowed");
            // Names only the plugin asked for: what else the token may register, or who holds it, stays unsaid.
            throw ProblemException.of(403, "This access token may not register plugin '" + name + "'; ask for a "
                    + "token that allows it");
        }
        registration = withLease(registration, leaseParam != null ? "?leaseSeconds" : "/leaseSeconds");
        TransportSpec transport = registration.manifest().transport();
        if (transport instanceof TransportSpec.Stdio stdio && !options.allowStdioRegistration()) {
            throw ProblemException.of(403, "Registering a stdio plugin makes the gateway run its command ('"
                    + stdio.command() + "'), which this gateway does not allow over its API; register an http "
                    + "plugin, or have the host allow it with ManagementApiOptions.allowStdioRegistration(true) "
                    + "(only where every caller of the API is trusted to run commands)");
        }
        Optional<PluginInstance> previous = registration.instanceId() == null ? Optional.empty()
                : gateway.registry().instance(registration.instanceId());
        boolean starting = registration.initialStatus() == InstanceStatus.STARTING;
        if (starting && previous.isPresent() && previous.get().manifest().transport().equals(transport)) {
            // The same instance again without tools: its connection is kept (the gateway reconnects only for a new
            // transport), so nothing would list its tools anew and it would stay STARTING; it keeps those it has.
            registration = new Registration(registration.instanceId(),
                    registration.manifest().withTools(previous.get().manifest().tools()), previous.get().status(),
                    registration.lease(), registration.source());
            starting = false;
        }
        boolean mayKnowHolder = request.grant() == ApiAccess.Grant.OPEN;
        PluginInstance registered = waits.await(register(registration, starting, mayKnowHolder),
                PluginRoutes.CONTROL_WAIT,
                "register the instance");
        int status = starting ? 202 : previous.isPresent() ? 200 : 201;
        return plugins.ok(registered).withStatus(status)
                .withHeader("Location", "plugins/" + RouteTable.encodeSegment(registered.id()));
    }

    /**
     * Registers, refusing a transport the gateway has not installed as a bad {@code /transport/type}; a
     * {@code STARTING} registration is left to connect and list its tools in the background.
     */
    private CompletableFuture<PluginInstance> register(Registration registration, boolean starting,
                                                       boolean mayKnowHolder) {
        String type = registration.manifest().transport().type();
        if (!gateway.transportTypes().contains(type)) {
            throw Problem.invalid(List.of(new FieldError("/transport/type", "transport '" + type + "' is not installed"
                    + " on this gateway; installed: " + String.join(", ", gateway.transportTypes()))), ONE_ERROR);
        }
        // McpGateway.addPlugin(Registration) is this register as STARTING plus waiting until the gateway connected:
        // the API answers 202 without that wait, so it registers STARTING itself and the gateway connects as ever.
        return gateway.register(starting ? registration.withStatus(InstanceStatus.STARTING) : registration)
                .exceptionallyCompose(error -> {
                    Throwable cause = error instanceof CompletionException && error.getCause() != null
                            ? error.getCause() : error;
                    if (cause instanceof InstanceConflictException conflict) {
                        // Checked on the control loop, so two plugins racing for one id cannot both win.
                        // A token restricted to some plugins is not told which plugin holds the id.
                        return CompletableFuture.failedFuture(ProblemException.of(409, mayKnowHolder
                                ? capitalized(conflict.getMessage()) : "Instance id '" + conflict.instanceId()
                                + "' is taken; choose another id"));
                    }
                    return CompletableFuture.failedFuture(cause);
                });
    }

    private Registration withLease(Registration registration, String field) {
        if (registration.lease() == null) {
            return registration.withLease(options.defaultLease());
        }
        if (registration.lease().compareTo(options.maxLease()) > 0) {
            String message = "must be at most " + options.maxLease().toSeconds() + " (this gateway's longest "
                    + "lease), got " + registration.lease().toSeconds();
            throw Problem.invalid(List.of(new FieldError(field, message)), ONE_ERROR);
        }
        return registration;
    }

    private static String capitalized(String message) {
        return Character.toUpperCase(message.charAt(0)) + message.substring(1);
    }

    private static String count(List<FieldError> errors) {
        return errors.size() == 1 ? "1 error" : errors.size() + " errors";
    }
}
