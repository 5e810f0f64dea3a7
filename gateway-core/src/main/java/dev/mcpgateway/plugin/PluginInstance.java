package dev.mcpgateway.plugin;

import dev.mcpgateway.health.Health;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One running instance of a plugin as the registry knows it: an immutable snapshot. Changes (status,
 * health, lease renewal) produce new snapshots.
 *
 * @param id             unique instance id, e.g. {@code files-1}
 * @param manifest       what it offers and how to reach it
 * @param status         its administrative status
 * @param health         what health checking concluded
 * @param healthSince    when {@code health} last changed (when it registered, until health checking spoke)
 * @param healthReason   why, as health checking put it (e.g. "2 probes timed out"), or null when nobody said
 * @param registeredAt   when it registered
 * @param lease          how long a renewal keeps it registered, or null for no lease (never expires)
 * @param leaseExpiresAt when its lease runs out, or null for no lease
 * @param source         who registered it
 */
public record PluginInstance(String id, PluginManifest manifest, InstanceStatus status, Health health,
                             Instant healthSince, String healthReason, Instant registeredAt, Duration lease,
                             Instant leaseExpiresAt, RegistrationSource source) {
    public PluginInstance {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(manifest, "manifest");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(healthSince, "healthSince");
        Objects.requireNonNull(registeredAt, "registeredAt");
        if ((lease == null) != (leaseExpiresAt == null)) {
            throw new IllegalArgumentException("lease and leaseExpiresAt are set together");
        }
    }

    /** Whether the instance takes traffic: status {@code UP} and not known to be unhealthy. */
    public boolean isRoutable() {
        return status == InstanceStatus.UP && health != Health.UNHEALTHY;
    }

    /**
     * Whether the instance is meant to serve but fails its health checks: status {@code UP} and {@code UNHEALTHY}.
     * Only such an outage, not one an operator ordered ({@code OUT_OF_SERVICE}) or a start ({@code STARTING}), keeps
     * its tools listed for the tool grace period.
     */
    public boolean isDown() {
        return status == InstanceStatus.UP && health == Health.UNHEALTHY;
    }

    /** The plugin's name. */
    public String pluginName() {
        return manifest.name();
    }

    /** Whether the lease ran out at {@code now}; instances without a lease never expire. */
    public boolean isLeaseExpired(Instant now) {
        return leaseExpiresAt != null && !now.isBefore(leaseExpiresAt);
    }

    /** This snapshot with another status. */
    public PluginInstance withStatus(InstanceStatus newStatus) {
        return new PluginInstance(id, manifest, newStatus, health, healthSince, healthReason, registeredAt, lease,
                leaseExpiresAt, source);
    }

    /**
     * This snapshot with the health concluded at {@code now}, for the reason given; unchanged when the health is the
     * same, so {@code healthSince} keeps saying when it last changed.
     */
    public PluginInstance withHealth(Health newHealth, String reason, Instant now) {
        return newHealth == health ? this
                : new PluginInstance(id, manifest, status, newHealth, now, reason, registeredAt, lease, leaseExpiresAt,
                        source);
    }

    /** This snapshot with another manifest (tools rediscovered, weight changed). */
    public PluginInstance withManifest(PluginManifest newManifest) {
        return new PluginInstance(id, newManifest, status, health, healthSince, healthReason, registeredAt, lease,
                leaseExpiresAt, source);
    }

    /** This snapshot with its lease renewed at {@code now}; unchanged if it has no lease. */
    public PluginInstance renewedAt(Instant now) {
        return lease == null ? this : new PluginInstance(id, manifest, status, health, healthSince, healthReason,
                registeredAt, lease, now.plus(lease), source);
    }

    /** A short description for logs and error messages: {@code files-1 (files 1.2.0, UP/HEALTHY)}. */
    public String describe() {
        return id + " (" + manifest.name() + ' ' + manifest.version() + ", " + status + '/' + health + ')';
    }
}
