package dev.mcpgateway.internal.routing;

import dev.mcpgateway.balancer.Endpoint;
import dev.mcpgateway.balancer.LoadBalancer;
import dev.mcpgateway.balancer.Picker;
import dev.mcpgateway.health.HealthFilter;
import dev.mcpgateway.mcp.Tool;
import dev.mcpgateway.naming.ToolNaming;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.plugin.PluginManifest;
import dev.mcpgateway.plugin.ToolKey;
import dev.mcpgateway.routing.ExposedTool;
import dev.mcpgateway.routing.RouteTarget;
import dev.mcpgateway.routing.RoutingRule;
import dev.mcpgateway.routing.Version;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Builds routing tables on the control loop. A rebuild reuses every route whose instances did not change
 * (same {@link Endpoint} objects), so pickers keep their state and unrelated tools cost nothing; changed
 * routes get pickers built from their predecessors. Not thread-safe: the control loop is its only caller.
 */
public final class RoutingTableBuilder {
    /** Newest version first; versions that are not semver sort after all semver ones, by text. */
    private static final Comparator<ToolRouteImpl.VersionGroup> NEWEST_FIRST = (a, b) -> {
        if (a.parsed() != null && b.parsed() != null) {
            return b.parsed().compareTo(a.parsed());
        }
        if (a.parsed() != null || b.parsed() != null) {
            return a.parsed() != null ? -1 : 1;
        }
        return a.version().compareTo(b.version());
    };

    private final LoadBalancer defaultBalancer;
    private final List<RoutingRule> rules;
    private final Map<RoutingRule, LoadBalancer> ruleBalancers = new IdentityHashMap<>();
    private final ToolNaming naming;
    /** Which rule governs a tool depends only on the tool and the fixed rule list, so it is computed once. */
    private final Map<ToolKey, Optional<RoutingRule>> ruleOfTool = new HashMap<>();

    public RoutingTableBuilder(LoadBalancer defaultBalancer, List<RoutingRule> rules, ToolNaming naming) {
        this.defaultBalancer = HealthFilter.routableOnly(defaultBalancer);
        this.rules = List.copyOf(rules);
        for (RoutingRule rule : this.rules) {
            ruleBalancers.put(rule, rule.loadBalancer() == null ? this.defaultBalancer
                    : HealthFilter.routableOnly(rule.loadBalancer()));
        }
        this.naming = naming;
    }

    /**
     * Builds the table for the given instances.
     *
     * @param previous  the table in force
     * @param endpoints one endpoint per registered instance, sorted by instance id; an endpoint object is
     *                  reused between calls as long as its instance did not change in a way routing sees
     * @return the new table, or {@code previous} itself when nothing a caller could observe changed
     */
    public RoutingTableImpl build(RoutingTableImpl previous, List<Endpoint> endpoints) {
        Map<ToolKey, List<Endpoint>> byTool = new HashMap<>();
        Map<String, PluginInstance> instances = new LinkedHashMap<>();
        for (Endpoint endpoint : endpoints) {
            PluginManifest manifest = endpoint.instance().manifest();
            instances.put(endpoint.id(), endpoint.instance());
            for (Tool tool : manifest.tools()) {
                byTool.computeIfAbsent(manifest.keyOf(tool), k -> new ArrayList<>(2)).add(endpoint);
            }
        }

        SortedMap<String, ToolKey> names = previous.routeImpls().keySet().equals(byTool.keySet())
                ? previous.names() : assignNames(byTool.keySet());

        Map<ToolKey, ToolRouteImpl> routes = new HashMap<>(byTool.size() * 2);
        Map<String, ToolRouteImpl> byExposedName = new HashMap<>(byTool.size() * 2);
        List<ExposedTool> listed = new ArrayList<>(byTool.size());
        boolean changed = names != previous.names() || !sameInstances(previous.instances(), instances);
        for (Map.Entry<String, ToolKey> entry : names.entrySet()) {
            ToolKey key = entry.getValue();
            List<Endpoint> members = byTool.get(key);
            ToolRouteImpl old = previous.routeImpl(key);
            ToolRouteImpl route = old != null && sameEndpoints(old.endpoints(), members)
                    && old.tool().exposedName().equals(entry.getKey())
                    ? old : newRoute(key, entry.getKey(), members, old);
            changed |= route != old;
            routes.put(key, route);
            byExposedName.put(entry.getKey(), route);
            if (route.isRoutable()) {
                listed.add(route.tool());
            }
        }
        if (!changed) {
            return previous;
        }
        return new RoutingTableImpl(previous.version() + 1, routes, byExposedName, listed, instances, names);
    }

    private SortedMap<String, ToolKey> assignNames(java.util.Set<ToolKey> keys) {
        SortedMap<String, ToolKey> names = naming.assign(keys);
        if (names.size() != keys.size() || !keys.containsAll(names.values())) {
            throw new IllegalStateException("tool naming '" + naming.name() + "' assigned " + names.size()
                    + " distinct names to " + keys.size() + " tools; a naming strategy must name every tool exactly once");
        }
        return new TreeMap<>(names);
    }

