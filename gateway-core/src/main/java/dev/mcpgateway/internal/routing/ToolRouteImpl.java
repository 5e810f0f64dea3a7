package dev.mcpgateway.internal.routing;

import dev.mcpgateway.balancer.Endpoint;
import dev.mcpgateway.balancer.Picker;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.plugin.ToolKey;
import dev.mcpgateway.routing.ExposedTool;
import dev.mcpgateway.routing.RouteTarget;
import dev.mcpgateway.routing.RoutingException;
import dev.mcpgateway.routing.RoutingRule;
import dev.mcpgateway.routing.ToolRoute;
import dev.mcpgateway.routing.Version;
import dev.mcpgateway.routing.VersionConstraint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The route of one tool with its pre-built pickers: one per rule target (for weighted splits) and one per
 * plugin version (for calls that ask for a version range), and whether clients see the tool listed. Picking reads
 * only final fields.
 */
final class ToolRouteImpl implements ToolRoute {
    /** How many instances an error message lists before summarising the rest. */
    private static final int MAX_LISTED = 10;

    /** A rule target's instances and picker; the default route has one group holding every instance. */
    record Group(RouteTarget target, int weight, List<Endpoint> members, Picker picker) {
    }

    /** The instances of one plugin version (within the rule's targets) and their picker. */
    record VersionGroup(String version, Version parsed, List<Endpoint> members, Picker picker) {
    }

    private final ToolKey key;
    private final ExposedTool tool;
    private final List<Endpoint> endpoints;
    private final RoutingRule rule;
    private final Group[] groups;
    private final int[] cumulativeWeights;
    private final VersionGroup[] versionsNewestFirst;
    private final boolean routable;
    private final boolean listed;

    ToolRouteImpl(ToolKey key, ExposedTool tool, List<Endpoint> endpoints, RoutingRule rule, List<Group> groups,
                  List<VersionGroup> versionsNewestFirst) {
        this.key = key;
        this.tool = tool;
        this.endpoints = List.copyOf(endpoints);
        this.rule = rule;
        this.groups = groups.toArray(Group[]::new);
        this.cumulativeWeights = new int[this.groups.length];
        int sum = 0;
        boolean any = false;
        for (int i = 0; i < this.groups.length; i++) {
            sum += this.groups[i].weight();
            cumulativeWeights[i] = sum;
            any |= !this.groups[i].picker().endpoints().isEmpty();
        }
        this.versionsNewestFirst = versionsNewestFirst.toArray(VersionGroup[]::new);
        this.routable = any;
        this.listed = any;
    }

    /** The same route, pickers and all, listed or not. */
    private ToolRouteImpl(ToolRouteImpl route, boolean listed) {
        this.key = route.key;
        this.tool = route.tool;
        this.endpoints = route.endpoints;
        this.rule = route.rule;
        this.groups = route.groups;
        this.cumulativeWeights = route.cumulativeWeights;
        this.versionsNewestFirst = route.versionsNewestFirst;
        this.routable = route.routable;
        this.listed = listed;
    }

    @Override
    public ToolKey key() {
        return key;
    }

    @Override
    public ExposedTool tool() {
        return tool;
    }

    @Override
    public List<Endpoint> endpoints() {
        return endpoints;
    }

    @Override
    public boolean isRoutable() {
        return routable;
    }

    @Override
    public boolean isListed() {
        return listed;
    }

    /** This route, or a copy sharing its pickers, listed as asked. */
    ToolRouteImpl withListed(boolean newListed) {
        return newListed == listed ? this : new ToolRouteImpl(this, newListed);
    }

    @Override
    public RoutingRule rule() {
        return rule;
    }

    Group[] groups() {
        return groups;
    }

    VersionGroup[] versionGroups() {
        return versionsNewestFirst;
    }

    /** Picks an instance for one call, or throws why none can take it. */
    Endpoint pick(VersionConstraint versions) {
        return versions == null || versions == VersionConstraint.ANY ? pickByRule() : pickByVersion(versions);
    }

    private Endpoint pickByRule() {
        Group[] gs = groups;
        if (gs.length == 1) {
            Endpoint endpoint = gs[0].picker().pick();
            if (endpoint != null) {
                return endpoint;
            }
            throw noInstance(null);
        }
        int chosen = chooseGroup();
        Endpoint endpoint = gs[chosen].picker().pick();
        if (endpoint != null) {
            return endpoint;
        }
        // The chosen share has nobody healthy: its traffic fails over to the other targets rather than failing.
        for (int i = 0; i < gs.length; i++) {
            if (i != chosen && (endpoint = gs[i].picker().pick()) != null) {
                return endpoint;
            }
        }
        throw noInstance(null);
    }

