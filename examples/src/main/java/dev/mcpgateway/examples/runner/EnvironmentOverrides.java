package dev.mcpgateway.examples.runner;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The environment variables that override the configuration file, one per setting: {@code MCP_GATEWAY_} and the
 * setting's YAML path in upper snake case ({@code server.maxConnections} is {@code MCP_GATEWAY_SERVER_MAX_CONNECTIONS},
 * {@code health.outlierDetection.window} is {@code MCP_GATEWAY_HEALTH_OUTLIER_DETECTION_WINDOW}); a list takes
 * comma-separated values. Every single-valued setting outside {@code plugins} and {@code routing.rules} has one. The
 * seed's {@code GATEWAY_HOST}, {@code GATEWAY_PORT} and {@code HEALTH_CHECK_INTERVAL} are aliases of
 * {@code server.host}, {@code server.port} and {@code health.interval}, and its {@code AUTH_PROVIDER},
 * {@code AUTH_ISSUER}, {@code AUTH_AUDIENCE}, {@code AUTH_JWKS_URL}, {@code AUTH_SCOPES},
 * {@code AUTH_INTROSPECTION_URL}, {@code AUTH_CLIENT_ID} and {@code AUTH_CLIENT_SECRET} of the {@code auth.} keys of
 * the same meaning, as are OpenTelemetry's {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT} and {@code OTEL_SERVICE_NAME} of
 * {@code tracing.otlpEndpoint} and {@code tracing.serviceName}; the {@code MCP_GATEWAY_} name wins when both are set.
 * {@code auth.apiKeys}, a list of entries, has none.
 */
