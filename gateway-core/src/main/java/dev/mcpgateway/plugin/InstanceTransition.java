package dev.mcpgateway.plugin;

import dev.mcpgateway.health.Health;
import java.time.Instant;
import java.util.Objects;

/**
 * One change in an instance's life as operators follow it: what it became (status and health), when, and why. The
 * gateway keeps the last few of each instance ({@code McpGateway.transitions}) so "why did it leave rotation at
 * 3 a.m.?" has an answer without searching logs.
 *
 * @param at     when it changed
 * @param status its status from then on
 * @param health its health from then on
 * @param reason why: what health checking concluded, or what was done (registered, drained, set UP)
 */
public record InstanceTransition(Instant at, InstanceStatus status, Health health, String reason) {
    public InstanceTransition {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(reason, "reason");
    }
}
