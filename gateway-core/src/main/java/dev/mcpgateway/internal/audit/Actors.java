package dev.mcpgateway.internal.audit;

import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.plugin.RegistrationSource;
import java.util.function.Supplier;

/**
 * Who makes a registry change, for the audit: the management API names its caller around the work of a request
 * ({@link #as}); the registry takes the name along with each change submitted meanwhile and names it again while it
 * applies the change on its control loop, where the audit reads it ({@link #current}). Without a name, a change came
 * through the Java API: the host's, or the runner's configuration file's for the instances it declared.
 */
public final class Actors {
    /** The gateway itself: lease evictions, health transitions. */
    public static final String GATEWAY = "gateway";
    /** The embedding host, through the Java API. */
    public static final String HOST = "host";
    /** The runner, from its configuration file. */
    public static final String CONFIG = "config";
    /** A caller of the management API where nobody authenticates: anyone who could reach it. */
    public static final String ANONYMOUS = "-";

    private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

    private Actors() {
    }

    /** Runs {@code work} with the changes it makes attributed to {@code actor}, on this thread. */
    public static <T> T as(String actor, Supplier<T> work) {
        String outer = CURRENT.get();
        CURRENT.set(actor);
        try {
            return work.get();
        } finally {
            if (outer == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(outer);
            }
        }
    }

    /** Who {@link #as} names on this thread, or null. */
    public static String current() {
        return CURRENT.get();
    }

    /** Who changes {@code instance}: the one named, else the host or the configuration file that declared it. */
    public static String of(PluginInstance instance) {
        String actor = CURRENT.get();
        return actor != null ? actor : instance.source() == RegistrationSource.CONFIG ? CONFIG : HOST;
    }

    /** Who makes a change concerning no instance: the one named, else the host. */
    public static String orHost() {
        String actor = CURRENT.get();
        return actor != null ? actor : HOST;
    }
}
