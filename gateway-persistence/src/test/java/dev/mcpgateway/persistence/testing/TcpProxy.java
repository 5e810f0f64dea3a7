package dev.mcpgateway.persistence.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A TCP relay on loopback in front of a real server, that a test can {@link #cut()} (every connection reset, new
 * ones refused: the server is down as far as a client can tell) and {@link #restore()} on the same port. It is how
 * the tests take PostgreSQL away from a store and give it back without touching the server others use.
 */
public final class TcpProxy implements AutoCloseable {
    private final String targetHost;
    private final int targetPort;
    private final int port;
    private final List<Socket> open = new ArrayList<>();
    private ServerSocket listening;
    /** While set, every byte relayed is dropped: connections stay open but say nothing, as behind a dead link. */
    private volatile boolean blackholed;

    private TcpProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.listening = bindOutsideEphemeralPorts();
        this.port = listening.getLocalPort();
        accept(listening);
    }

    /** A relay to {@code host:port}, accepting connections. */
    public static TcpProxy to(String host, int port) throws IOException {
        return new TcpProxy(host, port);
    }

    /** The loopback port clients connect to. */
    public int port() {
        return port;
    }

    /** Resets every relayed connection and refuses new ones until {@link #restore()}. */
    public synchronized void cut() throws IOException {
        if (listening != null) {
            listening.close();
            listening = null;
        }
        for (Socket socket : open) {
            reset(socket);
        }
        open.clear();
    }

    /** Closes with a reset, as when the server's host goes away, not a polite close. */
    private static void reset(Socket socket) throws IOException {
        try {
            socket.setSoLinger(true, 0);
        } catch (SocketException closedMeanwhile) {
            // Its relay closed it between our look and now (the other side hung up): nothing left to reset.
        }
        socket.close();
    }

    /**
     * Drops every byte relayed from now on without closing anything, as a network device that vanished does (no reset
     * reaches either side); new connections are accepted and go silent too. {@link #restore()} ends it.
     */
    public void blackhole() {
        blackholed = true;
    }

    /** Accepts connections again, on the same port, and relays bytes again. */
    public synchronized void restore() throws IOException {
        blackholed = false;
        if (listening == null) {
            listening = bind(port);
            accept(listening);
        }
    }

    @Override
    public void close() throws IOException {
        cut();
    }

    /**
     * A listening socket on a port the kernel never hands out as a client's local port. A port from bind(0) is one of
     * those, and while the proxy is cut a client reconnecting to it may get it as its own local port (a TCP
     * self-connect on loopback, or simply its next ephemeral port), so that {@link #restore()} could not bind it.
     */
    private static ServerSocket bindOutsideEphemeralPorts() throws IOException {
        int firstEphemeral = 32768;
        try {
            firstEphemeral = Integer.parseInt(Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))
                    .strip().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            // Not Linux: the IANA dynamic range starts at 49152, and 32768 is below both.
        }
        int low = 10_000;
        int high = Math.max(low + 1_000, Math.min(firstEphemeral, 32768));
        IOException last = null;
        for (int attempt = 0; attempt < 100; attempt++) {
            try {
                return bind(ThreadLocalRandom.current().nextInt(low, high));
            } catch (IOException e) {
                last = e; // taken: another try
            }
        }
        throw new IOException("no free loopback port between " + low + " and " + high, last);
    }

    private static ServerSocket bind(int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return socket;
    }

    private void accept(ServerSocket server) {
        Thread.ofVirtual().name("tcp-proxy-accept-" + port).start(() -> {
            while (true) {
                Socket client;
                try {
                    client = server.accept();
                } catch (IOException closed) {
                    return; // cut or closed
                }
                relay(server, client);
            }
        });
    }

    private void relay(ServerSocket server, Socket client) {
        try {
            Socket upstream = new Socket(targetHost, targetPort);
            synchronized (this) {
                if (listening != server) {
                    // Accepted before a cut that came while the relay was still connecting upstream: the cut is
                    // for this connection too, or a client could go on using it as if the server were still there.
                    reset(client);
                    reset(upstream);
                    return;
                }
                open.removeIf(Socket::isClosed);
                open.add(client);
                open.add(upstream);
            }
            pump(client, upstream);
            pump(upstream, client);
        } catch (IOException e) {
            closeQuietly(client);
        }
    }

    private void pump(Socket from, Socket to) {
        Thread.ofVirtual().start(() -> {
            byte[] buffer = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    if (blackholed) {
                        continue;
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException ended) {
                // one side went away (or was cut): the other is closed below
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        });
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
