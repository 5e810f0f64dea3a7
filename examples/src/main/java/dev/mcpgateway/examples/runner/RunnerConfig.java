package dev.mcpgateway.examples.runner;

import dev.mcpgateway.CallLimits;
import dev.mcpgateway.GatewayConfig;
import dev.mcpgateway.transport.http.server.HttpFrontDoorOptions;
import dev.mcpgateway.transport.http.server.ServerTls;
import dev.mcpgateway.plugin.PluginManifest;
import dev.mcpgateway.plugin.TransportSpec;
import dev.mcpgateway.server.ClientLimits;
import dev.mcpgateway.server.ServerOptions;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the standalone gateway runs: where it listens, the plugins it starts, how it balances, how often it
 * checks health and how many calls it lets be in flight. Read from YAML by {@link ConfigLoader}; every part is
 * optional and has a default.
 *
 * @param server  where the MCP endpoint listens
 * @param plugins the plugins to start, in order
 * @param routing how calls are spread over a plugin's instances, tool names, routing rules
 * @param health  how instances are probed, how long a down plugin's tools stay listed, when instances are ejected
 * @param limits  how many tool calls may be in flight, how many retries, how long a call may take
 * @param leases  how instances registered with a lease (over the management API) are evicted when it lapses
 * @param pluginSessions how the gateway's sessions toward plugins connect and restart
 * @param auth    whether clients of the MCP endpoint and the management API must present bearer tokens (JWTs,
 *                introspected tokens or API keys)
 * @param access  which tools, prompts and resources each client may see and use ({@link AccessConfig})
 * @param virtualServers curated toolsets served at {@code <server.path>/<name>} ({@link VirtualServerConfig})
 * @param persistence where registrations outlive the process ({@link PersistenceConfig}); in memory by default
 * @param accessLog   one line per tool call ({@link AccessLogConfig}); off by default
 * @param metrics     whether metrics are recorded and served at /metrics ({@link MetricsConfig}); on by default
 * @param tracing     whether calls are exported as OpenTelemetry spans ({@link TracingConfig}); off by default
 */
