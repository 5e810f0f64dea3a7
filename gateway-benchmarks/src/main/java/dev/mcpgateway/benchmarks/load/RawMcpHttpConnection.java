package dev.mcpgateway.benchmarks.load;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgateway.jsonrpc.Json;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A load generator's MCP client over one keep-alive HTTP/1.1 connection (like wrk's): plain socket, requests
 * written with {@code Content-Length}, answers read as JSON or as an event stream ending with the response.
 * It opens an MCP session with {@code initialize} once, then sends {@code tools/call} back to back, so the
 * client's own cost stays far below that of the server it measures. Not thread-safe: one per load client.
 */
final class RawMcpHttpConnection implements AutoCloseable {
    static final String PROTOCOL_VERSION = "2025-06-18";
    private static final byte[] CRLF = {'\r', '\n'};

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final String fixedHead;
    private byte[] sessionHead;
    private final byte[] callPrefix = "{\"jsonrpc\":\"2.0\",\"id\":".getBytes(StandardCharsets.US_ASCII);
    private byte[] callSuffix;
    private long nextId;

    private RawMcpHttpConnection(Socket socket, URI endpoint, String bearerToken) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        this.out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
        this.fixedHead = "POST " + endpoint.getRawPath() + " HTTP/1.1\r\nHost: " + endpoint.getHost() + ":"
                + endpoint.getPort() + "\r\nContent-Type: application/json\r\n"
                + "Accept: application/json, text/event-stream\r\n"
                + (bearerToken == null ? "" : "Authorization: Bearer " + bearerToken + "\r\n");
        this.sessionHead = fixedHead.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Connects, opens an MCP session and prepares {@code tools/call} requests for one tool.
     *
     * @param argumentsJson the call's arguments as a JSON object
     */
    static RawMcpHttpConnection open(URI endpoint, String toolName, String argumentsJson) throws IOException {
        return open(endpoint, toolName, argumentsJson, null);
    }

    /**
     * Connects, opens an MCP session and prepares {@code tools/call} requests for one tool, every request carrying
     * {@code bearerToken} (a front door requiring authentication refuses requests without it).
     *
     * @param argumentsJson the call's arguments as a JSON object
     * @param bearerToken   the token for {@code Authorization: Bearer}, or null to send none
     */
    static RawMcpHttpConnection open(URI endpoint, String toolName, String argumentsJson, String bearerToken)
            throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(endpoint.getHost(), endpoint.getPort()), 5_000);
            RawMcpHttpConnection connection = new RawMcpHttpConnection(socket, endpoint, bearerToken);
            connection.initialize();
            connection.callSuffix = (",\"method\":\"tools/call\",\"params\":{\"name\":" + Json.mapper()
                    .writeValueAsString(toolName) + ",\"arguments\":" + argumentsJson + "}}")
                    .getBytes(StandardCharsets.UTF_8);
            return connection;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Sends one {@code tools/call} and waits for its JSON-RPC response. */
    Response call() throws IOException {
        long id = ++nextId;
        byte[] digits = Long.toString(id).getBytes(StandardCharsets.US_ASCII);
        int length = callPrefix.length + digits.length + callSuffix.length;
        out.write(sessionHead);
        out.write(("Content-Length: " + length).getBytes(StandardCharsets.US_ASCII));
        out.write(CRLF);
        out.write(CRLF);
        out.write(callPrefix);
        out.write(digits);
        out.write(callSuffix);
        out.flush();
        return readResponse();
    }

    private void initialize() throws IOException {
        String initialize = "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\""
                + PROTOCOL_VERSION + "\",\"capabilities\":{},\"clientInfo\":{\"name\":\"load\",\"version\":\"1\"}}}";
        send(initialize);
        Response init = readResponse();
        if (init.sessionId() == null || init.status() != 200 || init.body() == null || init.body().has("error")) {
            throw new IOException("initialize failed: HTTP " + init.status() + " " + init.body());
        }
        String negotiated = init.body().path("result").path("protocolVersion").asText(PROTOCOL_VERSION);
        sessionHead = (fixedHead + "Mcp-Session-Id: " + init.sessionId() + "\r\nMCP-Protocol-Version: " + negotiated
                + "\r\n").getBytes(StandardCharsets.US_ASCII);
        send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        Response initialized = readResponse();
        if (initialized.status() / 100 != 2) {
            throw new IOException("notifications/initialized was refused: HTTP " + initialized.status());
        }
    }

    private void send(String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        out.write(sessionHead);
        out.write(("Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }

    private Response readResponse() throws IOException {
        return readResponse(in);
    }

    /** Reads one HTTP response: status line, headers, then a Content-Length or chunked body. */
    static Response readResponse(InputStream in) throws IOException {
        String statusLine = readLine(in);
        if (statusLine.length() < 12 || !statusLine.startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP response: '" + statusLine + "'");
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        long contentLength = -1;
        boolean chunked = false;
        boolean eventStream = false;
        String sessionId = null;
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> contentLength = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "content-type" -> eventStream = value.toLowerCase(Locale.ROOT).startsWith("text/event-stream");
                case "mcp-session-id" -> sessionId = value;
                default -> {
                }
            }
        }
        byte[] body;
        if (chunked) {
            body = readChunked(in);
        } else if (contentLength > 0) {
            body = in.readNBytes((int) contentLength);
            if (body.length < contentLength) {
                throw new EOFException("the connection closed within a response body");
            }
        } else {
            body = new byte[0];
        }
        JsonNode json = body.length == 0 ? null : eventStream ? lastResponseEvent(body) : Json.mapper().readTree(body);
        return new Response(status, sessionId, json);
    }

    /** The JSON-RPC response an event stream ends with (earlier events are progress or other messages). */
    static JsonNode lastResponseEvent(byte[] stream) throws IOException {
        String text = new String(stream, StandardCharsets.UTF_8);
        JsonNode response = null;
        StringBuilder data = new StringBuilder();
        for (String line : text.split("\r\n|\n|\r", -1)) {
            if (line.isEmpty()) {
                if (!data.isEmpty()) {
                    JsonNode message = Json.mapper().readTree(data.toString());
                    if (message.has("id") && (message.has("result") || message.has("error"))) {
                        response = message;
                    }
                    data.setLength(0);
                }
            } else if (line.startsWith("data:")) {
                if (!data.isEmpty()) {
                    data.append('\n');
                }
                data.append(line.startsWith("data: ") ? line.substring(6) : line.substring(5));
            }
        }
        if (response == null) {
            throw new IOException("the event stream ended without a JSON-RPC response");
        }
        return response;
    }

    private static byte[] readChunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine(in);
            int semicolon = sizeLine.indexOf(';');
            int size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
            if (size == 0) {
                while (!readLine(in).isEmpty()) {
                    // trailers: none expected, skipped
                }
                return body.toByteArray();
            }
            byte[] chunk = in.readNBytes(size);
            if (chunk.length < size) {
                throw new EOFException("the connection closed within a chunk");
            }
            body.write(chunk);
            readLine(in);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder(64);
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the connection closed within a response");
            }
            if (b == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            line.append((char) b);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /**
     * One HTTP answer.
     *
     * @param status    the HTTP status
     * @param sessionId its {@code Mcp-Session-Id} header, or null
     * @param body      the JSON-RPC message it carried (the response, for an event stream), or null without a body
     */
    record Response(int status, String sessionId, JsonNode body) {
        /** Whether the answer is a failure: not 200, a JSON-RPC error, or a tool result with {@code isError}. */
        boolean isError() {
            return status != 200 || body == null || body.has("error") || body.path("result").path("isError")
                    .asBoolean(false);
        }
    }
}
