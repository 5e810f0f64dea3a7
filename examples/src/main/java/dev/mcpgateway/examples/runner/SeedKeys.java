package dev.mcpgateway.examples.runner;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seed's environment keys for features that arrive in later versions, checked once at start so none is silently
 * ignored: {@code POSTGRES_*} and {@code REDIS_*} (durable and shared state) are accepted with one warning that state
 * is kept in memory; {@code AUTH_PROVIDER} other than {@code none} refuses the start, since serving without the
 * authentication the operator asked for would leave the gateway open. ({@code HEALTH_CHECK_INTERVAL} works now:
 * see {@link ConfigLoader#HEALTH_CHECK_INTERVAL}.)
 */
final class SeedKeys {
    /** Asks for client authentication; only {@code none} is supported yet. */
    static final String AUTH_PROVIDER = "AUTH_PROVIDER";
    /** The prefixes of the durable-state keys, such as {@code POSTGRES_HOST} and {@code REDIS_HOST}. */
    static final List<String> STATE_PREFIXES = List.of("POSTGRES_", "REDIS_");
    private static final Logger log = LoggerFactory.getLogger(SeedKeys.class);

    private SeedKeys() {
    }

    /**
     * Warns once of durable-state keys, refuses an authentication provider.
     *
     * @throws ConfigException when {@code AUTH_PROVIDER} names a provider
     */
    static void check(Map<String, String> env) {
        String auth = env.get(AUTH_PROVIDER);
        if (auth != null && !auth.isBlank() && !"none".equals(auth.strip().toLowerCase(Locale.ROOT))) {
            throw new ConfigException("config error in environment variable " + AUTH_PROVIDER + ": '" + auth.strip()
                    + "' is not supported yet, and the gateway will not serve unauthenticated when asked for "
                    + "authentication; unset it or set it to 'none' (and keep the gateway on a trusted network)");
        }
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
