package dev.mcpgateway.transport;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.mcp.Implementation;
import java.time.Duration;
import java.util.Objects;

/**
 * How the gateway's MCP client sessions toward plugins behave: who the gateway says it is, how long a
 * handshake may take, whether to probe for the stateless era first, and how restarts back off.
 *
 * @param clientInfo         the name and version the gateway reports to plugins
 * @param clientCapabilities the capabilities it declares to plugins (by default sampling, elicitation and roots,
 *                           which it relays to its clients)
 * @param handshakeTimeout   how long era detection plus initialization may take
 * @param probeModern        whether to probe with {@code server/discover} before falling back to {@code initialize}
 * @param restartBackoffMin  the first delay before restarting a plugin whose connection ended
 * @param restartBackoffMax  the longest delay between restarts (the delay doubles up to it)
 */
public record SessionOptions(Implementation clientInfo, ObjectNode clientCapabilities, Duration handshakeTimeout,
                             boolean probeModern, Duration restartBackoffMin, Duration restartBackoffMax) {
    public SessionOptions {
        Objects.requireNonNull(clientInfo, "clientInfo");
        clientCapabilities = clientCapabilities == null ? Json.object() : clientCapabilities.deepCopy();
        requirePositive("handshakeTimeout", handshakeTimeout);
        requirePositive("restartBackoffMin", restartBackoffMin);
        requirePositive("restartBackoffMax", restartBackoffMax);
        if (restartBackoffMax.compareTo(restartBackoffMin) < 0) {
            throw new IllegalArgumentException("restartBackoffMax (" + restartBackoffMax
                    + ") must not be shorter than restartBackoffMin (" + restartBackoffMin + ")");
        }
    }

    /** The defaults: 10 s handshakes, modern probe on, restarts after 100 ms doubling up to 30 s. */
    public static SessionOptions defaults() {
        return new SessionOptions(new Implementation("mcp-gateway", "0.1.0", "MCP Gateway"), relayedCapabilities(),
                Duration.ofSeconds(10), true, Duration.ofMillis(100), Duration.ofSeconds(30));
    }

    /**
     * What the gateway declares to plugins by default: it relays sampling, elicitation and roots requests to the
     * client whose call caused them, and answers -32601 when that client cannot take them. Plugins connect before
     * any client does, so the gateway cannot wait to learn its clients' capabilities.
     */
    public static ObjectNode relayedCapabilities() {
        ObjectNode capabilities = Json.object();
        capabilities.putObject("sampling");
        capabilities.putObject("elicitation");
        capabilities.putObject("roots");
        return capabilities;
    }

    /** These options declaring other client capabilities to plugins. */
    public SessionOptions withClientCapabilities(ObjectNode capabilities) {
        return new SessionOptions(clientInfo, capabilities, handshakeTimeout, probeModern, restartBackoffMin,
                restartBackoffMax);
    }

    /** These options with another handshake timeout. */
    public SessionOptions withHandshakeTimeout(Duration timeout) {
        return new SessionOptions(clientInfo, clientCapabilities, timeout, probeModern, restartBackoffMin, restartBackoffMax);
    }

    /** These options with other restart delays. */
    public SessionOptions withRestartBackoff(Duration min, Duration max) {
        return new SessionOptions(clientInfo, clientCapabilities, handshakeTimeout, probeModern, min, max);
    }

    /** These options with the modern-era probe on or off. */
    public SessionOptions withProbeModern(boolean probe) {
        return new SessionOptions(clientInfo, clientCapabilities, handshakeTimeout, probe, restartBackoffMin, restartBackoffMax);
    }

    private static void requirePositive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }
}
