package dev.mcpgateway.examples.runner;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Reloads the configuration on SIGHUP, the Unix convention for "re-read your configuration". Signals are the
 * process's, so only the runner's {@code main} installs this. Where there is no SIGHUP (Windows), the JVM keeps it
 * ({@code -Xrs}) or the process ignores it (nohup), it says so once and the file watch alone reloads.
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
            Signal hup = new Signal("HUP");
            if (Signal.handle(hup, signal -> onSignal(runner)) == SignalHandler.SIG_IGN) {
                // The JVM leaves an ignored signal ignored (nohup, some job runners): the handler would never run.
                Signal.handle(hup, SignalHandler.SIG_IGN);
                log.info("SIGHUP is ignored for this process (started under nohup?); the configuration reloads when "
                        + "its file changes");
                return false;
            }
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
