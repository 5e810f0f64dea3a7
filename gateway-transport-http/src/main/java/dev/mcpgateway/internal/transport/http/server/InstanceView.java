package dev.mcpgateway.internal.transport.http.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.balancer.Endpoint;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.mcp.Tool;
import dev.mcpgateway.plugin.InstanceTransition;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.plugin.TransportSpec;
import dev.mcpgateway.routing.RoutingTable;
import dev.mcpgateway.routing.ToolRoute;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Plugin instances as the management API shows them: identity, status and health, lease, labels and weight, the
 * tools it offers, its calls in flight, and how it is reached, without a secret: of an HTTP transport the URL (less
 * any user info) and the names of its headers, of a stdio one the command, arguments and the names of the variables
 * set; never a header's or variable's value, which are credentials more often than not.
 */
final class InstanceView {
    private InstanceView() {
    }

    /**
     * The calls in flight on each instance of the table, by id; an instance's figures are shared by every route it
     * serves, so each counts once.
     */
    static Map<String, Integer> callsInFlight(RoutingTable table) {
        Map<String, Integer> perInstance = new HashMap<>();
        for (ToolRoute route : table.routes().values()) {
            for (Endpoint endpoint : route.endpoints()) {
                perInstance.putIfAbsent(endpoint.instance().id(), endpoint.stats().inFlight());
            }
        }
        return perInstance;
    }

    /** One instance, with its calls in flight taken from {@link #callsInFlight}. */
    static ObjectNode write(PluginInstance instance, Map<String, Integer> callsInFlight) {
        ObjectNode json = Json.object()
                .put("id", instance.id())
                .put("plugin", instance.pluginName())
                .put("namespace", instance.manifest().namespace())
                .put("version", instance.manifest().version())
                .put("source", instance.source().name())
                .put("status", instance.status().name())
                .put("health", instance.health().name())
                .put("healthSince", instance.healthSince().toString())
                .put("healthReason", instance.healthReason())
                .put("routable", instance.isRoutable())
                .put("registeredAt", instance.registeredAt().toString());
        if (instance.lease() != null) {
            json.put("leaseSeconds", instance.lease().toSeconds())
                    .put("leaseExpiresAt", instance.leaseExpiresAt().toString());
        } else {
            json.putNull("leaseSeconds").putNull("leaseExpiresAt");
        }
        json.set("transport", transport(instance.manifest().transport()));
        ObjectNode labels = json.putObject("labels");
        new TreeMap<>(instance.manifest().labels()).forEach(labels::put);
        json.put("weight", instance.manifest().weight());
        ArrayNode tools = json.putArray("tools");
        instance.manifest().tools().stream().map(Tool::name).forEach(tools::add);
        json.put("callsInFlight", callsInFlight.getOrDefault(instance.id(), 0));
        return json;
    }

    /** An instance's health, since when and why, and its last transitions, oldest first. */
    static ObjectNode health(PluginInstance instance, List<InstanceTransition> transitions) {
        ObjectNode json = Json.object()
                .put("id", instance.id())
                .put("status", instance.status().name())
                .put("health", instance.health().name())
                .put("healthSince", instance.healthSince().toString())
                .put("healthReason", instance.healthReason())
                .put("routable", instance.isRoutable());
        ArrayNode list = json.putArray("transitions");
        for (InstanceTransition transition : transitions) {
            list.addObject().put("at", transition.at().toString()).put("status", transition.status().name())
                    .put("health", transition.health().name()).put("reason", transition.reason());
        }
        return json;
    }

    /** How an instance is reached, without the values of headers and variables. */
    static ObjectNode transport(TransportSpec spec) {
        ObjectNode json = Json.object().put("type", spec.type());
        switch (spec) {
            case TransportSpec.Http http -> {
                json.put("url", withoutUserInfo(http.url()));
                ArrayNode headers = json.putArray("headers");
                new TreeSet<>(http.headers().keySet()).forEach(headers::add);
                json.put("credentials", http.credentials().type());
            }
            case TransportSpec.Stdio stdio -> {
                json.put("command", stdio.command());
                ArrayNode args = json.putArray("args");
                stdio.args().forEach(args::add);
                ArrayNode env = json.putArray("env");
                new TreeSet<>(stdio.env().keySet()).forEach(env::add);
                json.put("inheritEnv", stdio.inheritEnv());
                json.put("workingDirectory", stdio.workingDirectory() == null ? null
                        : stdio.workingDirectory().toString());
            }
            case TransportSpec.InProcess inProcess -> json.put("handlerId", inProcess.handlerId());
        }
        return json;
    }

    private static String withoutUserInfo(URI url) {
        if (url.getRawUserInfo() == null) {
            return url.toString();
        }
        return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort())
                + (url.getRawPath() == null ? "" : url.getRawPath())
                + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
    }
}
