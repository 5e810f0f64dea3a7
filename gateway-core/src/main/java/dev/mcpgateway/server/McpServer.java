package dev.mcpgateway.server;

import dev.mcpgateway.auth.Principal;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.internal.server.ServerEngine;
import dev.mcpgateway.mcp.Tool;
import dev.mcpgateway.routing.ExposedTool;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The gateway as one MCP server for its clients: every plugin's tools, resources and prompts aggregated, calls
 * routed and balanced, notifications relayed. Front doors (Streamable HTTP, stdio) create sessions here and feed
 * them the clients' messages; the protocol itself (both eras) lives here, once.
 */
public final class McpServer implements AutoCloseable {
    private final McpGateway gateway;
    private final ServerEngine engine;
    /** Null for the whole server; else the view of it this one is. */
    private final VirtualServer virtualServer;
    private final Map<String, McpServer> virtualServers;

    private McpServer(McpGateway gateway, ServerOptions options, SessionStore store) {
        this.gateway = gateway;
        this.engine = new ServerEngine(gateway, options, store);
        this.virtualServer = null;
        Map<String, McpServer> views = new LinkedHashMap<>();
        for (VirtualServer server : options.virtualServers()) {
            views.put(server.name(), new McpServer(this, server));
        }
        this.virtualServers = Collections.unmodifiableMap(views);
    }

    private McpServer(McpServer whole, VirtualServer virtualServer) {
        this.gateway = whole.gateway;
        this.engine = whole.engine;
        this.virtualServer = virtualServer;
        this.virtualServers = Map.of();
    }

    /** A server over the gateway with default options and in-memory sessions. */
    public static McpServer create(McpGateway gateway) {
        return create(gateway, ServerOptions.defaults());
    }

    /** A server over the gateway whose sessions live in this process only. */
    public static McpServer create(McpGateway gateway, ServerOptions options) {
        return create(gateway, options, SessionStore.none());
    }

    /**
     * A server over the gateway sharing its client sessions through {@code store} with the other gateways that use
     * it, so each request of a session may reach any of them. The server closes the store when it is closed.
     */
    public static McpServer create(McpGateway gateway, ServerOptions options, SessionStore store) {
        Objects.requireNonNull(store, "store");
        return new McpServer(gateway, options, store);
    }

    /**
     * Opens a new session that is forgotten after {@code sessionIdleTimeout} without use, counted against
     * {@link ClientLimits#maxSessions()} only.
     *
     * @throws SessionLimitException if the gateway holds its limit of sessions
     */
    public ServerSession newSession() {
        return engine.newSession(null, true, null, virtualServer);
    }

    /**
     * Opens a new session of a client that is forgotten after {@code sessionIdleTimeout} without use (HTTP
     * clients), counted against {@link ClientLimits#maxSessionsPerClient()} for that client too.
     *
     * @param client who the client is, as the front door knows it: an address today, a principal once clients
     *               authenticate; compared as is
     * @throws SessionLimitException if the client, or the gateway, holds its limit of sessions
     */
    public ServerSession newSession(String client) {
        return engine.newSession(Objects.requireNonNull(client, "client"), true, null, virtualServer);
    }

    /**
     * As {@link #newSession(String)}, for a client that authenticated as {@code principal}: the session keeps it
     * ({@link ServerSession#principal()}), so every later request of the session can be held to the same one.
     */
    public ServerSession newSession(String client, Principal principal) {
        return engine.newSession(Objects.requireNonNull(client, "client"), true,
                Objects.requireNonNull(principal, "principal"), virtualServer);
    }

    /**
     * Opens a new session.
     *
     * @param expiresWhenIdle false for a session that lives as long as its connection (the one stdio client),
     *                        which must go on receiving notifications however long it stays quiet
     */
    public ServerSession newSession(boolean expiresWhenIdle) {
        return engine.newSession(null, expiresWhenIdle, null, virtualServer);
    }

    /**
     * The session with this id, if it is known, has not been idle too long and was opened on this server (a virtual
     * server's sessions are not the whole server's, nor another's); using it counts as activity.
     */
    public Optional<ServerSession> session(String id) {
        return engine.session(id, virtualServer);
    }

    /**
     * A session for one stateless-era (2026-07-28) request: not remembered, initialized by the request's own
     * {@code _meta}. Its client is nobody in particular: per-client rate limits count it in one bucket with every
     * other such request (a host calling in process); a front door uses {@link #statelessSession(String)}.
     */
    public ServerSession statelessSession() {
        return engine.statelessSession(null, null, virtualServer);
    }

    /**
     * As {@link #statelessSession()}, for a request of a client that did not authenticate, known to its front door as
     * {@code client} (as for {@link #newSession(String)}: its address, say). A stateless session lasts one request,
     * so per-client rate limits count such a client by this key instead; a refusal names it, so it must not be a
     * secret such as a token.
     */
    public ServerSession statelessSession(String client) {
        return engine.statelessSession(null, Objects.requireNonNull(client, "client"), virtualServer);
    }

    /** As {@link #statelessSession()}, for a request whose client authenticated as {@code principal}. */
    public ServerSession statelessSession(Principal principal) {
        return engine.statelessSession(Objects.requireNonNull(principal, "principal"), null, virtualServer);
    }

    /** Ends and forgets a session of this server (HTTP DELETE); returns whether it was known. */
    public boolean endSession(String id) {
        return session(id).isPresent() && engine.endSession(id);
    }

    /**
     * The plugin's definition of a tool a client of this server knows by {@code name} (its exposed name, or the name
     * a virtual server gives it), if that client, authenticated as {@code principal} (null: not authenticated), may
     * use it; front doors read it to check what a client mirrors from the tool's arguments into headers
     * ({@code x-mcp-header}).
     */
    public Optional<Tool> tool(String name, Principal principal) {
        return Optional.ofNullable(engine.tool(name, principal, virtualServer)).map(ExposedTool::definition);
    }

    /** The virtual server of {@link ServerOptions#virtualServers()} with this name, as a server front doors feed. */
    public Optional<McpServer> virtualServer(String name) {
        return Optional.ofNullable(virtualServers.get(name));
    }

    /** The names of the virtual servers, in the order they were configured (none for a virtual server itself). */
    public Set<String> virtualServerNames() {
        return virtualServers.keySet();
    }

    /**
     * How many requests the server's limits ({@link ClientLimits}) and its front doors' refused, per limit: where
     * metrics read them.
     */
    public Rejections rejections() {
        return engine.rejections();
    }

    /** The gateway this server serves; front doors read its registry for their health and status routes. */
    public McpGateway gateway() {
        return gateway;
    }

    /** The options the server runs with. */
    public ServerOptions options() {
        return engine.options();
    }

    /**
     * Ends every session and stops the server's timers; the gateway itself stays open. Closing a virtual server's
     * view does nothing: it shares the whole server's sessions and timers, which the whole server's close ends.
     */
    @Override
    public void close() {
        if (virtualServer == null) {
            engine.close();
        }
    }
}
