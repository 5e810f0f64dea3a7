package dev.mcpgateway.examples.runner;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Reloads the configuration on SIGHUP, the Unix convention for "re-read your configuration". Signals are the
 * process's, so only the runner's {@code main} installs this, never a library or a test. Where there is no SIGHUP
 * (Windows) or the JVM keeps it ({@code -Xrs}), it says so once and the file watch alone reloads.
 */
public final class Sighup {
    private static final Logger log = LoggerFactory.getLogger(Sighup.class);

    private Sighup() {
    }

    /**
     * Runs {@code runner.reload()} on each SIGHUP.
     *
     * @return whether the handler is installed
     */
    public static boolean install(GatewayRunner runner) {
        try {
            Signal.handle(new Signal("HUP"), signal -> onSignal(runner));
            return true;
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            log.info("SIGHUP is not available here ({}); the configuration reloads when its file changes",
                    e.getMessage());
            return false;
        }
    }

    /** What a SIGHUP does: asks for a reload and returns at once, since the signal's thread must not wait on it. */
    static void onSignal(GatewayRunner runner) {
        log.info("SIGHUP: reloading the configuration");
        runner.reload();
    }
}
