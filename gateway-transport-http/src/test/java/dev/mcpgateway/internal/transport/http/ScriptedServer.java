package dev.mcpgateway.internal.transport.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A server answering each request with the next scripted answer, written as is; {@link #CLOSE} in or as an
 * answer closes the connection there, {@link #SILENCE} never answers, and {@link #PAUSE} in an answer sends what
 * comes before it, then waits a little before the rest.
 */
final class ScriptedServer implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(5);

    /** A request as the server read it, and which of its connections (0, 1, ...) carried it. */
    record Seen(int connection, String requestLine, List<String> headers, String body) {
        String header(String name) {
            String prefix = name.toLowerCase(Locale.ROOT) + ":";
            return headers.stream().filter(h -> h.toLowerCase(Locale.ROOT).startsWith(prefix))
                    .map(h -> h.substring(prefix.length()).strip()).findFirst().orElse(null);
        }
    }

    static final String CLOSE = "\u0000close";
    static final String SILENCE = "\u0000silence";
    static final String PAUSE = "\u0000pause";
    private static final Duration PAUSE_TIME = Duration.ofMillis(20);

    final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
    final List<Seen> seen = new CopyOnWriteArrayList<>();
    final CountDownLatch closed = new CountDownLatch(1);
    private final ServerSocket socket;
    private final List<Socket> connections = new CopyOnWriteArrayList<>();

    ScriptedServer() throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon(true).start(this::accept);
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + port() + "/mcp");
    }

    int port() {
        return socket.getLocalPort();
    }

    private void accept() {
        try {
            for (int index = 0; ; index++) {
                Socket connection = socket.accept();
                connections.add(connection);
                int number = index;
                Thread.ofPlatform().daemon(true).start(() -> serve(connection, number));
            }
        } catch (IOException e) {
            // closed
        }
    }

    private void serve(Socket connection, int number) {
        try (connection) {
            InputStream in = connection.getInputStream();
            OutputStream out = connection.getOutputStream();
            while (true) {
                String requestLine = line(in);
                if (requestLine == null) {
                    return;
                }
                List<String> headers = new ArrayList<>();
                int length = 0;
                for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
                    headers.add(header);
                    if (header.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                        length = Integer.parseInt(header.substring(15).strip());
                    }
                }
                String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
                seen.add(new Seen(number, requestLine, headers, body));
                String answer = answers.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                if (answer == null || answer.equals(SILENCE)) {
                    Thread.sleep(WAIT.toMillis());
                    return;
                }
                int close = answer.indexOf(CLOSE);
                String[] parts = (close < 0 ? answer : answer.substring(0, close)).split(PAUSE, -1);
                for (int i = 0; i < parts.length; i++) {
                    if (i > 0) {
                        Thread.sleep(PAUSE_TIME.toMillis());
                    }
                    out.write(parts[i].getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
                if (close >= 0) {
                    return;
                }
                if (CLOSE.equals(answers.peek())) {
                    answers.poll();
                    return;
                }
            }
        } catch (IOException | InterruptedException e) {
            // the client went away
        } finally {
            closed.countDown();
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                return null;
            }
            line.write(b);
        }
        String text = line.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    @Override
    public void close() throws IOException {
        socket.close();
        for (Socket connection : connections) {
            connection.close();
        }
    }
}
