package dev.mcpgateway.event;

import dev.mcpgateway.health.Health;
import dev.mcpgateway.plugin.InstanceStatus;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.plugin.PluginManifest;
import dev.mcpgateway.routing.RoutingTable;
import java.util.Objects;

/**
 * Something that changed in the gateway's control plane, delivered to {@link GatewayListener}s in the
 * order the changes were applied. Switch over the sealed subtypes to react to the ones you care about.
 */
public sealed interface GatewayEvent {

    /**
     * An instance joined, or re-registered under an id already known.
     *
     * @param instance the instance as registered
     * @param replaced the instance it replaced under the same id, or null for a new one
     */
    record InstanceRegistered(PluginInstance instance, PluginInstance replaced) implements GatewayEvent {
        public InstanceRegistered {
            Objects.requireNonNull(instance, "instance");
        }
    }

    /** An instance was deregistered on request. */
    record InstanceDeregistered(PluginInstance instance) implements GatewayEvent {
        public InstanceDeregistered {
            Objects.requireNonNull(instance, "instance");
        }
    }

    /** An instance was removed because its lease ran out without a renewal. */
    record LeaseExpired(PluginInstance instance) implements GatewayEvent {
        public LeaseExpired {
            Objects.requireNonNull(instance, "instance");
        }
    }

    /** An instance's administrative status changed. */
    record StatusChanged(PluginInstance instance, InstanceStatus previous) implements GatewayEvent {
        public StatusChanged {
            Objects.requireNonNull(instance, "instance");
            Objects.requireNonNull(previous, "previous");
        }
    }

    /**
     * Health checking reached a new conclusion about an instance.
     *
     * @param reason why, as the health monitor put it (for logs and dashboards)
     */
    record HealthChanged(PluginInstance instance, Health previous, String reason) implements GatewayEvent {
        public HealthChanged {
            Objects.requireNonNull(instance, "instance");
            Objects.requireNonNull(previous, "previous");
        }
    }

    /** An instance's manifest changed, e.g. its tools were listed again after {@code list_changed}. */
    record ManifestChanged(PluginInstance instance, PluginManifest previous) implements GatewayEvent {
        public ManifestChanged {
            Objects.requireNonNull(instance, "instance");
            Objects.requireNonNull(previous, "previous");
        }
    }

    /**
     * A new routing table was published; calls routed from now on use it.
     *
     * @param table    the new table
     * @param previous the table it replaced
     */
    record RoutingTableUpdated(RoutingTable table, RoutingTable previous) implements GatewayEvent {
        public RoutingTableUpdated {
            Objects.requireNonNull(table, "table");
            Objects.requireNonNull(previous, "previous");
        }
    }
}
