package dev.mcpgateway.routing;

import dev.mcpgateway.plugin.PluginManifest;

/**
 * One destination of a {@link RoutingRule}: the instances whose version and labels match, and the share of
 * the rule's traffic they receive. A 90/10 canary is two targets with weights 90 and 10.
 *
 * @param versions which plugin versions belong to this target
 * @param labels   which instance labels belong to this target
 * @param weight   relative share of traffic, 0 (drained) to 1,000,000
 */
public record RouteTarget(VersionConstraint versions, LabelSelector labels, int weight) {
    public RouteTarget {
        versions = versions == null ? VersionConstraint.ANY : versions;
        labels = labels == null ? LabelSelector.EVERYTHING : labels;
        if (weight < 0 || weight > 1_000_000) {
            throw new IllegalArgumentException("a route target's weight must be between 0 and 1000000, got " + weight);
        }
    }

    /** Every instance, weight 1. */
    public static RouteTarget all() {
        return new RouteTarget(VersionConstraint.ANY, LabelSelector.EVERYTHING, 1);
    }

    /** The instances whose version satisfies the constraint, e.g. {@code ">=2.0.0 <3"}, weight 1. */
    public static RouteTarget versions(String constraint) {
        return new RouteTarget(VersionConstraint.parse(constraint), LabelSelector.EVERYTHING, 1);
    }

    /** The instances whose labels match the selector, e.g. {@code "cluster=files,region in (eu,us)"}, weight 1. */
    public static RouteTarget labels(String selector) {
        return new RouteTarget(VersionConstraint.ANY, LabelSelector.parse(selector), 1);
    }

    /** This target with another weight. */
    public RouteTarget weight(int newWeight) {
        return new RouteTarget(versions, labels, newWeight);
    }

    /** This target additionally restricted by labels. */
    public RouteTarget withLabels(String selector) {
        return new RouteTarget(versions, LabelSelector.parse(selector), weight);
    }

    /** This target additionally restricted by version. */
    public RouteTarget withVersions(String constraint) {
        return new RouteTarget(VersionConstraint.parse(constraint), labels, weight);
    }

    @Override
    public String toString() {
        return "{versions '" + versions + "', labels '" + labels + "', weight " + weight + '}';
    }

    /** Whether an instance with this manifest belongs to the target. */
    public boolean admits(PluginManifest manifest) {
        return versions.matches(manifest.version()) && labels.matches(manifest.labels());
    }
}
