package dev.mcpgateway.server;

import dev.mcpgateway.auth.AccessPolicy;
import dev.mcpgateway.mcp.Implementation;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * How the gateway behaves as an MCP server toward its clients.
 *
 * @param serverInfo           the name and version the gateway reports
 * @param instructions         instructions for the model sent in the handshake, or null
 * @param pageSize             how many tools, resources or prompts one list page holds
 * @param sessionIdleTimeout   how long a session may stay unused before it is forgotten (and its place among
 *                             {@link ClientLimits#maxSessions()} freed)
 * @param listChangedDebounce  how long list changes are gathered before clients are notified
 * @param defaultCacheTtl      the {@code ttlMs} a 2026-07-28 client is given for a cacheable result when no plugin
 *                             behind it gave one (zero: re-fetch whenever needed, the spec's default)
 * @param inputRequiredTimeout how long a plugin's request (elicitation, sampling, roots) that was turned into an
 *                             {@code input_required} result for a 2026-07-28 client waits for the client's retry
 *                             before the plugin is answered with an error
 * @param maxSuspendedCalls    how many calls may wait for such a retry at once; a plugin asking beyond that is
 *                             answered with an error at once
 * @param clientLimits         how many sessions, requests in flight per session and messages per batch clients may
 *                             have
 * @param accessPolicy         which tools, prompts and resources each client may see and use
 *                             ({@link AccessPolicy#ALLOW_ALL} by default)
 * @param virtualServers       the curated views of the server, by name, that front doors serve beside the whole
 *                             ({@link McpServer#virtualServer(String)}); none by default
 */
public record ServerOptions(Implementation serverInfo, String instructions, int pageSize, Duration sessionIdleTimeout,
                            Duration listChangedDebounce, Duration defaultCacheTtl, Duration inputRequiredTimeout,
                            int maxSuspendedCalls, ClientLimits clientLimits, AccessPolicy accessPolicy,
                            List<VirtualServer> virtualServers) {
    public ServerOptions {
        Objects.requireNonNull(serverInfo, "serverInfo");
        if (pageSize < 1 || pageSize > 10_000) {
            throw new IllegalArgumentException("pageSize must be between 1 and 10000, got " + pageSize);
        }
        requirePositive("sessionIdleTimeout", sessionIdleTimeout);
        requireNotNegative("listChangedDebounce", listChangedDebounce);
        requireNotNegative("defaultCacheTtl", defaultCacheTtl);
        requirePositive("inputRequiredTimeout", inputRequiredTimeout);
        if (maxSuspendedCalls < 1) {
            throw new IllegalArgumentException("maxSuspendedCalls must be at least 1, got " + maxSuspendedCalls);
        }
        Objects.requireNonNull(clientLimits, "clientLimits");
        Objects.requireNonNull(accessPolicy, "accessPolicy");
        virtualServers = List.copyOf(Objects.requireNonNull(virtualServers, "virtualServers"));
        Set<String> names = new HashSet<>();
        for (VirtualServer server : virtualServers) {
            if (!names.add(server.name())) {
                throw new IllegalArgumentException("two virtual servers are named '" + server.name() + "'; each needs "
                        + "a name of its own (it is part of its URL)");
            }
        }
    }

    /**
     * The defaults: pages of 100, sessions forgotten after 10 idle minutes, list changes gathered for 50 ms, cache
     * ttl 0 where plugins give none, input requests waiting 5 minutes for the client, at most 1,000 of them,
     * {@link ClientLimits#defaults()}.
     *
     * <p>Why 10 minutes: a session with an open GET stream is never idle (each keep-alive counts), and one whose
     * user pauses between prompts for minutes must not lose it; but an abandoned session holds its place among
     * {@link ClientLimits#maxSessions()} until it expires, so the limits only recover as fast as this. A client
     * whose session expired gets 404 and starts a new one, as the transport specifies.
     */
    public static ServerOptions defaults() {
        return new ServerOptions(new Implementation("mcp-gateway", "0.1.0", "MCP Gateway"), null, 100,
                Duration.ofMinutes(10), Duration.ofMillis(50), Duration.ZERO, Duration.ofMinutes(5), 1_000,
                ClientLimits.defaults(), AccessPolicy.ALLOW_ALL, List.of());
    }

    /** These options with another page size. */
    public ServerOptions withPageSize(int size) {
        return new ServerOptions(serverInfo, instructions, size, sessionIdleTimeout, listChangedDebounce, defaultCacheTtl,
                inputRequiredTimeout, maxSuspendedCalls, clientLimits, accessPolicy,
                virtualServers);
    }

    /** These options with another idle timeout. */
    public ServerOptions withSessionIdleTimeout(Duration timeout) {
        return new ServerOptions(serverInfo, instructions, pageSize, timeout, listChangedDebounce, defaultCacheTtl,
                inputRequiredTimeout, maxSuspendedCalls, clientLimits, accessPolicy,
                virtualServers);
    }

    /** These options with another debounce interval for list-change notifications. */
    public ServerOptions withListChangedDebounce(Duration debounce) {
        return new ServerOptions(serverInfo, instructions, pageSize, sessionIdleTimeout, debounce, defaultCacheTtl,
                inputRequiredTimeout, maxSuspendedCalls, clientLimits, accessPolicy,
                virtualServers);
    }

    /** These options with another cache ttl for results no plugin gave one for. */
    public ServerOptions withDefaultCacheTtl(Duration ttl) {
        return new ServerOptions(serverInfo, instructions, pageSize, sessionIdleTimeout, listChangedDebounce, ttl,
                inputRequiredTimeout, maxSuspendedCalls, clientLimits, accessPolicy,
                virtualServers);
    }

    /** These options with other bounds on plugins' requests waiting for a 2026-07-28 client's retry. */
    public ServerOptions withInputRequired(Duration timeout, int maxSuspended) {
        return new ServerOptions(serverInfo, instructions, pageSize, sessionIdleTimeout, listChangedDebounce,
                defaultCacheTtl, timeout, maxSuspended, clientLimits, accessPolicy,
                virtualServers);
    }

    /** These options with other limits on what clients may hold. */
    public ServerOptions withClientLimits(ClientLimits limits) {
        return new ServerOptions(serverInfo, instructions, pageSize, sessionIdleTimeout, listChangedDebounce,
                defaultCacheTtl, inputRequiredTimeout, maxSuspendedCalls, limits, accessPolicy,
                virtualServers);
    }

    /** These options with other instructions for the model (null for none). */
    public ServerOptions withInstructions(String text) {
        return new ServerOptions(serverInfo, text, pageSize, sessionIdleTimeout, listChangedDebounce, defaultCacheTtl,
                inputRequiredTimeout, maxSuspendedCalls, clientLimits, accessPolicy, virtualServers);
    }

    /** These options with another policy of what each client may see and use. */
    public ServerOptions withAccessPolicy(AccessPolicy policy) {
        return new ServerOptions(serverInfo, instructions, pageSize, sessionIdleTimeout, listChangedDebounce,
                defaultCacheTtl, inputRequiredTimeout, maxSuspendedCalls, clientLimits, policy, virtualServers);
    }

    /** These options with other virtual servers. */
    public ServerOptions withVirtualServers(List<VirtualServer> servers) {
        return new ServerOptions(serverInfo, instructions, pageSize, sessionIdleTimeout, listChangedDebounce,
                defaultCacheTtl, inputRequiredTimeout, maxSuspendedCalls, clientLimits, accessPolicy, servers);
    }

    private static void requirePositive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }

    private static void requireNotNegative(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, got " + value);
        }
    }
}
