package dev.mcpgateway.examples.runner;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seed's environment keys for features that arrive in later versions, checked once at start so none is silently
 * ignored: {@code REDIS_*} (events and sessions shared between gateways) is accepted with one warning that each
 * gateway keeps its sessions to itself and hears of other gateways' registrations only by reconciling. ({@code HEALTH_CHECK_INTERVAL}, the {@code AUTH_*} and the {@code POSTGRES_*} keys
 * work now: see {@link EnvironmentOverrides#ALIASES}.)
 */
final class SeedKeys {
    /** The prefixes of the shared-state keys still to come, such as {@code REDIS_HOST}. */
    static final List<String> STATE_PREFIXES = List.of("REDIS_");
    private static final Logger log = LoggerFactory.getLogger(SeedKeys.class);

    private SeedKeys() {
    }

    /** Warns once of durable-state keys. */
    static void check(Map<String, String> env) {
        TreeSet<String> state = new TreeSet<>();
        for (String name : env.keySet()) {
            if (STATE_PREFIXES.stream().anyMatch(name::startsWith)) {
                state.add(name);
            }
        }
        if (!state.isEmpty()) {
            // The names only: their values are hosts and credentials.
            log.warn("{} set, but Redis arrives with a later version: each gateway keeps its own client sessions, and "
                    + "gateways sharing POSTGRES_HOST see each other's registrations within a few seconds rather than "
                    + "at once", String.join(", ", state));
        }
    }
}
