package dev.mcpgateway.transport.stdio.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcCodec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The client's end of a {@link StdioServer} under test: two OS pipes standing in for the server's stdin and stdout
 * (unlike {@code PipedInputStream}, they do not care which threads read and write). A thread of its own reads what
 * the server writes, checks that every line is exactly one JSON-RPC message, and queues it.
 */
final class ClientEnd implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(10);
    // Queued when the server's stdout ends.
    private static final Line END = new Line(null);

    private final Pipe toServer;
    private final Pipe fromServer;
    private final OutputStream clientOut;
    private final BlockingQueue<Line> lines = new LinkedBlockingQueue<>();
    private final Thread reader;

    ClientEnd() {
        try {
            toServer = Pipe.open();
            fromServer = Pipe.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        clientOut = Channels.newOutputStream(toServer.sink());
        reader = Thread.ofPlatform().name("test-client-reader").daemon(true).start(this::readServerOutput);
    }

    /** What the server reads as stdin. */
    InputStream serverIn() {
        return Channels.newInputStream(toServer.source());
    }

    /** What the server writes to as stdout. */
    OutputStream serverOut() {
        return Channels.newOutputStream(fromServer.sink());
    }

    /** Writes one line, adding the newline. */
    void sendLine(String line) {
        sendRaw(line + "\n");
    }

    /** Writes text as it is. */
    void sendRaw(String text) {
        try {
            clientOut.write(text.getBytes(StandardCharsets.UTF_8));
            clientOut.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends a request with params. */
    void request(Object id, String method, JsonNode params) {
        ObjectNode message = Json.object().put("jsonrpc", "2.0");
        message.set("id", Json.mapper().valueToTree(id));
        message.put("method", method);
        if (params != null) {
            message.set("params", params);
        }
        sendLine(message.toString());
    }

    /** Sends a notification without params. */
    void notification(String method) {
        sendLine("{\"jsonrpc\":\"2.0\",\"method\":\"" + method + "\"}");
    }

    /** The next message the server wrote; fails if none comes in time or stdout ended. */
    JsonNode next() {
        Line line = poll();
        if (line == END) {
            fail("the server's stdout ended while a message was expected");
        }
        return read(line.text());
    }

    /** The next message, which must be the response to {@code id}; returns it. */
    JsonNode response(Object id) {
        JsonNode message = next();
        assertEquals(Json.mapper().valueToTree(id), message.get("id"), () -> "expected the response to " + id
                + ", got " + message);
        return message;
    }

    /** The result of the next message, which must be a successful response to {@code id}. */
    JsonNode result(Object id) {
        JsonNode response = response(id);
        assertNotNull(response.get("result"), () -> "expected a result, got " + response);
        return response.get("result");
    }

    /** Sends a request and returns its result, which must be the next message. */
    JsonNode call(Object id, String method, JsonNode params) {
        request(id, method, params);
        return result(id);
    }

    /** Fails unless the server's stdout ends next, with no message before the end. */
    void expectEnd() {
        Line line = poll();
        if (line != END) {
            fail("expected the end of the server's stdout, got " + line.text());
        }
    }

    /** Closes the server's stdin, as a client does to shut the server down. */
    void endInput() {
        try {
            clientOut.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops reading the server's stdout, as a client that went away would. */
    void stopReading() throws IOException, InterruptedException {
        fromServer.source().close();
        reader.join(WAIT.toMillis());
    }

    /** Closes every pipe end; the reader thread ends with them. */
    @Override
    public void close() throws IOException {
        toServer.sink().close();
        toServer.source().close();
        fromServer.sink().close();
        fromServer.source().close();
    }

    private Line poll() {
        try {
            Line line = lines.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (line == null) {
                fail("the server wrote nothing within " + WAIT);
            }
            return line;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for the server", e);
        }
    }

    private static JsonNode read(String line) {
        // Decoding proves the line is one complete message: interleaved writes would not decode.
        JsonRpcCodec.INSTANCE.decode(line);
        try {
            return Json.mapper().readTree(line);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }

    private void readServerOutput() {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(Channels.newInputStream(fromServer.source()), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                lines.add(new Line(line));
            }
        } catch (IOException e) {
            // stopReading() closed the pipe under the reader: that is the end, too.
        }
        lines.add(END);
    }

    /** One line the server wrote, or with null text the end of its stdout. */
    private record Line(String text) {
    }
}
