package dev.mcpgateway.transport.stdio.server;

import dev.mcpgateway.McpGateway;
import dev.mcpgateway.server.McpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A gateway serving {@link CalcPlugin} over this process's stdin and stdout, as a desktop client would launch it;
 * the process tests run it as a child JVM. It logs to stderr (slf4j-simple's default), prints
 * {@link #STRAY_PRINT} to {@code System.out} once it serves (which must land on stderr, not in the protocol
 * stream), and exits with code 0 once its stdin ends.
 */
public final class CalcGatewayMain {
    /** What the process prints to {@code System.out} while serving. */
    public static final String STRAY_PRINT = "a stray print that must not reach the protocol stream";
    /** What the process logs once it stopped serving. */
    public static final String STOPPED = "stdio gateway stopped";

    private static final Logger log = LoggerFactory.getLogger(CalcGatewayMain.class);

    private CalcGatewayMain() {
    }

    /** Serves until stdin ends; takes no arguments. */
    public static void main(String[] args) {
        try (McpGateway gateway = McpGateway.builder().build()) {
            gateway.registerInProcess(CalcPlugin.create(CalcPlugin.Gate.opened())).join();
            try (McpServer server = McpServer.create(gateway); StdioServer stdio = StdioServer.serve(server)) {
                System.out.println(STRAY_PRINT);
                stdio.done().join();
            }
        }
        log.info(STOPPED);
    }
}
