package dev.mcpgateway.persistence.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/** How {@link TestPostgres} and {@link TestRedis} decide between the environment's server and an embedded one. */
final class Reachable {
    private static final int PROBE_MILLIS = 1000;

    private Reachable() {
    }

    /**
     * Whether something accepts a connection at {@code host:port} within a second. When not, says so on stderr,
     * naming the {@code fallback} the caller starts instead, so a slow first test shows why.
     */
    static boolean answers(String host, int port, String caller, String fallback) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), PROBE_MILLIS);
            return true;
        } catch (IOException unreachable) {
            System.err.println(caller + ": nothing answers at " + host + ":" + port + " (" + unreachable.getMessage()
                    + "); starting " + fallback);
            return false;
        }
    }
}
