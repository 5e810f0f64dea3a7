package dev.mcpgateway.benchmarks.load;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.mcpgateway.CallLimits;
import dev.mcpgateway.GatewayConfig;
import dev.mcpgateway.RateLimits;
import dev.mcpgateway.auth.JwtValidatorOptions;
import dev.mcpgateway.auth.TokenValidator;
import dev.mcpgateway.auth.TokenValidators;
import dev.mcpgateway.benchmarks.jmh.MetricsBenchmark;
import dev.mcpgateway.health.HealthCheckOptions;
import dev.mcpgateway.health.OutlierDetection;
import dev.mcpgateway.persistence.PostgresOptions;
import dev.mcpgateway.persistence.PostgresRegistryStore;
import dev.mcpgateway.persistence.RedisChangeEvents;
import dev.mcpgateway.persistence.RedisOptions;
import dev.mcpgateway.persistence.RedisSessionStore;
import dev.mcpgateway.plugin.RegistrationSource;
import dev.mcpgateway.server.SessionStore;
import dev.mcpgateway.transport.http.server.FrontDoorAuth;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Date;
import java.util.Deque;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The gateway features whose throughput cost {@link FeatureCost} measures, each as the one change it makes to the
 * baseline gateway of a load scenario. The baseline is the gateway with its defaults, except that active health
 * probing (on by default) is off, so that health can be measured as a feature like the others.
 */
enum Feature {
    /** The gateway every feature is compared with: defaults, health probing off. */
    BASELINE("baseline", "defaults, active health probing off") {
        @Override
        void apply(On on) {
        }
    },
    /**
     * The call pipeline (admission, retry, in-flight tracking, instance limit, outlier detection, endpoint stats) is
     * always on; of it only outlier detection and retries can be switched off, so this row shows what those cost
     * (with the sign reversed: a faster run here means they cost that much).
     */
    PIPELINE_MINIMAL("pipeline minimal", "outlier detection off, retry budget 0 (the rest of the pipeline has no "
            + "switch)") {
        @Override
        void apply(On on) {
            CallLimits defaults = CallLimits.defaults();
            on.config = then(on.config, config -> config.outlierDetection(OutlierDetection.disabled())
                    .callLimits(new CallLimits(defaults.maxInFlight(), defaults.maxInFlightPerInstance(),
                            defaults.maxWait(), 0)));
        }
    },
    /** Micrometer metrics into a Prometheus registry (served at {@code /metrics}, scraped by nobody). */
    METRICS("metrics", "Prometheus meter registry, not scraped") {
        @Override
        void apply(On on) {
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            on.meterRegistry = registry;
            on.own(registry::close);
            on.gateway = then(on.gateway, gateway -> gateway.meterRegistry(registry));
            on.frontDoor = then(on.frontDoor, door -> door.metrics(registry::scrape));
        }
    },
    /** Active health probing of every instance at the default interval. */
    HEALTH("health", "active probing at the default interval ("
            + HealthCheckOptions.defaults().interval().toSeconds() + " s)") {
        @Override
        void apply(On on) {
            on.config = then(on.config, config -> config.healthChecks(HealthCheckOptions.defaults()));
        }
    },
    /** Call limits and rate limits far above what the load reaches, so they are checked on every call, never hit. */
    LIMITS("limits", "call limits and per-client, per-tool and per-client-per-tool rate limits, never reached") {
        @Override
        void apply(On on) {
            on.config = then(on.config, config -> config.callLimits(GENEROUS_CALL_LIMITS)
                    .rateLimits(GENEROUS_RATE_LIMITS));
        }
    },
    /** The front door requires a JWT bearer token (RS256, validated against a configured key); every call has one. */
    AUTH("auth", "JWT bearer token required and sent (RS256, key configured, no JWKS fetch)") {
        @Override
        void apply(On on) {
            RSAKey key = rsaKey();
            TokenValidator validator = TokenValidators.jwt(JwtValidatorOptions.builder().issuer(ISSUER)
                    .audiences(AUDIENCE).keys(new JWKSet(key.toPublicJWK())).build());
            on.own(validator);
            on.frontDoor = then(on.frontDoor, door -> door.auth(FrontDoorAuth.builder(validator)
                    .authorizationServer(URI.create(ISSUER)).requiredScopes(Set.of(SCOPE)).build()));
            on.bearerToken = token(key);
        }
    },
    /**
     * PostgreSQL keeps the plugin instances (registered as over the management API, so the store keeps them), Redis
     * carries change events and the client sessions: what a host with both configured runs.
     */
    PERSISTENCE("persistence", "PostgreSQL registry store, Redis change events and session store") {
        @Override
        void apply(On on) {
            Persistence persistence = new Persistence();
            on.persistence = persistence;
            on.own(persistence);
            on.source = RegistrationSource.API;
            on.gateway = then(on.gateway, gateway -> gateway.registryStore(PostgresRegistryStore
                    .open(persistence.postgres).withChangeEvents(RedisChangeEvents.open(persistence.redis))));
            on.sessions = () -> RedisSessionStore.open(persistence.redis);
        }
    },
    /** Every call traced: Micrometer observations bridged to an OpenTelemetry tracer sampling all, exporting none. */
    TRACING("tracing", "observations → OpenTelemetry tracer, every span sampled, none exported") {
        @Override
        void apply(On on) {
            SdkTracerProvider provider = SdkTracerProvider.builder().setSampler(Sampler.alwaysOn()).build();
            on.own(provider::close);
            on.gateway = then(on.gateway, gateway -> gateway.observationRegistry(MetricsBenchmark.tracing(provider)));
        }
    };

