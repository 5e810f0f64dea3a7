package dev.mcpgateway.event;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * One control-plane change as the gateway remembers it for operators ({@code McpGateway.recentEvents()}): a plain
 * value, detached from the instances and tables it describes.
 *
 * @param time       when the gateway applied it, by its clock
 * @param kind       what happened
 * @param instanceId the instance it happened to; null for {@link Kind#RULES_REPLACED}
 * @param plugin     that instance's plugin name; null for {@link Kind#RULES_REPLACED}
 * @param from       the state before, for status, health and manifest changes; else null
 * @param to         the state after, for status, health and manifest changes; else null
 * @param reason     why or what, in words (a health monitor's reason, the new rule names); may be null
 */
public record GatewayEventRecord(Instant time, Kind kind, String instanceId, String plugin, String from, String to,
                                 String reason) {
    public GatewayEventRecord {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(kind, "kind");
    }

    /** What kind of change an event record is. */
    public enum Kind {
        /** A new instance registered. */
        REGISTERED,
        /** An instance registered again under an id already known, replacing the one before. */
        REPLACED,
        /** An instance was deregistered on request. */
        DEREGISTERED,
        /** An instance was removed because its lease ran out. */
        LEASE_EXPIRED,
        /** An instance's administrative status changed (e.g. drained). */
        STATUS,
        /** Health checking reached a new conclusion about an instance. */
        HEALTH,
        /** An instance's manifest changed (e.g. its tools were listed again). */
        MANIFEST,
        /** The routing rules were replaced. */
        RULES_REPLACED;

        /** The kind's name in lower case with hyphens, as the management API writes it: {@code lease-expired}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }
}