    private ToolRouteImpl newRoute(ToolKey key, String exposedName, List<Endpoint> members, ToolRouteImpl old) {
        RoutingRule rule = ruleOfTool.computeIfAbsent(key, this::findRule).orElse(null);
        LoadBalancer balancer = rule == null ? defaultBalancer : ruleBalancers.get(rule);

        List<ToolRouteImpl.Group> groups = new ArrayList<>();
        List<Endpoint> admitted = new ArrayList<>();
        if (rule == null) {
            groups.add(new ToolRouteImpl.Group(null, 1, members, balancer.newPicker(previousGroupPicker(old, 0), members)));
            admitted.addAll(members);
        } else {
            for (RouteTarget target : rule.targets()) {
                if (target.weight() == 0) {
                    continue; // drained: no share of traffic, and not reachable by version either
                }
                List<Endpoint> inTarget = new ArrayList<>();
                for (Endpoint endpoint : members) {
                    if (target.admits(endpoint.instance().manifest())) {
                        inTarget.add(endpoint);
                        if (!admitted.contains(endpoint)) {
                            admitted.add(endpoint);
                        }
                    }
                }
                groups.add(new ToolRouteImpl.Group(target, target.weight(), List.copyOf(inTarget),
                        balancer.newPicker(previousGroupPicker(old, groups.size()), inTarget)));
            }
        }

        Map<String, List<Endpoint>> byVersion = new LinkedHashMap<>();
        for (Endpoint endpoint : admitted) {
            byVersion.computeIfAbsent(endpoint.instance().manifest().version(), v -> new ArrayList<>()).add(endpoint);
        }
        List<ToolRouteImpl.VersionGroup> versions = new ArrayList<>(byVersion.size());
        for (Map.Entry<String, List<Endpoint>> entry : byVersion.entrySet()) {
            List<Endpoint> inVersion = List.copyOf(entry.getValue());
            versions.add(new ToolRouteImpl.VersionGroup(entry.getKey(), Version.tryParse(entry.getKey()).orElse(null),
                    inVersion, balancer.newPicker(previousVersionPicker(old, entry.getKey()), inVersion)));
        }
        versions.sort(NEWEST_FIRST);

        ExposedTool tool = new ExposedTool(exposedName, key, definitionOf(key, members));
        return new ToolRouteImpl(key, tool, members, rule, groups, versions);
    }

    private Optional<RoutingRule> findRule(ToolKey key) {
        for (RoutingRule rule : rules) {
            if (rule.tools().matches(key)) {
                return Optional.of(rule);
            }
        }
        return Optional.empty();
    }

    /**
     * The definition clients see: from the newest version among routable instances (or among all, if none
     * is routable), ties broken by instance id, so the listing is deterministic.
     */
    private static Tool definitionOf(ToolKey key, List<Endpoint> members) {
        Endpoint best = null;
        for (Endpoint candidate : members) {
            if (best == null || newer(candidate, best)) {
                best = candidate;
            }
        }
        PluginManifest manifest = best.instance().manifest();
        for (Tool tool : manifest.tools()) {
            if (tool.name().equals(key.name())) {
                return tool;
            }
        }
        throw new IllegalStateException("instance " + best.id() + " was indexed under " + key + " but lacks the tool");
    }

    private static boolean newer(Endpoint a, Endpoint b) {
        boolean ra = a.instance().isRoutable();
        boolean rb = b.instance().isRoutable();
        if (ra != rb) {
            return ra;
        }
        Version va = Version.tryParse(a.instance().manifest().version()).orElse(null);
        Version vb = Version.tryParse(b.instance().manifest().version()).orElse(null);
        if (va != null && vb != null && va.compareTo(vb) != 0) {
            return va.compareTo(vb) > 0;
        }
        if ((va == null) != (vb == null)) {
            return va != null;
        }
        return a.id().compareTo(b.id()) < 0;
    }

    private static Picker previousGroupPicker(ToolRouteImpl old, int index) {
        return old != null && index < old.groups().length ? old.groups()[index].picker() : null;
    }

    private static Picker previousVersionPicker(ToolRouteImpl old, String version) {
        if (old != null) {
            for (ToolRouteImpl.VersionGroup group : old.versionGroups()) {
                if (group.version().equals(version)) {
                    return group.picker();
                }
            }
        }
        return null;
    }

    private static boolean sameEndpoints(List<Endpoint> a, List<Endpoint> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i) != b.get(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameInstances(Map<String, PluginInstance> a, Map<String, PluginInstance> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (Map.Entry<String, PluginInstance> entry : b.entrySet()) {
            if (a.get(entry.getKey()) != entry.getValue()) {
                return false;
            }
        }
        return true;
    }
}
