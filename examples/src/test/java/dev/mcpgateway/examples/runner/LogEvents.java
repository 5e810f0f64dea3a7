package dev.mcpgateway.examples.runner;

import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs a few events of each kind, for LogOutputTest to read in the runner's log format. */
final class LogEvents {
    private LogEvents() {
    }

    public static void main(String[] args) {
        Logger log = LoggerFactory.getLogger(LogEvents.class);
        log.info("started");
        log.debug("a detail");
        LoggerFactory.getLogger("org.eclipse.jetty.server.Server").info("Jetty says it started");
        log.warn("first line\nsecond line");
        log.error("failed", new IllegalStateException("broken", new IOException("underneath")));
    }
}
