package dev.mcpgateway.transport.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.internal.transport.http.api.ManifestCodec;
import dev.mcpgateway.internal.transport.http.registration.Backoff;
import dev.mcpgateway.internal.transport.http.registration.Outage;
import dev.mcpgateway.internal.transport.http.registration.ManagementApiClient;
import dev.mcpgateway.internal.transport.http.registration.ManagementApiClient.Reply;
import dev.mcpgateway.plugin.PluginManifest;
import dev.mcpgateway.plugin.Registration;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers one plugin instance with a gateway over its management API and keeps it registered: the plugin side of
 * self-registration, for a plugin that runs on its own (a service, a container, a sidecar) rather than being
 * configured in or launched by the gateway.
 *
 * <pre>{@code
 * PluginRegistration registration = PluginRegistration.builder()
 *         .gateway(URI.create("http://127.0.0.1:9105"))
 *         .manifest(PluginManifest.builder("notes").transport(TransportSpec.Http.of(myEndpoint)).tools(tools).build())
 *         .build()
 *         .start();
 * registration.awaitRegistered(Duration.ofSeconds(10));
 * ...
 * registration.close();   // deregisters
 * }</pre>
 *
 * <p>{@link #start} posts the manifest ({@code POST /api/v1/plugins}) under a fixed instance id, so that posting it
 * again is idempotent, and then renews the lease ({@code POST /api/v1/plugins/{id}/heartbeat}) every
 * {@link Builder#heartbeatInterval heartbeat interval}, all on one virtual thread:
 * <ul>
 *   <li>while the gateway is unreachable, or answers 5xx, 404 (no management API yet), 408, 409 (the id is another
 *       plugin's, until its lease lapses) or 429, registration is retried with backoff;</li>
 *   <li>any other 4xx means the request itself is wrong (the manifest, or credentials): the registration fails
 *       with a {@link RegistrationRejectedException} carrying the gateway's detail and field errors, which
 *       {@link #awaitRegistered} throws;</li>
 *   <li>a heartbeat answered 404 means the gateway forgot the instance (it restarted, or evicted it after a lapse):
 *       it registers again at once;</li>
 *   <li>a heartbeat that fails otherwise is retried with backoff (never waiting longer than the heartbeat interval),
 *       with one WARN per outage and one INFO on recovery, not a line per attempt.</li>
 * </ul>
 * {@link #close} stops the heartbeats and deregisters ({@code DELETE /api/v1/plugins/{id}}). Extra request headers
 * (credentials) are sent with every call and never logged. Thread-safe.
 */
public final class PluginRegistration implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PluginRegistration.class);
    /** The lease asked for unless told otherwise, the gateway's own default. */
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);
    /** How long one request may take unless told otherwise. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(5);
    /** The first retry delay unless told otherwise. */
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(500);
    /** The longest retry delay unless told otherwise. */
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);
    /** The gateway accepts leases of 1 s to a day, in whole seconds. */
    private static final long MAX_LEASE_SECONDS = 86_400;
    /** Statuses that say "not now" rather than "never": retried like an unreachable gateway. */
    private static final Set<Integer> RETRYABLE_4XX = Set.of(404, 408, 409, 429);

    private final URI gateway;
    private final String plugin;
    private final String instanceId;
    private final Duration lease;
    private final Duration heartbeatInterval;
    private final Duration requestTimeout;
    private final JsonNode body;
    private final Map<String, String> query;
    private final ManagementApiClient api;
    /** The client this registration made for itself, closed with it; null when the builder was given one. */
    private final HttpClient ownedClient;
    /** Owned by the loop thread: retries with backoff, logged once per outage. */
    private final Outage outage;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    // Guarded by lock.
    private boolean started;
    private boolean closed;
    private boolean registered;
    private RegistrationRejectedException rejection;
    private Thread loop;

    private PluginRegistration(Builder b, String plugin, String instanceId, Duration lease, JsonNode body,
                               Map<String, String> query) {
        this.gateway = b.gateway;
        this.plugin = plugin;
        this.instanceId = instanceId;
        this.lease = lease;
        this.heartbeatInterval = b.heartbeatInterval != null ? b.heartbeatInterval : lease.dividedBy(3);
        this.requestTimeout = b.requestTimeout;
        this.body = body;
        this.query = query;
        // A heartbeat every few seconds needs no HTTP/2, and HTTP/1.1 spares an h2c upgrade on every new connection.
        this.ownedClient = b.httpClient != null ? null
                : HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(b.requestTimeout).build();
        HttpClient http = b.httpClient != null ? b.httpClient : ownedClient;
        this.api = new ManagementApiClient(http, b.gateway, b.headers, b.requestTimeout);
        this.outage = new Outage(b.gateway, instanceId, new Backoff(b.initialBackoff, b.maxBackoff, b.random));
    }

    /** Starts a registration; set at least {@link Builder#gateway} and one of the manifest forms. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts registering and heartbeating in the background, and returns at once.
     *
     * @return this, to chain {@link #awaitRegistered}
     * @throws IllegalStateException if it was started or closed already
     */
    public PluginRegistration start() {
        lock.lock();
        try {
            if (started || closed) {
                throw new IllegalStateException("registration of " + instanceId + " was " + (closed ? "closed" : "started")
                        + " already; build a new one");
            }
            started = true;
            loop = Thread.ofVirtual().name("plugin-registration-" + instanceId).start(this::run);
            return this;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until the gateway holds the registration.
     *
     * @return true once registered, false if it was not within {@code timeout} (the gateway is unreachable, say;
     *         retries go on) or the registration was closed
     * @throws RegistrationRejectedException if the gateway rejected the registration for good
     * @throws IllegalStateException         if it was not started
     * @throws InterruptedException          if the waiting thread is interrupted
     */
    public boolean awaitRegistered(Duration timeout) throws InterruptedException {
        long remaining = timeout.toNanos();
        lock.lock();
        try {
            if (!started) {
                throw new IllegalStateException("call start() before awaiting the registration of " + instanceId);
            }
            while (!registered && rejection == null && !closed && remaining > 0) {
                remaining = changed.awaitNanos(remaining);
            }
            if (rejection != null) {
                throw rejection;
            }
            return registered && !closed;
        } finally {
            lock.unlock();
        }
    }

    /** The instance id registered, the same for every (re-)registration of this object. */
    public String instanceId() {
        return instanceId;
    }

    /** Whether the gateway held the registration at the last exchange with it (false again after {@link #close}). */
    public boolean isRegistered() {
        lock.lock();
        try {
            return registered && !closed;
        } finally {
            lock.unlock();
        }
    }

    /** The lease asked for. */
    public Duration lease() {
        return lease;
    }

    /** How often the lease is renewed. */
    public Duration heartbeatInterval() {
        return heartbeatInterval;
    }

    /**
     * Stops heartbeating and deregisters the instance, waiting for the gateway's answer at most the request timeout
     * (after as long again for a request in flight to stop). Idempotent; never throws: a gateway that cannot be told
     * lets the lease lapse instead.
     */
    @Override
    public void close() {
        Thread running;
        boolean deregister;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            running = loop;
            // Even when no answer said so, a request in flight may have registered the instance: tell the gateway.
            deregister = started && rejection == null;
            registered = false;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (running != null) {
            running.interrupt(); // cuts a request in flight short
            try {
                running.join(requestTimeout);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                deregister = false; // told to hurry: the lease lapses instead
            }
        }
        try {
            if (deregister) {
                deregister();
            }
        } finally {
            if (ownedClient != null) {
                ownedClient.shutdownNow();
            }
        }
    }

    private void deregister() {
        try {
            Reply reply = api.deregister(instanceId);
            if (reply.isSuccess()) {
                log.info("Deregistered instance {} of plugin '{}' from gateway {}", instanceId, plugin, gateway);
            } else if (reply.status() == 404) {
                log.debug("Gateway {} no longer knew instance {} when it was deregistered", gateway, instanceId);
            } else {
                log.warn("Gateway {} refused to deregister instance {} ({}): it stays until its lease of {} s lapses",
                        gateway, instanceId, reply.problemDetail(), lease.toSeconds());
            }
        } catch (IOException e) {
            log.warn("Could not deregister instance {} from gateway {} ({}): it stays until its lease of {} s lapses",
                    instanceId, gateway, ManagementApiClient.describe(e), lease.toSeconds());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The loop: register, then heartbeat, re-registering whenever the gateway forgot the instance. */
    private void run() {
        try {
            Duration wait = Duration.ZERO;
            while (sleep(wait)) {
                wait = isRegisteredNow() ? heartbeat() : register();
                if (wait == null) {
                    return; // rejected for good
                }
            }
        } catch (InterruptedException e) {
            // close() interrupted a request in flight: nothing left to do here
        } catch (RuntimeException e) {
            // A bug, not a gateway answer: say so rather than let the lease lapse in silence.
            log.error("Registration of instance {} with gateway {} stopped", instanceId, gateway, e);
        }
    }

    /** One registration attempt; the wait before the next step, or null when rejected for good. */
    private Duration register() throws InterruptedException {
        Reply reply;
        try {
            reply = api.register(body, query);
        } catch (IOException e) {
            return outage.failed("registering", ManagementApiClient.describe(e));
        }
        if (reply.isSuccess()) {
            outage.recovered();
            setRegistered(true);
            log.info("Registered instance {} of plugin '{}' with gateway {} (lease {} s, heartbeat every {} ms)",
                    instanceId, plugin, gateway, lease.toSeconds(), heartbeatInterval.toMillis());
            return heartbeatInterval;
        }
        if (reply.status() >= 500 || RETRYABLE_4XX.contains(reply.status())) {
            return outage.failed("registering", reply.status() + " " + reply.problemDetail());
        }
        RegistrationRejectedException rejected = new RegistrationRejectedException(api.pluginsUri(), plugin,
                reply.status(), reply.problemDetail(), reply.fieldErrors());
        log.error("{}; not retrying", rejected.getMessage());
        lock.lock();
        try {
            rejection = rejected;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        return null;
    }

    /** One heartbeat; the wait before the next step. */
    private Duration heartbeat() throws InterruptedException {
        Reply reply;
        try {
            reply = api.heartbeat(instanceId);
        } catch (IOException e) {
            return shorter(outage.failed("renewing the lease of", ManagementApiClient.describe(e)), heartbeatInterval);
        }
        if (reply.isSuccess()) {
            outage.recovered();
            return heartbeatInterval;
        }
        if (reply.status() == 404) {
            setRegistered(false);
            log.info("Gateway {} no longer knows instance {} (it restarted, or the lease lapsed): registering again",
                    gateway, instanceId);
            return Duration.ZERO;
        }
        return shorter(outage.failed("renewing the lease of", reply.status() + " " + reply.problemDetail()),
                heartbeatInterval);
    }

    private boolean isRegisteredNow() {
        lock.lock();
        try {
            return registered;
        } finally {
            lock.unlock();
        }
    }

    private void setRegistered(boolean value) {
        lock.lock();
        try {
            registered = value && !closed;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits {@code wait} unless closed first; whether to go on. */
    private boolean sleep(Duration wait) throws InterruptedException {
        long remaining = wait.toNanos();
        lock.lock();
        try {
            while (!closed && remaining > 0) {
                remaining = changed.awaitNanos(remaining);
            }
            return !closed;
        } finally {
            lock.unlock();
        }
    }

    private static Duration shorter(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** Options of a {@link PluginRegistration}. */
    public static final class Builder {
        private URI gateway;
        private Registration registration;
        private JsonNode document;
        private String instanceId;
        private Duration lease;
        private Duration heartbeatInterval;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
        private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
        private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
        private HttpClient httpClient;

        private Builder() {
        }

        /**
         * The gateway: the URI its management API is served under, e.g. {@code http://127.0.0.1:9105} (requests go
         * to {@code <gateway>/api/v1/plugins}). Required.
         */
        public Builder gateway(URI gateway) {
            this.gateway = Objects.requireNonNull(gateway, "gateway");
            return this;
        }

        /** What to register: a manifest; the instance id and lease come from this builder. */
        public Builder manifest(PluginManifest manifest) {
            return registration(Registration.of(Objects.requireNonNull(manifest, "manifest")));
        }

        /**
         * What to register: a manifest with its instance id and lease (each used unless this builder sets its own).
         * Replaces a {@link #document}.
         */
        public Builder registration(Registration registration) {
            this.registration = Objects.requireNonNull(registration, "registration");
            this.document = null;
            return this;
        }

        /**
         * What to register, as JSON: the gateway's manifest ({@code name}, {@code transport}, ...) or an MCP registry
         * {@code server.json}, bare or as {@code "server"} beside the manifest's fields. Its {@code instanceId} and
         * {@code leaseSeconds}, if any, are used unless this builder sets its own. Replaces a {@link #manifest}.
         */
        public Builder document(JsonNode document) {
            if (!Objects.requireNonNull(document, "document").isObject()) {
                throw new IllegalArgumentException("a manifest document is a JSON object, got " + document.getNodeType());
            }
            this.document = document.deepCopy();
            this.registration = null;
            return this;
        }

        /** The instance id (default {@code <plugin>-<8 random hex digits>}, fixed for the registration's life). */
        public Builder instanceId(String instanceId) {
            if (instanceId == null || instanceId.isBlank() || instanceId.length() > 200) {
                throw new IllegalArgumentException("an instance id must be 1-200 non-blank characters, got '"
                        + instanceId + "'");
            }
            this.instanceId = instanceId;
            return this;
        }

        /** How long the gateway keeps the instance without a heartbeat: whole seconds, 1 s to 1 day (default 30 s). */
        public Builder lease(Duration lease) {
            this.lease = checkLease(lease);
            return this;
        }

        /** How often the lease is renewed (default a third of the lease); must be shorter than the lease. */
        public Builder heartbeatInterval(Duration interval) {
            this.heartbeatInterval = positive("heartbeatInterval", interval);
            return this;
        }

        /**
         * A header sent with every request, e.g. {@code Authorization: Bearer ...}. Its value is never logged.
         *
         * @throws IllegalArgumentException if the JDK's HTTP client does not let callers set it ({@code Host},
         *                                  {@code Content-Length}, ...)
         */
        public Builder header(String name, String value) {
            Objects.requireNonNull(name, "header name");
            Objects.requireNonNull(value, "value of header " + name);
            // Let the JDK say now, rather than on the first request, whether it accepts the header.
            HttpRequest.newBuilder(URI.create("http://127.0.0.1/")).header(name, value);
            headers.put(name, value);
            return this;
        }

        /** How long one request may take, answer included (default 5 s). */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = positive("requestTimeout", timeout);
            return this;
        }

        /** The first and the longest delay between failed attempts (default 500 ms and 30 s); jittered. */
        public Builder retryBackoff(Duration initial, Duration max) {
            positive("initial backoff", initial);
            if (Objects.requireNonNull(max, "max backoff").compareTo(initial) < 0) {
                throw new IllegalArgumentException("the max backoff " + max + " is shorter than the initial " + initial);
            }
            this.initialBackoff = initial;
            this.maxBackoff = max;
            return this;
        }

        /** The HTTP client to send with (TLS settings, a proxy); by default a new one per registration. */
        public Builder httpClient(HttpClient client) {
            this.httpClient = Objects.requireNonNull(client, "httpClient");
            return this;
        }

        /** The source of backoff jitter, uniform in [0, 1); for tests that want exact delays. */
        Builder jitter(DoubleSupplier random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /**
         * The registration, not yet started.
         *
         * @throws IllegalStateException    if the gateway or what to register is missing
         * @throws IllegalArgumentException if the document has no plugin name or the heartbeat is not within the lease
         */
        public PluginRegistration build() {
            if (gateway == null) {
                throw new IllegalStateException("set the gateway to register with, e.g. http://127.0.0.1:9105");
            }
            if (!"http".equalsIgnoreCase(gateway.getScheme()) && !"https".equalsIgnoreCase(gateway.getScheme())) {
                throw new IllegalArgumentException("the gateway must be an http:// or https:// URI, got '" + gateway + "'");
            }
            if (registration == null && document == null) {
                throw new IllegalStateException("set what to register: manifest(...), registration(...) or document(...)");
            }
            return registration != null ? fromRegistration() : fromDocument();
        }

        private PluginRegistration fromRegistration() {
            String plugin = registration.manifest().name();
            String id = firstOf(instanceId, registration.instanceId(), generatedId(plugin));
            Duration leaseFor = lease != null ? lease
                    : registration.lease() != null ? checkLease(registration.lease()) : DEFAULT_LEASE;
            ObjectNode json = ManifestCodec.write(registration.withInstanceId(id).withLease(leaseFor));
            return finish(plugin, id, leaseFor, json, Map.of());
        }

        private PluginRegistration fromDocument() {
            boolean bare = ManifestCodec.isBareServerJson(document);
            String plugin = pluginName(document, bare);
            JsonNode docLease = document.path("leaseSeconds");
            Duration leaseFor = lease != null ? lease
                    : docLease.canConvertToLong() ? checkLease(Duration.ofSeconds(docLease.asLong())) : DEFAULT_LEASE;
            String id = firstOf(instanceId, bare ? null : document.path("instanceId").textValue(), generatedId(plugin));
            ObjectNode json = (ObjectNode) document.deepCopy();
            Map<String, String> query = new LinkedHashMap<>();
            if (bare) {
                query.put("instanceId", id);
                query.put("leaseSeconds", Long.toString(leaseFor.toSeconds()));
            } else {
                json.put("instanceId", id);
                json.put("leaseSeconds", leaseFor.toSeconds());
            }
            return finish(plugin, id, leaseFor, json, query);
        }

        private PluginRegistration finish(String plugin, String id, Duration leaseFor, JsonNode json,
                                          Map<String, String> query) {
            if (heartbeatInterval != null && heartbeatInterval.compareTo(leaseFor) >= 0) {
                throw new IllegalArgumentException("the heartbeat interval " + heartbeatInterval
                        + " must be shorter than the lease " + leaseFor + " (a third of it is usual)");
            }
            return new PluginRegistration(this, plugin, id, leaseFor, json, Collections.unmodifiableMap(query));
        }

        /** The plugin's name: the manifest's {@code name}, else the one the gateway derives from the server.json's. */
        private static String pluginName(JsonNode document, boolean bare) {
            JsonNode name = bare ? null : document.get("name");
            if (name != null && name.isTextual() && !name.asText().isBlank()) {
                return name.asText();
            }
            JsonNode serverName = (bare ? document : document.path("server")).path("name");
            String derived = serverName.isTextual() ? ManifestCodec.pluginNameOf(serverName.asText()) : null;
            if (derived != null) {
                return derived;
            }
            throw new IllegalArgumentException("the manifest document names no plugin: give it a \"name\""
                    + " (or a server.json \"name\" such as io.github.acme/weather); its fields: " + fieldNames(document));
        }

        private static Set<String> fieldNames(JsonNode document) {
            Set<String> names = new TreeSet<>();
            document.fieldNames().forEachRemaining(names::add);
            return names;
        }

        private static String generatedId(String plugin) {
            byte[] random = new byte[4];
            ThreadLocalRandom.current().nextBytes(random);
            return plugin + "-" + HexFormat.of().formatHex(random);
        }

        private static String firstOf(String... candidates) {
            for (String candidate : candidates) {
                if (candidate != null && !candidate.isBlank()) {
                    return candidate;
                }
            }
            throw new IllegalStateException("no candidate");
        }

        private static Duration checkLease(Duration lease) {
            Objects.requireNonNull(lease, "lease");
            if (lease.getNano() != 0 || lease.getSeconds() < 1 || lease.getSeconds() > MAX_LEASE_SECONDS) {
                throw new IllegalArgumentException("a lease is whole seconds from 1 s to " + MAX_LEASE_SECONDS
                        + " s, got " + lease);
            }
            return lease;
        }

        private static Duration positive(String what, Duration value) {
            Objects.requireNonNull(value, what);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(what + " must be positive, got " + value);
            }
            return value;
        }
    }
}
