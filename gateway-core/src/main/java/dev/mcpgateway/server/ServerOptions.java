package dev.mcpgateway.server;

import dev.mcpgateway.mcp.Implementation;
import java.time.Duration;
import java.util.Objects;

/**
 * How the gateway behaves as an MCP server toward its clients.
 *
 * @param serverInfo          the name and version the gateway reports
 * @param instructions        instructions for the model sent in the handshake, or null
 * @param pageSize            how many tools, resources or prompts one list page holds
 * @param sessionIdleTimeout  how long a session may stay unused before it is forgotten
 * @param listChangedDebounce how long list changes are gathered before clients are notified
 */
public record ServerOptions(Implementation serverInfo, String instructions, int pageSize, Duration sessionIdleTimeout,
                            Duration listChangedDebounce) {
    public ServerOptions {
        Objects.requireNonNull(serverInfo, "serverInfo");
        if (pageSize < 1 || pageSize > 10_000) {
            throw new IllegalArgumentException("pageSize must be between 1 and 10000, got " + pageSize);
        }
        Objects.requireNonNull(sessionIdleTimeout, "sessionIdleTimeout");
        Objects.requireNonNull(listChangedDebounce, "listChangedDebounce");
        if (sessionIdleTimeout.isNegative() || sessionIdleTimeout.isZero()) {
            throw new IllegalArgumentException("sessionIdleTimeout must be positive, got " + sessionIdleTimeout);
        }
        if (listChangedDebounce.isNegative()) {
            throw new IllegalArgumentException("listChangedDebounce must not be negative, got " + listChangedDebounce);
        }
    }

    /** The defaults: pages of 100, sessions forgotten after 30 idle minutes, list changes gathered for 50 ms. */
    public static ServerOptions defaults() {
        return new ServerOptions(new Implementation("mcp-gateway", "0.1.0", "MCP Gateway"), null, 100,
                Duration.ofMinutes(30), Duration.ofMillis(50));
    }

    /** These options with another page size. */
    public ServerOptions withPageSize(int size) {
        return new ServerOptions(serverInfo, instructions, size, sessionIdleTimeout, listChangedDebounce);
    }

    /** These options with another idle timeout. */
    public ServerOptions withSessionIdleTimeout(Duration timeout) {
        return new ServerOptions(serverInfo, instructions, pageSize, timeout, listChangedDebounce);
    }

    /** These options with another debounce interval for list-change notifications. */
    public ServerOptions withListChangedDebounce(Duration debounce) {
        return new ServerOptions(serverInfo, instructions, pageSize, sessionIdleTimeout, debounce);
    }
}
