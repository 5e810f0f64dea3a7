package dev.mcpgateway.internal.routing;

import dev.mcpgateway.balancer.Endpoint;
import dev.mcpgateway.balancer.LoadBalancer;
import dev.mcpgateway.balancer.Picker;
import dev.mcpgateway.health.HealthFilter;
import dev.mcpgateway.mcp.Tool;
import dev.mcpgateway.internal.naming.ExposedNames;
import dev.mcpgateway.naming.ToolNaming;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.plugin.PluginManifest;
import dev.mcpgateway.plugin.ToolKey;
import dev.mcpgateway.routing.ExposedTool;
import dev.mcpgateway.routing.RouteTarget;
import dev.mcpgateway.routing.RoutingRule;
import dev.mcpgateway.routing.Version;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Objects;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.HashSet;
import java.util.Collections;

/**
 * Builds routing tables on the control loop, incrementally: a change touches only the tools of the instances
 * that changed, every other route object is shared with the previous table (so its pickers keep their
 * state), and the maps are persistent, so the cost of a registration does not grow with the number of
 * tools. Exposed names change only where a tool joining or leaving can move them ({@link ExposedNames}).
 *
 * <p>A tool whose instances are all down (in service but unhealthy) stays listed until the grace period has passed
 * since the last of them went down: the table is built for an instant, and a later build at a later instant
 * withdraws the tools whose grace ran out by then. Its route stays either way, so its exposed name does not move and
 * its calls fail fast with why. Not thread-safe: the control loop is its only caller.
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
    private static final Comparator<Endpoint> BY_ID = Comparator.comparing(Endpoint::id);

    private final LoadBalancer defaultBalancer;
    private List<RoutingRule> rules = List.of();
    private final Map<RoutingRule, LoadBalancer> ruleBalancers = new IdentityHashMap<>();
    /** Set when the rules were replaced: the next build routes every tool anew. */
    private boolean rulesReplaced;
    /** Which rule governs a tool depends only on the tool and the rule list, so it is computed once per list. */
    private final Map<ToolKey, Optional<RoutingRule>> ruleOfTool = new HashMap<>();
    /** The instances offering each tool, sorted by id; mirrors {@link #table}. */
    private final Map<ToolKey, List<Endpoint>> members = new HashMap<>();
    /** The exposed name of each tool in {@link #table}. */
    private final ExposedNames exposedNames;
    private final Duration gracePeriod;
    /** When each tool listed on grace is to be withdrawn; mirrors {@link #table}. */
    private final GraceDeadlines graceDeadlines = new GraceDeadlines();
    private RoutingTableImpl table = RoutingTableImpl.EMPTY;
    /**
     * Each manifest's version, parsed, and its tools by name, for the build in progress: a change re-routes every
     * tool of an instance, and looking each up by scanning the manifest would cost tools² per instance.
     */
    private final Map<PluginManifest, IndexedManifest> indexed = new IdentityHashMap<>();
    /** Set when a build failed halfway: the next one starts over from the instances alone. */
    private boolean inconsistent;

    /**
     * @param gracePeriod how long the tools of instances that are all down stay listed; zero withdraws them at once
     */
    public RoutingTableBuilder(LoadBalancer defaultBalancer, List<RoutingRule> rules, ToolNaming naming,
                               Duration gracePeriod) {
        this.defaultBalancer = HealthFilter.routableOnly(defaultBalancer);
        useRules(rules);
        rulesReplaced = false;
        this.exposedNames = new ExposedNames(naming);
        this.gracePeriod = Objects.requireNonNull(gracePeriod, "gracePeriod");
    }

    /** The rules in force, in the order they are tried. */
    public List<RoutingRule> rules() {
        return rules;
    }

    /**
     * Replaces the rules; the next {@link #apply} routes every tool by them, in one new table, so no call sees a tool
     * half re-routed or missing. Exposed names do not change (rules choose instances, not names).
     */
    public void replaceRules(List<RoutingRule> newRules) {
        RoutingRule.requireDistinctNames(newRules);
        useRules(newRules);
    }

    private void useRules(List<RoutingRule> newRules) {
        rules = List.copyOf(newRules);
        ruleBalancers.clear();
        for (RoutingRule rule : rules) {
            ruleBalancers.put(rule, rule.loadBalancer() == null ? defaultBalancer
                    : HealthFilter.routableOnly(rule.loadBalancer()));
        }
        ruleOfTool.clear();
        rulesReplaced = true;
    }

    /** The last table built. */
    public RoutingTableImpl table() {
        return table;
    }

    /**
     * Applies changed instances, and the passing of time up to {@code now}, and returns the table that reflects them.
     *
     * @param changes instance id to its new endpoint, or to null when the instance left; an endpoint object
     *                stays the same as long as its instance did not change in a way routing sees; empty when only
     *                time passed
     * @param now     the instant the table is for: tools whose grace period ran out by then are not listed
     * @return the new table, or the current one itself when nothing a caller could observe changed
     */
    public RoutingTableImpl apply(Map<String, Endpoint> changes, Instant now) {
        RoutingTableImpl base = table;
        Map<String, Endpoint> effective = changes;
        if (inconsistent) {
            effective = startOver(changes);
        }
        try {
            RoutingTableImpl next = build(inconsistent ? RoutingTableImpl.EMPTY : base, effective, base.version() + 1,
                    now);
            inconsistent = false;
            rulesReplaced = false;
            table = next == RoutingTableImpl.EMPTY ? base : next;
            return table;
        } catch (RuntimeException e) {
            inconsistent = true;
            throw e;
        }
    }

    private Map<String, Endpoint> startOver(Map<String, Endpoint> changes) {
        Map<String, Endpoint> all = new HashMap<>();
        for (Endpoint endpoint : table.endpointMap().values()) {
            all.put(endpoint.id(), endpoint);
        }
        all.putAll(changes);
        all.values().removeIf(Objects::isNull);
        members.clear();
        exposedNames.clear();
        graceDeadlines.clear();
        return all;
    }

    private RoutingTableImpl build(RoutingTableImpl previous, Map<String, Endpoint> changes, long version,
                                   Instant now) {
        indexed.clear();
        SnapshotMap.Editor<String, Endpoint> endpoints = previous.endpointMap().edit();
        Set<ToolKey> dirty = new HashSet<>();
        Set<ToolKey> presentBefore = new HashSet<>();
        boolean changed = false;
        for (Map.Entry<String, Endpoint> change : changes.entrySet()) {
            Endpoint before = previous.endpointMap().get(change.getKey());
            Endpoint after = change.getValue();
            if (before == after) {
                continue;
            }
            changed = true;
            if (before != null) {
                for (Tool tool : before.instance().manifest().tools()) {
                    ToolKey key = before.instance().manifest().keyOf(tool);
                    if (dirty.add(key) && members.containsKey(key)) {
                        presentBefore.add(key);
                    }
                    List<Endpoint> list = members.get(key);
                    list.remove(Collections.binarySearch(list, before, BY_ID));
                    if (list.isEmpty()) {
                        members.remove(key);
                    }
                }
                endpoints.remove(change.getKey());
            }
            if (after != null) {
                for (Tool tool : after.instance().manifest().tools()) {
                    ToolKey key = after.instance().manifest().keyOf(tool);
                    if (dirty.add(key) && members.containsKey(key)) {
                        presentBefore.add(key);
                    }
                    List<Endpoint> list = members.computeIfAbsent(key, k -> new ArrayList<>(2));
                    int at = Collections.binarySearch(list, after, BY_ID);
                    list.add(at < 0 ? -at - 1 : at, after);
                }
                endpoints.put(change.getKey(), after);
            }
        }
        boolean graceRanOut = false;
        for (ToolKey key : graceDeadlines.takeDue(now)) {
            if (members.containsKey(key) && dirty.add(key)) {
                presentBefore.add(key); // time alone neither adds nor removes a tool
                graceRanOut = true;
            }
        }
        if (rulesReplaced) {
            for (ToolKey key : members.keySet()) {
                if (dirty.add(key)) {
                    presentBefore.add(key); // untouched by the changes, so routed before as now
                }
            }
            changed = true;
        }
        if (!changed && !graceRanOut) {
            return previous;
        }

        List<ToolKey> added = new ArrayList<>();
        List<ToolKey> removed = new ArrayList<>();
        for (ToolKey key : dirty) {
            boolean present = members.containsKey(key);
            if (presentBefore.contains(key) != present) {
                (present ? added : removed).add(key);
            }
        }
        if (!added.isEmpty() || !removed.isEmpty()) {
            dirty.addAll(exposedNames.update(members.keySet(), added, removed));
        }

        SnapshotMap.Editor<ToolKey, ToolRouteImpl> routes = previous.routeMap().edit();
        SnapshotMap.Editor<String, ToolRouteImpl> byName = previous.exposedNameMap().edit();
        // Two passes: a tool may take over the exposed name another tool gives up in the same change.
        for (ToolKey key : dirty) {
            ToolRouteImpl old = previous.routeImpl(key);
            if (old != null) {
                byName.remove(old.tool().exposedName());
            }
        }
        boolean routesChanged = false;
        for (ToolKey key : dirty) {
            ToolRouteImpl old = previous.routeImpl(key);
            List<Endpoint> list = members.get(key);
            if (list == null) {
                routes.remove(key);
                ruleOfTool.remove(key);
                graceDeadlines.set(key, null);
                routesChanged = true;
                continue;
            }
            String exposedName = exposedNames.nameOf(key);
            ToolRouteImpl route = !rulesReplaced && old != null && sameEndpoints(old.endpoints(), list)
                    && old.tool().exposedName().equals(exposedName)
                    ? old : newRoute(key, exposedName, list, old);
            route = listedAsOf(route, now);
            routesChanged |= route != old;
            routes.put(key, route);
            byName.put(exposedName, route);
        }
        if (!changed && !routesChanged) {
            return previous; // time passed, but every tool whose grace ran out had been withdrawn or had recovered
        }
        return new RoutingTableImpl(version, routes.build(), byName.build(), endpoints.build());
    }

    /**
     * The route, listed or not as of {@code now}: a routable tool is; one whose instances are all down (in service
     * but unhealthy) is until the grace period has passed since the last of them went down, and is looked at again
     * then. One that is out of rotation otherwise (out of service, starting) is not, as before there was a grace.
     */
    private ToolRouteImpl listedAsOf(ToolRouteImpl route, Instant now) {
        Instant graceEnds = null;
        if (!route.isRoutable()) {
            for (Endpoint endpoint : route.endpoints()) {
                PluginInstance instance = endpoint.instance();
                if (!instance.isDown()) {
                    graceEnds = null;
                    break;
                }
                Instant ends = instance.healthSince().plus(gracePeriod);
                graceEnds = graceEnds == null || ends.isAfter(graceEnds) ? ends : graceEnds;
            }
        }
        boolean onGrace = graceEnds != null && now.isBefore(graceEnds);
        graceDeadlines.set(route.key(), onGrace ? graceEnds : null);
        return route.withListed(route.isRoutable() || onGrace);
    }

    private ToolRouteImpl newRoute(ToolKey key, String exposedName, List<Endpoint> current, ToolRouteImpl old) {
        List<Endpoint> members = List.copyOf(current);
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
    private Tool definitionOf(ToolKey key, List<Endpoint> members) {
        Endpoint best = null;
        for (Endpoint candidate : members) {
            if (best == null || newer(candidate, best)) {
                best = candidate;
            }
        }
        Tool tool = index(best).tools().get(key.name());
        if (tool == null) {
            throw new IllegalStateException("instance " + best.id() + " was indexed under " + key + " but lacks the tool");
        }
        return tool;
    }

    private boolean newer(Endpoint a, Endpoint b) {
        boolean ra = a.instance().isRoutable();
        boolean rb = b.instance().isRoutable();
        if (ra != rb) {
            return ra;
        }
        Version va = index(a).version();
        Version vb = index(b).version();
        if (va != null && vb != null && va.compareTo(vb) != 0) {
            return va.compareTo(vb) > 0;
        }
        if ((va == null) != (vb == null)) {
            return va != null;
        }
        return a.id().compareTo(b.id()) < 0;
    }

    private IndexedManifest index(Endpoint endpoint) {
        return indexed.computeIfAbsent(endpoint.instance().manifest(), IndexedManifest::of);
    }

    /** A manifest's parsed version (null when it is not semver) and its tools by name. */
    private record IndexedManifest(Version version, Map<String, Tool> tools) {
        static IndexedManifest of(PluginManifest manifest) {
            Map<String, Tool> byName = HashMap.newHashMap(manifest.tools().size());
            for (Tool tool : manifest.tools()) {
                byName.put(tool.name(), tool);
            }
            return new IndexedManifest(Version.tryParse(manifest.version()).orElse(null), byName);
        }
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
}
