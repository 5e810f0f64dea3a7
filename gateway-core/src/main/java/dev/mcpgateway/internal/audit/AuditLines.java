package dev.mcpgateway.internal.audit;

import dev.mcpgateway.audit.AuditLog;
import dev.mcpgateway.audit.AuthFailure;
import dev.mcpgateway.event.GatewayEvent;
import dev.mcpgateway.internal.logging.Logfmt;
import dev.mcpgateway.plugin.PluginInstance;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lines of the audit log ({@link AuditLog}): {@code event}, {@code actor}, {@code plugin} and {@code instance}
 * first, then the event's own fields, logfmt-quoted ({@link Logfmt}) since actors, addresses and reasons may come
 * from clients.
 */
public final class AuditLines {
    private static final Logger log = LoggerFactory.getLogger(AuditLog.LOGGER);

    private AuditLines() {
    }

    /** A change of one instance: {@code registered}, {@code replaced}, {@code deregistered}, {@code evicted}... */
    public static void instance(String event, String actor, PluginInstance instance) {
        if (log.isInfoEnabled()) {
            log.info(line(event, actor, instance.pluginName(), instance.id()).toString());
        }
    }

    /** The routing rules replaced; {@code rules} their names, in order. */
    public static void rulesReplaced(String actor, List<String> rules) {
        if (log.isInfoEnabled()) {
            log.info(line("rules-replaced", actor, null, null).field("rules", String.join(",", rules)).toString());
        }
    }

    /** A health transition, when {@code event} is one; as a registry listener, on the control loop. */
    public static void health(GatewayEvent event) {
        if (event instanceof GatewayEvent.HealthChanged changed && log.isInfoEnabled()) {
            log.info(line("health", Actors.GATEWAY, changed.instance().pluginName(), changed.instance().id())
                    .field("from", changed.previous().name()).field("to", changed.instance().health().name())
                    .field("reason", changed.reason()).toString());
        }
    }

    /** {@code count} authentication failures alike (see {@link AuthFailureAudit}), {@code failure} the latest. */
    static void authFailed(AuthFailure failure, int count) {
        if (log.isInfoEnabled()) {
            log.info(line("auth-failed", Actors.ANONYMOUS, null, null).field("surface", failure.surface().tag())
                    .field("reason", failure.reason()).field("remote", failure.remote())
                    .field("subject", failure.subject()).field("count", Integer.toString(count)).toString());
        }
    }

    private static Logfmt line(String event, String actor, String plugin, String instance) {
        return new Logfmt().field("event", event).field("actor", actor).field("plugin", plugin)
                .field("instance", instance);
    }
}