    /** Far above what 2 cores serve, so the limits are checked on every call and never refuse one. */
    static final CallLimits GENEROUS_CALL_LIMITS = new CallLimits(100_000, 50_000, Duration.ofSeconds(1), 0.2);
    /** Rates and bursts no load on this machine reaches. */
    static final RateLimits GENEROUS_RATE_LIMITS = RateLimits.builder().perClient(10_000_000, 1_000_000)
            .perTool("*", 10_000_000, 1_000_000).perClientPerTool(10_000_000, 1_000_000).build();
    private static final String ISSUER = "https://auth.feature-cost.test/";
    private static final String AUDIENCE = "https://gateway.feature-cost.test/mcp";
    private static final String SCOPE = "mcp:use";

    final String label;
    final String description;

    Feature(String label, String description) {
        this.label = label;
        this.description = description;
    }

    /** Makes this feature's change to the baseline set up in {@code on}. */
    abstract void apply(On on);

    /** The feature named {@code label} (as in {@code --features}), case-insensitive, {@code -} for a space. */
    static Feature named(String label) {
        String wanted = label.trim().toLowerCase(Locale.ROOT).replace('-', ' ').replace('_', ' ');
        for (Feature feature : values()) {
            if (feature.label.equals(wanted)) {
                return feature;
            }
        }
        throw new IllegalArgumentException("no feature '" + label + "'; the features are " + labels());
    }

    /** The features' labels, comma-separated (the baseline's too). */
    static String labels() {
        StringBuilder out = new StringBuilder();
        for (Feature feature : values()) {
            out.append(out.isEmpty() ? "" : ", ").append(feature.label.replace(' ', '-'));
        }
        return out.toString();
    }

    /**
     * Switches this feature on: the scenario setup of a gateway with it, and what it opened for it (keys, stores),
     * closed with the result once the run's fixture is closed.
     */
    On on() {
        On on = new On();
        try {
            apply(on);
            return on;
        } catch (RuntimeException | Error e) {
            on.close();
            throw e;
        }
    }

    /**
     * A feature switched on for one run: the changes it makes to the baseline, and the resources it holds; the
     * fields the features fill in stay visible to the harness test, which checks that each really is on.
     */
    static final class On implements AutoCloseable {
        private final Deque<AutoCloseable> resources = new ArrayDeque<>();
        private UnaryOperator<GatewayConfig.Builder> config = UnaryOperator.identity();
        private UnaryOperator<dev.mcpgateway.McpGateway.Builder> gateway = UnaryOperator.identity();
        private UnaryOperator<dev.mcpgateway.transport.http.server.HttpFrontDoorOptions.Builder> frontDoor =
                UnaryOperator.identity();
        private java.util.function.Supplier<SessionStore> sessions = SessionStore::none;
        private RegistrationSource source = RegistrationSource.HOST;
        private String bearerToken;
        private PrometheusMeterRegistry meterRegistry;
        private Persistence persistence;

        private On() {
        }