    private int chooseGroup() {
        int[] cumulative = cumulativeWeights;
        int r = ThreadLocalRandom.current().nextInt(cumulative[cumulative.length - 1]);
        int i = 0;
        while (r >= cumulative[i]) {
            i++;
        }
        return i;
    }

    private Endpoint pickByVersion(VersionConstraint versions) {
        boolean matched = false;
        for (VersionGroup group : versionsNewestFirst) {
            if (admits(versions, group)) {
                matched = true;
                Endpoint endpoint = group.picker().pick();
                if (endpoint != null) {
                    return endpoint;
                }
            }
        }
        throw matched ? noInstance(versions) : noVersion(versions);
    }

    private static boolean admits(VersionConstraint versions, VersionGroup group) {
        return group.parsed() != null ? versions.matches(group.parsed()) : versions.matches(group.version());
    }

    private RoutingException noVersion(VersionConstraint asked) {
        StringJoiner available = new StringJoiner(", ");
        for (VersionGroup group : versionsNewestFirst) {
            int n = group.members().size();
            available.add(group.version() + " (" + n + (n == 1 ? " instance)" : " instances)"));
        }
        return new RoutingException(ErrorCodes.NO_MATCHING_INSTANCE, "No instance of tool '" + key
                + "' has a version matching '" + asked + "'" + ruleClause() + "; available: "
                + (versionsNewestFirst.length == 0 ? "none" : available.toString()));
    }

    /**
     * Why no instance could be picked: nobody admitted by the rule/version, the plugin is down, or nobody healthy and in
     * service among them.
     */
    private RoutingException noInstance(VersionConstraint versions) {
        List<Endpoint> admitted = admitted(versions);
        if (admitted.isEmpty()) {
            return new RoutingException(ErrorCodes.NO_MATCHING_INSTANCE, "No instance of tool '" + key
                    + "' matches routing rule '" + rule.name() + "' (targets " + rule.targets() + "); instances: "
                    + describe(endpoints));
        }
        RoutingException down = unavailable(admitted);
        if (down != null) {
            return down;
        }
        return new RoutingException(ErrorCodes.NO_HEALTHY_INSTANCE, "No healthy instance for tool '" + key + "'"
                + (versions == null ? "" : " with version '" + versions + "'") + ruleClause()
                + "; instances: " + describe(admitted));
    }

    /**
     * When every instance is down (in service but unhealthy): the plugin is unavailable, since the last of them went
     * down, and why each did, e.g. "Plugin 'files' is unavailable since 2026-12-06T19:02:11Z: files-1: 2 probes timed
     * out"; otherwise null, and the caller names each instance's state.
     */
    private static RoutingException unavailable(List<Endpoint> admitted) {
        Instant since = null;
        Set<String> plugins = new LinkedHashSet<>();
        StringJoiner why = new StringJoiner("; ");
        for (int i = 0; i < admitted.size(); i++) {
            PluginInstance instance = admitted.get(i).instance();
            if (!instance.isDown()) {
                return null;
            }
            since = since == null || instance.healthSince().isAfter(since) ? instance.healthSince() : since;
            plugins.add(instance.pluginName());
            if (i < MAX_LISTED) {
                why.add(instance.id() + ": " + (instance.healthReason() != null ? instance.healthReason() : "unhealthy"));
            }
        }
        if (admitted.size() > MAX_LISTED) {
            why.add("and " + (admitted.size() - MAX_LISTED) + " more");
        }
        String who = plugins.size() == 1 ? "Plugin '" + plugins.iterator().next() + "' is"
                : "Plugins '" + String.join("', '", plugins) + "' are";
        return new RoutingException(ErrorCodes.NO_HEALTHY_INSTANCE, who + " unavailable since " + since + ": " + why);
    }

    private List<Endpoint> admitted(VersionConstraint versions) {
        List<Endpoint> result = new ArrayList<>();
        if (versions == null) {
            for (Group group : groups) {
                for (Endpoint member : group.members()) {
                    if (!result.contains(member)) {
                        result.add(member);
                    }
                }
            }
        } else {
            for (VersionGroup group : versionsNewestFirst) {
                if (admits(versions, group)) {
                    result.addAll(group.members());
                }
            }
        }
        return result;
    }

    private String ruleClause() {
        return rule == null ? "" : " under routing rule '" + rule.name() + "'";
    }

    private static String describe(List<Endpoint> list) {
        StringJoiner joiner = new StringJoiner(", ");
        int n = Math.min(list.size(), MAX_LISTED);
        for (int i = 0; i < n; i++) {
            joiner.add(list.get(i).instance().describe());
        }
        if (list.size() > n) {
            joiner.add("and " + (list.size() - n) + " more");
        }
        return joiner.toString();
    }

    @Override
    public String toString() {
        return "ToolRoute[" + key + " as " + tool.exposedName() + ", " + endpoints.size() + " instances]";
    }
}
