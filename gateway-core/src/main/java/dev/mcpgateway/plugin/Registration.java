package dev.mcpgateway.plugin;

import java.time.Duration;
import java.util.Objects;

/**
 * A request to add an instance to the registry.
 *
 * @param instanceId    the instance's id, or null to have the registry assign {@code <plugin>-<n>}
 * @param manifest      what it offers and how to reach it
 * @param initialStatus its status on arrival: usually {@code UP}, or {@code STARTING} while it warms up
 * @param lease         how long it stays registered without a renewal, or null for no lease
 * @param source        who registers it, {@code HOST} by default
 */
public record Registration(String instanceId, PluginManifest manifest, InstanceStatus initialStatus, Duration lease,
                           RegistrationSource source) {
    public Registration {
        Objects.requireNonNull(manifest, "manifest");
        initialStatus = initialStatus == null ? InstanceStatus.UP : initialStatus;
        source = source == null ? RegistrationSource.HOST : source;
        if (instanceId != null && (instanceId.isBlank() || instanceId.length() > 200)) {
            throw new IllegalArgumentException("an instance id must be 1-200 non-blank characters, got '" + instanceId + "'");
        }
        if (lease != null && (lease.isNegative() || lease.isZero())) {
            throw new IllegalArgumentException("plugin '" + manifest.name() + "': a lease must be positive, got " + lease);
        }
    }

    /** An instance with a registry-assigned id, status {@code UP} and no lease. */
    public static Registration of(PluginManifest manifest) {
        return new Registration(null, manifest, InstanceStatus.UP, null, RegistrationSource.HOST);
    }

    /** An instance with the given id, status {@code UP} and no lease. */
    public static Registration of(String instanceId, PluginManifest manifest) {
        return new Registration(instanceId, manifest, InstanceStatus.UP, null, RegistrationSource.HOST);
    }

    /** The same registration with a lease that must be renewed within {@code duration}. */
    public Registration withLease(Duration duration) {
        return new Registration(instanceId, manifest, initialStatus, duration, source);
    }

    /** The same registration arriving with another status. */
    public Registration withStatus(InstanceStatus status) {
        return new Registration(instanceId, manifest, status, lease, source);
    }

    /** The same registration made by another source. */
    public Registration withSource(RegistrationSource newSource) {
        return new Registration(instanceId, manifest, initialStatus, lease, newSource);
    }

    /** The same registration under another instance id (null: the registry assigns one). */
    public Registration withInstanceId(String newInstanceId) {
        return new Registration(newInstanceId, manifest, initialStatus, lease, source);
    }
}