        /** The scenario setup: the baseline's configuration with this feature's changes. */
        Scenario.Setup setup() {
            UnaryOperator<GatewayConfig.Builder> configChanges = config;
            UnaryOperator<dev.mcpgateway.McpGateway.Builder> gatewayChanges = gateway;
            // Probing is on by default: the baseline turns it off, and the health feature on again.
            UnaryOperator<dev.mcpgateway.McpGateway.Builder> whole = builder -> gatewayChanges.apply(builder.config(
                    configChanges.apply(GatewayConfig.builder().healthChecks(HealthCheckOptions.disabled())).build()));
            return new Scenario.Setup(whole, frontDoor, sessions, source, bearerToken);
        }

        /** The token each request carries, or null. */
        String bearerToken() {
            return bearerToken;
        }

        /** The registry metrics go to, or null without the metrics feature. */
        PrometheusMeterRegistry meterRegistry() {
            return meterRegistry;
        }

        /** Where the persistence feature keeps the gateway's state, or null without it. */
        Persistence persistence() {
            return persistence;
        }

        private void own(AutoCloseable resource) {
            resources.push(resource);
        }

        @Override
        public void close() {
            while (!resources.isEmpty()) {
                try {
                    resources.pop().close();
                } catch (Exception e) {
                    System.err.println("FeatureCost: could not release " + e);
                }
            }
        }
    }

    /**
     * The PostgreSQL schema and Redis channel of one persistence run, named for this run alone (so a run never
     * restores another's instances), and dropped when it ends. PostgreSQL and Redis are found as the runner finds
     * them ({@code POSTGRES_HOST}, {@code POSTGRES_PORT}, {@code POSTGRES_DB}, {@code POSTGRES_USER},
     * {@code POSTGRES_PASSWORD}, {@code REDIS_HOST}, {@code REDIS_PORT}, {@code REDIS_PASSWORD}), with this machine's
     * test services as defaults: 127.0.0.1, database {@code test}.
     */
    static final class Persistence implements AutoCloseable {
        final PostgresOptions postgres;
        final RedisOptions redis;

        Persistence() {
            Map<String, String> env = new HashMap<>(System.getenv());
            env.putIfAbsent("POSTGRES_HOST", "127.0.0.1");
            env.putIfAbsent("POSTGRES_DB", "test");
            env.putIfAbsent("REDIS_HOST", "127.0.0.1");
            String schema = "feature_cost_" + UUID.randomUUID().toString().substring(0, 8);
            env.put("POSTGRES_SCHEMA", schema);
            postgres = PostgresOptions.fromEnvironment(env).build();
            redis = RedisOptions.fromEnvironment(env).build();
        }

        /** How many plugin instances the registry store holds in PostgreSQL now. */
        int storedInstances() throws SQLException {
            try (Connection connection = connect(); Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + postgres.schema() + ".instances")) {
                rows.next();
                return rows.getInt(1);
            }
        }

        /** Drops the run's schema, and its keys in Redis (they would expire, but only after the idle timeout). */
        @Override
        public void close() throws SQLException {
            try (Connection connection = connect(); Statement statement = connection.createStatement()) {
                statement.execute("DROP SCHEMA IF EXISTS " + postgres.schema() + " CASCADE");
            }
            try (Jedis jedis = new Jedis(redis.host(), redis.port())) {
                if (redis.password() != null) {
                    jedis.auth(redis.password());
                }
                ScanParams match = new ScanParams().match(redis.channel() + ":*").count(500);
                String cursor = ScanParams.SCAN_POINTER_START;
                do {
                    ScanResult<String> page = jedis.scan(cursor, match);
                    if (!page.getResult().isEmpty()) {
                        jedis.del(page.getResult().toArray(String[]::new));
                    }
                    cursor = page.getCursor();
                } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
            }
        }

        private Connection connect() throws SQLException {
            return DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
        }
    }

    /** {@code first}, then {@code next}. */
    private static <T> UnaryOperator<T> then(UnaryOperator<T> first, UnaryOperator<T> next) {
        return value -> next.apply(first.apply(value));
    }

    private static RSAKey rsaKey() {
        try {
            return new RSAKeyGenerator(2048).keyID("feature-cost").generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A token the front door accepts for the whole run: this gateway's audience and scope, valid for a day. */
    private static String token(RSAKey key) {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(ISSUER).subject("load").audience(AUDIENCE)
                .issueTime(Date.from(now.minusSeconds(60))).expirationTime(Date.from(now.plus(Duration.ofDays(1))))
                .claim("scope", SCOPE).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                .type(new JOSEObjectType("at+jwt")).build(), claims);
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }
}