final class EnvironmentOverrides {
    /** The prefix of every override. */
    static final String PREFIX = "MCP_GATEWAY_";
    /** The seed's (and OpenTelemetry's) names, by the setting they override. */
    static final Map<String, String> ALIASES = Map.ofEntries(
            Map.entry(ConfigLoader.GATEWAY_HOST, "server.host"),
            Map.entry(ConfigLoader.GATEWAY_PORT, "server.port"),
            Map.entry(ConfigLoader.HEALTH_CHECK_INTERVAL, "health.interval"),
            Map.entry("AUTH_PROVIDER", "auth.provider"),
            Map.entry("AUTH_ISSUER", "auth.issuer"),
            Map.entry("AUTH_AUDIENCE", "auth.audience"),
            Map.entry("AUTH_JWKS_URL", "auth.jwksUrl"),
            Map.entry("AUTH_SCOPES", "auth.scopes"),
            Map.entry("AUTH_INTROSPECTION_URL", "auth.introspectionUrl"),
            Map.entry("AUTH_CLIENT_ID", "auth.clientId"),
            Map.entry("AUTH_CLIENT_SECRET", "auth.clientSecret"),
            Map.entry("POSTGRES_HOST", "persistence.postgres.host"),
            Map.entry("POSTGRES_PORT", "persistence.postgres.port"),
            Map.entry("POSTGRES_DB", "persistence.postgres.database"),
            Map.entry("POSTGRES_USER", "persistence.postgres.user"),
            Map.entry("POSTGRES_PASSWORD", "persistence.postgres.password"),
            Map.entry("POSTGRES_SCHEMA", "persistence.postgres.schema"),
            Map.entry("REDIS_HOST", "persistence.redis.host"),
            Map.entry("REDIS_PORT", "persistence.redis.port"),
            Map.entry("REDIS_PASSWORD", "persistence.redis.password"),
            Map.entry("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "tracing.otlpEndpoint"),
            Map.entry("OTEL_SERVICE_NAME", "tracing.serviceName"));
    /** Read by the runner's logging (its logback.xml), which starts before any configuration: no setting of theirs. */
    static final Set<String> LOGGING = Set.of(PREFIX + "LOG_FORMAT", PREFIX + "LOG_LEVEL");
    /** Read by the {@code ./mcp-gateway} launcher (JVM flags), before the JVM starts: no setting either. */
    static final String JAVA_OPTS = PREFIX + "JAVA_OPTS";
    /** Settings that are not single values an environment variable can carry well. */
    private static final Set<String> EXCLUDED = Set.of("plugins", "routing.rules", "health.arguments");
    /** Every override's variable name, by YAML path, in file order. */
    private static final Map<String, String> PATHS = pathsByVariable();
    /** The paths of the settings that are lists. */
    private static final Set<String> LIST_PATHS = listPaths();

    private EnvironmentOverrides() {
    }

    /** Every override's variable, with the YAML path it sets, sorted by name. */
    static Map<String, String> variables() {
        return Collections.unmodifiableMap(new TreeMap<>(PATHS));
    }

    /** The overrides {@code env} sets, as variable name to YAML path, aliases first, so the specific names win. */
    static Map<String, String> present(Map<String, String> env) {
        Map<String, String> present = new LinkedHashMap<>();
        ALIASES.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .filter(alias -> env.containsKey(alias.getKey()))
                .forEach(alias -> present.put(alias.getKey(), alias.getValue()));
        PATHS.forEach((variable, path) -> {
            if (env.containsKey(variable)) {
                present.put(variable, path);
            }
        });
        return present;
    }

    /** The variables that start with {@link #PREFIX} but name no setting: typos, most likely. */
    static List<String> unknown(Map<String, String> env) {
        return env.keySet().stream()
                .filter(name -> name.startsWith(PREFIX) && !PATHS.containsKey(name) && !LOGGING.contains(name)
                        && !JAVA_OPTS.equals(name))
                .sorted().toList();
    }

    /** Sets {@code path} in a YAML tree to an override's text, a list being comma-separated. */
    static void set(ObjectNode tree, String path, String value) {
        String[] keys = path.split("\\.");
        ObjectNode node = tree;
        for (String key : Arrays.asList(keys).subList(0, keys.length - 1)) {
            node = node.get(key) instanceof ObjectNode child ? child : node.putObject(key);
        }
        String last = keys[keys.length - 1];
        if (LIST_PATHS.contains(path)) {
            ArrayNode list = node.putArray(last);
            Arrays.stream(value.split(",")).map(String::strip).filter(item -> !item.isEmpty()).forEach(list::add);
        } else {
            node.set(last, JsonNodeFactory.instance.textNode(value));
        }
    }

    private static Map<String, String> pathsByVariable() {
        Map<String, String> byVariable = new LinkedHashMap<>();
        for (String path : leaves(RunnerConfig.class, "", new ArrayList<>())) {
            String variable = PREFIX + path.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replace('.', '_')
                    .toUpperCase(Locale.ROOT);
            if (byVariable.put(variable, path) != null) {
                throw new IllegalStateException("two settings map to " + variable);
            }
        }
        return byVariable;
    }

    private static Set<String> listPaths() {
        List<String> lists = new ArrayList<>();
        leaves(RunnerConfig.class, "", lists);
        return Set.copyOf(lists);
    }

    /** The YAML paths of a record's settings, descending into nested records; {@code lists} collects the lists. */
    private static List<String> leaves(Class<?> type, String prefix, List<String> lists) {
        List<String> paths = new ArrayList<>();
        for (RecordComponent component : type.getRecordComponents()) {
            String path = prefix + component.getName();
            Type generic = component.getGenericType();
            if (EXCLUDED.contains(path) || Map.class.isAssignableFrom(component.getType())) {
                continue;
            }
            if (component.getType().isRecord()) {
                paths.addAll(leaves(component.getType(), path + ".", lists));
            } else if (List.class.isAssignableFrom(component.getType())) {
                if (generic instanceof ParameterizedType list && list.getActualTypeArguments()[0] == String.class) {
                    paths.add(path);
                    lists.add(path);
                }
            } else {
                paths.add(path);
            }
        }
        return paths;
    }
}
