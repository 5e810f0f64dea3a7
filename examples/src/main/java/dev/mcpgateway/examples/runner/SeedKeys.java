package dev.mcpgateway.examples.runner;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seed's environment keys for features that arrive in later versions, checked once at start so none is silently
 * ignored: {@code POSTGRES_*} and {@code REDIS_*} (durable and shared state) are accepted with one warning that state
 * is kept in memory. ({@code HEALTH_CHECK_INTERVAL} and the {@code AUTH_*} keys work now: see
 * {@link EnvironmentOverrides#ALIASES}.)
 */
final class SeedKeys {
    /** The prefixes of the durable-state keys, such as {@code POSTGRES_HOST} and {@code REDIS_HOST}. */
    static final List<String> STATE_PREFIXES = List.of("POSTGRES_", "REDIS_");
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
            log.warn("{} set, but durable state arrives with a later version: registrations, leases and health are "
                    + "kept in memory and lost on restart", String.join(", ", state));
        }
    }
}
