package dev.mcpgateway.internal.transport.http.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.health.Health;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.plugin.InstanceStatus;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.plugin.RegistrationSource;
import dev.mcpgateway.routing.LabelSelector;
import dev.mcpgateway.transport.http.server.ManagementApiOptions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * The management API's routes over registered instances, but registration ({@link RegistrationRoute}): list them
 * with filters, read one and its health history, deregister it, renew its lease, drain it and put it back in service.
 * Each is a call on {@link McpGateway} or its registry, answered with the instance as it then is
 * ({@link InstanceView}).
 */
final class PluginRoutes {
    /** How long a registry change may take; it is applied on the control loop in moments. */
    static final Duration CONTROL_WAIT = Duration.ofSeconds(30);
    /** How much longer than a drain's own timeout the route waits, so the drain's own 504 is what answers. */
    private static final Duration DRAIN_MARGIN = Duration.ofSeconds(5);

    private final McpGateway gateway;
    private final ManagementApiOptions options;
    private final Waits waits;

    PluginRoutes(McpGateway gateway, ManagementApiOptions options, Waits waits) {
        this.gateway = gateway;
        this.options = options;
        this.waits = waits;
    }

    /** {@code GET /api/v1/plugins}: the instances, sorted by id, filtered by {@code ?name=}, {@code ?label=} ... */
    RouteReply list(ApiRequest request) {
        Predicate<PluginInstance> filter = filter(request);
        Map<String, Integer> inFlight = InstanceView.callsInFlight(gateway.routingTable());
        ObjectNode body = Json.object();
        ArrayNode instances = body.putArray("instances");
        for (PluginInstance instance : gateway.registry().instances()) {
            if (filter.test(instance)) {
                instances.add(InstanceView.write(instance, inFlight));
            }
        }
        return RouteReply.json(200, body);
    }

    /** {@code GET /api/v1/plugins/{id}}. */
    RouteReply get(ApiRequest request) {
        return ok(find(request.param("id")));
    }

    /** {@code DELETE /api/v1/plugins/{id}}: answers with the instance removed. */
    RouteReply deregister(ApiRequest request) {
        requireManaged(request);
        return ok(waits.await(gateway.registry().deregister(request.param("id")), CONTROL_WAIT,
                "deregister the instance"));
    }

    /** {@code POST /api/v1/plugins/{id}/heartbeat}: renews the lease from now. */
    RouteReply heartbeat(ApiRequest request) {
        requireManaged(request);
        return ok(waits.await(gateway.registry().renew(request.param("id")), CONTROL_WAIT, "renew the lease"));
    }

    /**
     * {@code POST /api/v1/plugins/{id}/drain}: out of service, answered once its calls finished, {@code 504} when
     * they did not within {@code ?timeoutSeconds=} (it stays out of service, its calls run on).
     */
    RouteReply drain(ApiRequest request) {
        long seconds = request.queryLong("timeoutSeconds", 1, options.maxDrainTimeout().toSeconds(),
                options.defaultDrainTimeout().toSeconds());
        Duration timeout = Duration.ofSeconds(seconds);
        CompletableFuture<PluginInstance> drained = gateway.drain(request.param("id"), timeout);
        return ok(waits.await(drained, timeout.plus(DRAIN_MARGIN), "finish draining"));
    }

    /** {@code POST /api/v1/plugins/{id}/undrain}: back in service ({@code UP}). */
    RouteReply undrain(ApiRequest request) {
        return ok(waits.await(gateway.registry().setStatus(request.param("id"), InstanceStatus.UP), CONTROL_WAIT,
                "put the instance back in service"));
    }

    /** {@code GET /api/v1/plugins/{id}/health}: health, since when, why, and the last transitions. */
    RouteReply health(ApiRequest request) {
        PluginInstance instance = find(request.param("id"));
        return RouteReply.json(200, InstanceView.health(instance, gateway.transitions(instance.id())));
    }

    /** The instance, or {@code 404} naming the id. */
    PluginInstance find(String id) {
        return gateway.registry().instance(id).orElseThrow(() -> notFound(id));
    }

    /**
     * Refuses a caller whose token may not renew or deregister the instance with the same {@code 404} as for an
     * instance that is not there, so a token of one plugin learns nothing of another's instances.
     */
    private void requireManaged(ApiRequest request) {
        String id = request.param("id");
        if (request.grant() != ApiAccess.Grant.OPEN && !request.grant().mayManage(find(id))) {
            request.auditForbidden(gateway, "instance not allowed");
            throw notFound(id);
        }
    }

    private static ProblemException notFound(String id) {
        return ProblemException.of(404, "No instance '" + id + "' is registered (it may have been deregistered, or "
                + "its lease expired)");
    }

    /** An instance as the API answers with it. */
    RouteReply ok(PluginInstance instance) {
        return RouteReply.json(200, InstanceView.write(instance, InstanceView.callsInFlight(gateway.routingTable())));
    }

    private static Predicate<PluginInstance> filter(ApiRequest request) {
        Predicate<PluginInstance> filter = instance -> true;
        String name = request.query("name");
        if (name != null) {
            filter = filter.and(instance -> instance.pluginName().equals(name));
        }
        String label = request.query("label");
        if (label != null) {
            LabelSelector selector;
            try {
                selector = LabelSelector.parse(label);
            } catch (IllegalArgumentException e) {
                throw Problem.badQuery("label", "is not a label selector such as region=eu: " + e.getMessage());
            }
            filter = filter.and(instance -> selector.matches(instance.manifest().labels()));
        }
        Health health = enumQuery(request, "health", Health.class);
        if (health != null) {
            filter = filter.and(instance -> instance.health() == health);
        }
        InstanceStatus status = enumQuery(request, "status", InstanceStatus.class);
        if (status != null) {
            filter = filter.and(instance -> instance.status() == status);
        }
        RegistrationSource source = enumQuery(request, "source", RegistrationSource.class);
        if (source != null) {
            filter = filter.and(instance -> instance.source() == source);
        }
        return filter;
    }

    private static <E extends Enum<E>> E enumQuery(ApiRequest request, String name, Class<E> type) {
        String value = request.query(name);
        if (value == null) {
            return null;
        }
        try {
            return Enum.valueOf(type, value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            List<String> allowed = Arrays.stream(type.getEnumConstants()).map(Enum::name).toList();
            throw Problem.badQuery(name, "must be one of " + String.join(", ", allowed) + ", got '" + value + "'");
        }
    }
}