public record RunnerConfig(Server server, List<Plugin> plugins, RoutingConfig routing, HealthConfig health,
                           Limits limits, LeasesConfig leases, PluginSessionsConfig pluginSessions, AuthConfig auth,
                           AccessConfig access, List<VirtualServerConfig> virtualServers,
                           PersistenceConfig persistence, AccessLogConfig accessLog, MetricsConfig metrics,
                           TracingConfig tracing) {
    public RunnerConfig {
        server = server == null ? Server.DEFAULT : server;
        plugins = List.copyOf(plugins == null ? List.of() : plugins);
        routing = routing == null ? RoutingConfig.DEFAULT : routing;
        health = health == null ? HealthConfig.DEFAULT : health;
        limits = limits == null ? Limits.DEFAULT : limits;
        leases = leases == null ? LeasesConfig.DEFAULT : leases;
        pluginSessions = pluginSessions == null ? PluginSessionsConfig.DEFAULT : pluginSessions;
        auth = auth == null ? AuthConfig.DEFAULT : auth;
        access = access == null ? AccessConfig.NONE : access;
        virtualServers = List.copyOf(virtualServers == null ? List.of() : virtualServers);
        persistence = persistence == null ? PersistenceConfig.NONE : persistence;
        accessLog = accessLog == null ? AccessLogConfig.OFF : accessLog;
        metrics = metrics == null ? MetricsConfig.DEFAULT : metrics;
        tracing = tracing == null ? TracingConfig.OFF : tracing;
        DuplicateNameException.requireDistinct(virtualServers, VirtualServerConfig::name, "virtualServers",
                "give each a distinct name (it is part of its URL)");
        DuplicateNameException.requireDistinct(plugins, Plugin::name, "plugins",
                "give each a distinct name (raise 'instances' to run one plugin several times)");
    }

    /** The defaults: 127.0.0.1:9105, no plugins, round-robin, probes every 10 s, {@link CallLimits#defaults()}. */
    public static RunnerConfig defaults() {
        return new RunnerConfig(null, null, null, null, null, null, null, null, null, null, null, null, null,
                null);
    }

    /** This configuration with other plugins. */
    public RunnerConfig withPlugins(List<Plugin> newPlugins) {
        return new RunnerConfig(server, newPlugins, routing, health, limits, leases, pluginSessions, auth, access,
                virtualServers, persistence, accessLog, metrics, tracing);
    }

    /** This configuration listening elsewhere. */
    public RunnerConfig withServer(Server newServer) {
        return new RunnerConfig(newServer, plugins, routing, health, limits, leases, pluginSessions, auth, access,
                virtualServers, persistence, accessLog, metrics, tracing);
    }

    /** This configuration with other routing settings. */
    public RunnerConfig withRouting(RoutingConfig newRouting) {
        return new RunnerConfig(server, plugins, newRouting, health, limits, leases, pluginSessions, auth, access,
                virtualServers, persistence, accessLog, metrics, tracing);
    }

    /** This configuration with other metrics settings. */
    public RunnerConfig withMetrics(MetricsConfig newMetrics) {
        return new RunnerConfig(server, plugins, routing, health, limits, leases, pluginSessions, auth, access,
                virtualServers, persistence, accessLog, newMetrics, tracing);
    }

    /** This configuration with other tracing settings. */
    public RunnerConfig withTracing(TracingConfig newTracing) {
        return new RunnerConfig(server, plugins, routing, health, limits, leases, pluginSessions, auth, access,
                virtualServers, persistence, accessLog, metrics, newTracing);
    }

    /** This configuration with other health settings. */
    public RunnerConfig withHealth(HealthConfig newHealth) {
        return new RunnerConfig(server, plugins, routing, newHealth, limits, leases, pluginSessions, auth, access,
                virtualServers, persistence, accessLog, metrics, tracing);
    }

    /** The MCP server's options: the server section's, with the access policy and the virtual servers. */
    public ServerOptions serverOptions() {
        return server.serverOptions().withAccessPolicy(access.policy())
                .withVirtualServers(virtualServers.stream().map(VirtualServerConfig::virtualServer).toList());
    }

    /**
     * The gateway configuration this stands for: routing, health, limits, leases, sessions toward plugins and the
     * plugins' own settings.
     */
    public GatewayConfig gatewayConfig() {
        GatewayConfig.Builder builder = GatewayConfig.builder()
                .callLimits(limits.callLimits())
                .rateLimits(limits.rateLimits().rateLimits())
                .callTimeout(limits.callTimeout())
                .sessionOptions(pluginSessions.options());
        leases.applyTo(builder);
        persistence.applyTo(builder);
        routing.applyTo(builder);
        health.applyTo(builder, plugins);
        for (Plugin plugin : plugins) {
            if (plugin.timeout() != null) {
                builder.callTimeout(plugin.name(), plugin.timeout());
            }
            plugin.toolTimeouts().forEach((tool, timeout) -> builder.callTimeout(plugin.name(), tool, timeout));
            if (!plugin.trustAnnotations()) {
                builder.distrustAnnotations(plugin.name());
            }
        }
        return builder.build();
    }

    /**
     * Where the gateway's MCP endpoint listens ({@code http://host:port/mcp}, or {@code https://} with TLS), whom it
     * answers, and how much its clients may hold at once; every limit refuses what goes beyond it with an error naming
     * it, and counts the refusal.
     *
     * @param host                 the address to bind, 127.0.0.1 by default (loopback only)
     * @param port                 the port, 9105 by default; 0 picks a free one
     * @param maxConnections       connections held at once, 8192 by default; one more is answered 503 and closed
     * @param maxStreamsPerSession event streams one MCP session may hold open, 32 by default; one more is refused
     * @param allowedHosts         the names clients may reach the endpoint by ({@code Host}), against DNS rebinding:
     *                             {@code name}, {@code name:port}, {@code [ipv6]}, {@code [ipv6]:port} or {@code *};
     *                             by default localhost, 127.0.0.1 and [::1] on any port, plus {@code host} unless it
     *                             is 0.0.0.0 or {@code ::}. A gateway exposed under other names must list them
     * @param allowedOrigins       the browser origins that may call the endpoint ({@code scheme://host[:port|:*]} or
     *                             {@code *}); by default pages on this machine
     * @param cors                 whether the allowed origins' pages may read answers (CORS); off by default
     * @param maxBodyBytesInFlight bytes of request bodies held at once, a sixteenth of the heap by default (null);
     *                             a POST beyond it is answered 503 with Retry-After
     * @param maxSessions          MCP sessions held at once, 10,000 by default; one more initialize is answered 503
     * @param maxSessionsPerClient MCP sessions one client address holds, 100 by default; one more is answered 429
     * @param maxCallsPerSession   requests one session has in flight, 100 by default; one more is answered -32006
     * @param maxBatchSize         messages in one JSON-RPC batch (2025-03-26), 100 by default; a bigger batch is
     *                             refused whole
     * @param sessionIdleTimeout   how long an unused session is kept, 10 minutes by default
     * @param tls                  the certificate to serve HTTPS (and HTTP/2) with; absent: plain HTTP
     * @param path                 the endpoint's path, {@code /mcp} by default
     * @param maxRequestBytes      the largest POST body, 4 MiB by default; a larger one is answered 413
     * @param maxRequestHeaderBytes the largest request line plus headers, 16 KiB by default; larger is answered 431
     * @param sseKeepAlive         how long an event stream may stay silent before a keep-alive comment, 15 s by default
     * @param idleTimeout          how long a connection on which nothing moves is kept, 5 minutes by default
     * @param requestHeaderTimeout how long a request's line and headers may take to arrive, 10 s by default
     * @param requestBodyTimeout   how long a request body may take to arrive, 60 s by default
     * @param instructions         instructions for the model, sent to clients in the handshake; none by default
     * @param pageSize             tools, resources or prompts in one list page, 100 by default
     * @param listChangedDebounce  how long list changes are gathered before clients are notified, 50 ms by default
     * @param defaultCacheTtl      the cache time 2026-07-28 clients get for cacheable results no plugin gave one for,
     *                             0 by default
     * @param inputRequiredTimeout how long a plugin's request turned into an input-required answer waits for the
     *                             client's retry, 5 minutes by default
     * @param maxSuspendedCalls    how many calls may wait so at once, 1,000 by default
     */
    public record Server(String host, Integer port, Integer maxConnections, Integer maxStreamsPerSession,
                         List<String> allowedHosts, List<String> allowedOrigins, Boolean cors, Long maxBodyBytesInFlight,
                         Integer maxSessions, Integer maxSessionsPerClient, Integer maxCallsPerSession,
                         Integer maxBatchSize, Duration sessionIdleTimeout, Tls tls, String path,
                         Integer maxRequestBytes, Integer maxRequestHeaderBytes, Duration sseKeepAlive,
                         Duration idleTimeout, Duration requestHeaderTimeout, Duration requestBodyTimeout,
                         String instructions, Integer pageSize, Duration listChangedDebounce,
                         Duration defaultCacheTtl, Duration inputRequiredTimeout, Integer maxSuspendedCalls) {
        /** 127.0.0.1:9105. */
        public static final Server DEFAULT = at(null, null);

        public Server {
            host = host == null ? "127.0.0.1" : host.strip();
            port = port == null ? 9105 : port;
            maxConnections = maxConnections == null ? HttpFrontDoorOptions.DEFAULT_MAX_CONNECTIONS : maxConnections;
            maxStreamsPerSession = maxStreamsPerSession == null ? HttpFrontDoorOptions.DEFAULT_MAX_STREAMS_PER_SESSION
                    : maxStreamsPerSession;
            allowedHosts = allowedHosts == null ? HttpFrontDoorOptions.LOCAL_HOSTS : allowedHosts;
            allowedOrigins = allowedOrigins == null ? HttpFrontDoorOptions.LOCAL_ORIGINS : allowedOrigins;
            cors = cors != null && cors;
            ClientLimits limits = ClientLimits.defaults();
            maxSessions = maxSessions == null ? limits.maxSessions() : maxSessions;
            maxSessionsPerClient = maxSessionsPerClient == null ? limits.maxSessionsPerClient() : maxSessionsPerClient;
            maxCallsPerSession = maxCallsPerSession == null ? limits.maxCallsPerSession() : maxCallsPerSession;
            maxBatchSize = maxBatchSize == null ? limits.maxBatchSize() : maxBatchSize;
            sessionIdleTimeout = sessionIdleTimeout == null ? ServerOptions.defaults().sessionIdleTimeout()
                    : sessionIdleTimeout;
            if (host.isEmpty()) {
                throw new IllegalArgumentException("server.host is empty; use an address such as 127.0.0.1");
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("server.port must be between 0 and 65535, got " + port);
            }
            try {
                // Validates and copies the lists: a null entry or a malformed name is refused with what to write.
                HttpFrontDoorOptions options = frontDoorOptions(host, port, maxConnections, maxStreamsPerSession,
                        allowedHosts, allowedOrigins, cors, maxBodyBytesInFlight, tls, path, maxRequestBytes,
                        maxRequestHeaderBytes, sseKeepAlive, idleTimeout, requestHeaderTimeout, requestBodyTimeout);
                allowedHosts = options.allowedHosts();
                allowedOrigins = options.allowedOrigins();
                serverOptions(new ClientLimits(maxSessions, maxSessionsPerClient, maxCallsPerSession, maxBatchSize),
                        sessionIdleTimeout, instructions, pageSize, listChangedDebounce, defaultCacheTtl,
                        inputRequiredTimeout, maxSuspendedCalls);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("server." + e.getMessage(), e);
            }
        }

        /** The endpoint at {@code host:port}, over plain HTTP, with the default limits (null: the default). */
        public static Server at(String host, Integer port) {
            return new Server(host, port, null, null, null, null, null, null, null, null, null, null, null, null, null,
                    null, null, null, null, null, null, null, null, null, null, null, null);
        }

        /** The same limits and TLS at another address. */
        public Server withAddress(String newHost, int newPort) {
            return new Server(newHost, newPort, maxConnections, maxStreamsPerSession, allowedHosts, allowedOrigins,
                    cors, maxBodyBytesInFlight, maxSessions, maxSessionsPerClient, maxCallsPerSession, maxBatchSize,
                    sessionIdleTimeout, tls, path, maxRequestBytes, maxRequestHeaderBytes, sseKeepAlive, idleTimeout,
                    requestHeaderTimeout, requestBodyTimeout, instructions, pageSize, listChangedDebounce,
                    defaultCacheTtl, inputRequiredTimeout, maxSuspendedCalls);
        }

        /** These settings as the HTTP front door takes them. */
        public HttpFrontDoorOptions frontDoorOptions() {
            return frontDoorOptions(host, port, maxConnections, maxStreamsPerSession, allowedHosts, allowedOrigins,
                    cors, maxBodyBytesInFlight, tls, path, maxRequestBytes, maxRequestHeaderBytes, sseKeepAlive,
                    idleTimeout, requestHeaderTimeout, requestBodyTimeout);
        }

        /** These settings as the MCP server takes them (the server's name and version are the gateway's). */
        public ServerOptions serverOptions() {
            return serverOptions(new ClientLimits(maxSessions, maxSessionsPerClient, maxCallsPerSession, maxBatchSize),
                    sessionIdleTimeout, instructions, pageSize, listChangedDebounce, defaultCacheTtl,
                    inputRequiredTimeout, maxSuspendedCalls);
        }

        // Static, with every value a parameter, so that the constructor validates through the library's own checks.
        private static HttpFrontDoorOptions frontDoorOptions(String host, int port, int maxConnections,
                                                             int maxStreamsPerSession, List<String> allowedHosts,
                                                             List<String> allowedOrigins, boolean cors,
                                                             Long maxBodyBytesInFlight, Tls tls, String path,
                                                             Integer maxRequestBytes, Integer maxRequestHeaderBytes,
                                                             Duration sseKeepAlive, Duration idleTimeout,
                                                             Duration requestHeaderTimeout,
                                                             Duration requestBodyTimeout) {
            HttpFrontDoorOptions.Builder builder = HttpFrontDoorOptions.builder().host(host).port(port)
                    .maxConnections(maxConnections).maxStreamsPerSession(maxStreamsPerSession)
                    .allowedHosts(allowedHosts).allowedOrigins(allowedOrigins).cors(cors)
                    .tls(tls == null ? null : tls.serverTls());
            if (maxBodyBytesInFlight != null) {
                builder.maxBodyBytesInFlight(maxBodyBytesInFlight);
            }
            if (path != null) {
                builder.path(path);
            }
            if (maxRequestBytes != null) {
                builder.maxRequestBytes(maxRequestBytes);
            }
            if (maxRequestHeaderBytes != null) {
                builder.maxRequestHeaderBytes(maxRequestHeaderBytes);
            }
            if (sseKeepAlive != null) {
                builder.sseKeepAlive(sseKeepAlive);
            }
            if (idleTimeout != null) {
                builder.idleTimeout(idleTimeout);
            }
            if (requestHeaderTimeout != null) {
                builder.requestHeaderTimeout(requestHeaderTimeout);
            }
            if (requestBodyTimeout != null) {
                builder.requestBodyTimeout(requestBodyTimeout);
            }
            return builder.build();
        }

        private static ServerOptions serverOptions(ClientLimits limits, Duration sessionIdleTimeout,
                                                   String instructions, Integer pageSize, Duration listChangedDebounce,
                                                   Duration defaultCacheTtl, Duration inputRequiredTimeout,
                                                   Integer maxSuspendedCalls) {
            ServerOptions defaults = ServerOptions.defaults();
            ServerOptions options = defaults.withClientLimits(limits).withSessionIdleTimeout(sessionIdleTimeout)
                    .withInputRequired(inputRequiredTimeout != null ? inputRequiredTimeout
                                    : defaults.inputRequiredTimeout(),
                            maxSuspendedCalls != null ? maxSuspendedCalls : defaults.maxSuspendedCalls());
            if (pageSize != null) {
                options = options.withPageSize(pageSize);
            }
            if (listChangedDebounce != null) {
                options = options.withListChangedDebounce(listChangedDebounce);
            }
            if (defaultCacheTtl != null) {
                options = options.withDefaultCacheTtl(defaultCacheTtl);
            }
            if (instructions != null) {
                options = options.withInstructions(instructions);
            }
            return options;
        }
    }

    /**
     * The endpoint's TLS certificate: PEM files ({@code certificate} and {@code privateKey}) or a PKCS#12 store
     * ({@code keyStore} and {@code keyStorePassword}, best given as {@code ${VAR}}), one or the other. The files
     * must be readable when the configuration is loaded.
     *
     * @param certificate      the PEM certificate chain, the server's certificate first
     * @param privateKey       its unencrypted PKCS#8 PEM key ({@code -----BEGIN PRIVATE KEY-----})
     * @param keyStore         a PKCS#12 key store holding the key and its chain
     * @param keyStorePassword the key store's (and key's) password
     */
    public record Tls(String certificate, String privateKey, String keyStore, String keyStorePassword) {
        public Tls {
            boolean pem = certificate != null || privateKey != null;
            boolean store = keyStore != null || keyStorePassword != null;
            if (pem == store) {
                throw new IllegalArgumentException("server.tls takes either certificate and privateKey (PEM files) "
                        + "or keyStore and keyStorePassword (PKCS#12), " + (pem ? "not both" : "got neither"));
            }
            if (pem) {
                readable("certificate", certificate);
                readable("privateKey", privateKey);
            } else {
                readable("keyStore", keyStore);
                if (keyStorePassword == null) {
                    throw new IllegalArgumentException("server.tls.keyStorePassword is missing; give it as ${VAR} "
                            + "so it stays out of the file");
                }
            }
        }

        /** These files as the HTTP front door takes them. */
        ServerTls serverTls() {
            return keyStore != null ? ServerTls.keyStore(Path.of(keyStore), keyStorePassword)
                    : ServerTls.pem(Path.of(certificate), Path.of(privateKey));
        }

        private static void readable(String key, String file) {
            if (file == null || file.isBlank()) {
                throw new IllegalArgumentException("server.tls." + key + " is missing; name a file");
            }
            if (!Files.isReadable(Path.of(file))) {
                throw new IllegalArgumentException("server.tls." + key + " '" + file + "' is not a readable file");
            }
        }
    }

    /**
     * One plugin: a program the gateway launches ({@code stdio}) or a server it reaches ({@code http}).
     *
     * @param name      the plugin's name, also the namespace of its tools ({@code name__tool}) unless
     *                  {@code namespace} is set
     * @param namespace the namespace of its tools, the name by default
     * @param version   its version, {@code 0.0.0} by default, which routing rules' {@code versions} select on
     * @param labels    its labels, such as {@code region: eu}, which routing rules' {@code labels} select on
     * @param transport {@code stdio} or {@code http}
     * @param command   stdio: the executable
     * @param args      stdio: its arguments
     * @param env       stdio: variables set in its environment, e.g. credentials as {@code ${VAR}}
     * @param inheritEnv stdio: whether it sees the gateway's whole environment; false by default, when it sees only
     *                  {@code env} and the few variables a program needs to run ({@code PATH}, {@code HOME}, the
     *                  locale, ...; see {@link TransportSpec.Stdio}), so that no plugin reads another's credentials
     * @param instances how many instances run side by side (stdio: processes), at least 1
     * @param url       http: the plugin's MCP endpoint
     * @param headers   http: headers sent with every request, e.g. credentials
     * @param credentials http: the bearer token its requests carry, obtained by the gateway or exchanged for the
     *                  client's ({@link CredentialsConfig}); none by default. Not with a static Authorization header
     * @param weight    the instances' weight for the {@code weighted} balancer, 1 by default
     * @param timeout   how long its tool calls may take, overriding the gateway's default (60 s), or null
     * @param toolTimeouts how long particular tools may take, by the plugin's own tool name, overriding {@code timeout}
     * @param health    how its instances are probed, overriding the {@code health:} section's keys, or null
     * @param trustAnnotations whether its tools' read-only and idempotent hints are trusted, so a call whose connection
     *                  broke may be retried on another instance; true by default
     */
    public record Plugin(String name, String namespace, String version, Map<String, String> labels, String transport,
                         String command, List<String> args, Map<String, String> env, Boolean inheritEnv,
                         Integer instances, String url, Map<String, String> headers, Integer weight,
                         Duration timeout, Map<String, Duration> toolTimeouts, HealthConfig.Checks health,
                         Boolean trustAnnotations, CredentialsConfig credentials) {
        /** The transports a plugin can use. */
        public static final List<String> TRANSPORTS = List.of("stdio", "http");

        public Plugin {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("a plugin needs a name, the namespace of its tools: add 'name: ...'");
            }
            if (transport == null) {
                throw new IllegalArgumentException("plugin '" + name + "' needs a transport: add 'transport: stdio' "
                        + "or 'transport: http'");
            }
            transport = transport.strip().toLowerCase(Locale.ROOT);
            args = List.copyOf(args == null ? List.of() : args);
            env = Map.copyOf(env == null ? Map.of() : env);
            headers = Map.copyOf(headers == null ? Map.of() : headers);
            labels = Map.copyOf(labels == null ? Map.of() : labels);
            toolTimeouts = Map.copyOf(toolTimeouts == null ? Map.of() : toolTimeouts);
            trustAnnotations = trustAnnotations == null || trustAnnotations;
            inheritEnv = inheritEnv != null && inheritEnv;
            instances = instances == null ? 1 : instances;
            weight = weight == null ? 1 : weight;
            switch (transport) {
                case "stdio" -> {
                    if (command == null || command.isBlank()) {
                        throw new IllegalArgumentException("stdio plugin '" + name
                                + "' needs a command: add 'command: <executable>'");
                    }
                    if (url != null || !headers.isEmpty() || credentials != null) {
                        throw new IllegalArgumentException("stdio plugin '" + name
                                + "' takes no url, headers or credentials; those are for 'transport: http'");
                    }
                }
                case "http" -> {
                    if (url == null || url.isBlank()) {
                        throw new IllegalArgumentException("http plugin '" + name
                                + "' needs a url: add 'url: http://host:port/mcp'");
                    }
                    requireHttpUrl(name, url);
                    if (command != null || !args.isEmpty() || !env.isEmpty() || Boolean.TRUE.equals(inheritEnv)) {
                        throw new IllegalArgumentException("http plugin '" + name
                                + "' takes no command, args, env or inheritEnv; those are for 'transport: stdio'");
                    }
                }
                default -> throw new IllegalArgumentException("plugin '" + name + "' has unknown transport '"
                        + transport + "'; use one of " + TRANSPORTS);
            }
            if (instances < 1) {
                throw new IllegalArgumentException("plugin '" + name + "' needs at least 1 instance, got " + instances);
            }
            if (timeout != null && timeout.toMillis() < 1) {
                throw new IllegalArgumentException("plugin '" + name + "' needs a timeout of at least 1ms, got "
                        + Durations.format(timeout));
            }
            toolTimeouts.forEach((tool, toolTimeout) -> {
                if (toolTimeout == null || toolTimeout.toMillis() < 1) {
                    throw new IllegalArgumentException("tool '" + tool + "' of plugin '" + name + "' needs a timeout of"
                            + " at least 1ms, got " + (toolTimeout == null ? "none" : Durations.format(toolTimeout)));
                }
            });
            if (health != null) {
                try {
                    health.options();
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("plugin '" + name + "' health: " + e.getMessage(), e);
                }
            }
            // The manifest checks the rest (name syntax, weight range) with messages of its own.
            if (credentials != null && headers.keySet().stream().anyMatch("Authorization"::equalsIgnoreCase)) {
                throw new IllegalArgumentException("http plugin '" + name + "' has both credentials and a static"
                        + " Authorization header; the credentials set that header, so remove one of the two");
            }
            manifest(name, namespace, version, labels,
                    transportSpec(transport, command, args, env, inheritEnv, url, headers, credentials), weight);
        }

        /** A plugin the gateway launches as {@code instances} processes. */
        public static Plugin stdio(String name, List<String> command, Map<String, String> env, int instances) {
            return new Plugin(name, null, null, null, "stdio", command.getFirst(), command.subList(1, command.size()),
                    env, false, instances, null, null, null, null, null, null, null, null);
        }

        /** A plugin the gateway reaches over HTTP. */
        public static Plugin http(String name, URI url, Map<String, String> headers) {
            return new Plugin(name, null, null, null, "http", null, null, null, false, 1, url.toString(), headers,
                    null, null, null, null, null, null);
        }

        /**
         * This plugin without the settings the gateway holds by plugin name ({@code timeout}, {@code toolTimeouts},
         * {@code health}, {@code trustAnnotations}): what its instances are started from. Two plugins equal here run
         * the same processes or connections, so a reload leaves such a plugin's instances alone.
         */
        public Plugin instanceSettings() {
            return new Plugin(name, namespace, version, labels, transport, command, args, env, inheritEnv, instances,
                    url, headers, weight, null, null, null, null, credentials);
        }

        /** The manifest the gateway starts this plugin from. */
        public PluginManifest manifest() {
            return manifest(name, namespace, version, labels,
                    transportSpec(transport, command, args, env, inheritEnv, url, headers, credentials), weight);
        }

        private static PluginManifest manifest(String name, String namespace, String version,
                                               Map<String, String> labels, TransportSpec transport, int weight) {
            PluginManifest.Builder builder = PluginManifest.builder(name).namespace(namespace).version(version)
                    .transport(transport).weight(weight);
            labels.forEach(builder::label);
            return builder.build();
        }

        private static TransportSpec transportSpec(String transport, String command, List<String> args,
                                                   Map<String, String> env, boolean inheritEnv, String url,
                                                   Map<String, String> headers, CredentialsConfig credentials) {
            return "stdio".equals(transport)
                    ? new TransportSpec.Stdio(command, args, env, inheritEnv, null)
                    : new TransportSpec.Http(URI.create(url.strip()), headers,
                            credentials == null ? null : credentials.credentials());
        }

        private static void requireHttpUrl(String name, String url) {
            try {
                URI uri = new URI(url.strip());
                String scheme = uri.getScheme();
                if (("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme)) && uri.getHost() != null) {
                    return;
                }
            } catch (URISyntaxException e) {
                // Reported below with the hint.
            }
            throw new IllegalArgumentException("http plugin '" + name + "' has url '" + url
                    + "', which is not an http:// or https:// URL with a host, such as http://127.0.0.1:8081/mcp");
        }
    }

    /**
     * How many tool calls may be in flight, how many retries (see {@link CallLimits}), and how long a call may take;
     * what is left out takes the default.
     *
     * @param maxInFlight            tool calls in flight through the gateway, 10,000 by default
     * @param maxInFlightPerInstance tool calls in flight on one plugin instance, 1,000 by default
     * @param maxWait                how long a call beyond {@code maxInFlight} waits for room, 1 s by default
     * @param retryRatio             retries allowed per call in the long run, 0.2 by default
     * @param callTimeout            how long a tool call may take before it is cancelled, unless its plugin sets its
     *                               own {@code timeout}; {@link GatewayConfig#callTimeout()}'s default (60 s) if absent
     * @param rateLimits             how fast clients may call tools ({@link RateLimitsConfig}); none by default
     */
    public record Limits(Integer maxInFlight, Integer maxInFlightPerInstance, Duration maxWait, Double retryRatio,
                         Duration callTimeout, RateLimitsConfig rateLimits) {
        /** {@link CallLimits#defaults()}, the default call timeout and no rate limits. */
        public static final Limits DEFAULT = new Limits(null, null, null, null, null, null);

        public Limits {
            CallLimits defaults = CallLimits.defaults();
            maxInFlight = maxInFlight == null ? defaults.maxInFlight() : maxInFlight;
            maxInFlightPerInstance = maxInFlightPerInstance == null ? defaults.maxInFlightPerInstance()
                    : maxInFlightPerInstance;
            maxWait = maxWait == null ? defaults.maxWait() : maxWait;
            retryRatio = retryRatio == null ? defaults.retryRatio() : retryRatio;
            callTimeout = callTimeout == null ? GatewayConfig.defaults().callTimeout() : callTimeout;
            rateLimits = rateLimits == null ? RateLimitsConfig.NONE : rateLimits;
            if (callTimeout.toMillis() < 1) {
                throw new IllegalArgumentException("limits.callTimeout must be at least 1ms, got "
                        + Durations.format(callTimeout));
            }
            try {
                new CallLimits(maxInFlight, maxInFlightPerInstance, maxWait, retryRatio);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("limits." + e.getMessage(), e);
            }
        }

        /** These limits as the gateway takes them. */
        public CallLimits callLimits() {
            return new CallLimits(maxInFlight, maxInFlightPerInstance, maxWait, retryRatio);
        }
    }
}
