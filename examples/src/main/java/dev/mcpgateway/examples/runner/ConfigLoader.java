package dev.mcpgateway.examples.runner;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.mcpgateway.balancer.LoadBalancer;
import dev.mcpgateway.naming.ToolNaming;
import dev.mcpgateway.routing.LabelSelector;
import dev.mcpgateway.routing.ToolPattern;
import dev.mcpgateway.routing.VersionConstraint;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads a {@link RunnerConfig} from YAML and applies the environment: {@code ${VAR}} and {@code ${VAR:-default}}
 * in values, one {@code MCP_GATEWAY_*} override per setting ({@link EnvironmentOverrides}) with the seed's
 * {@code GATEWAY_HOST}, {@code GATEWAY_PORT} and {@code HEALTH_CHECK_INTERVAL} as aliases. Every problem becomes a
 * {@link ConfigException} with a one-line message naming the file, line and column, or the environment variable.
 */
public final class ConfigLoader {
    /** Overrides {@code server.host} (alias of {@code MCP_GATEWAY_SERVER_HOST}). */
    public static final String GATEWAY_HOST = "GATEWAY_HOST";
    /** Overrides {@code server.port}. */
    public static final String GATEWAY_PORT = "GATEWAY_PORT";
    /** Overrides {@code health.interval}. */
    public static final String HEALTH_CHECK_INTERVAL = "HEALTH_CHECK_INTERVAL";
    private static final Logger log = LoggerFactory.getLogger(ConfigLoader.class);
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

    private ConfigLoader() {
    }

    /**
     * Reads the file, expanding {@code ${VAR}} from {@code env}, then applies the environment's overrides.
     *
     * @throws ConfigException with a one-line message when the file cannot be read or is not a valid configuration
     */
    public static RunnerConfig load(Path file, Map<String, String> env) {
        return loadAtStart(file.getFileName().toString(), read(file), env);
    }

    /**
     * The file's text.
     *
     * @throws ConfigException with a one-line message when it cannot be read
     */
    public static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException("config error: file " + file + " does not exist", e);
        } catch (IOException e) {
            throw new ConfigException("config error: cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses YAML text, expanding {@code ${VAR}} from {@code env}; {@code source} names the text in messages.
     *
     * @throws ConfigException with a one-line message when the text is not a valid configuration
     */
    public static RunnerConfig parse(String source, String text, Map<String, String> env) {
        if (text.isBlank()) {
            throw new ConfigException("config error in " + source + ": the file is empty; see docs/CONFIGURATION.md "
                    + "for the format (server, plugins, routing, health, limits, leases, pluginSessions, auth, access,"
                    + " virtualServers, persistence, accessLog, metrics, tracing)");
        }
        try {
            ObjectMapper mapper = mapper(env);
            try (JsonParser parser = mapper.createParser(text)) {
                parser.nextToken();
                checkKeys(source, parser, RunnerConfig.class, "");
            }
            RunnerConfig config = mapper.readValue(text, RunnerConfig.class);
            return config == null ? RunnerConfig.defaults() : config;
        } catch (JsonProcessingException e) {
            throw new ConfigException(describe(source, e), e);
        } catch (IOException e) {
            // Reading from a String fails only on malformed input, reported above; keep the message if not.
            throw new ConfigException("config error in " + source + ": " + e.getMessage(), e);
        }
    }

    /**
     * Checks the environment's seed keys and warns of unknown {@code MCP_GATEWAY_*} variables, then applies its
     * overrides to the text: what the runner does at start.
     *
     * @throws ConfigException naming the variable when its value is not usable, or asks for what the runner lacks
     */
    static RunnerConfig loadAtStart(String source, String text, Map<String, String> env) {
        checkEnvironment(env);
        return parseWithOverrides(source, text, env);
    }

    /**
     * The configuration the environment alone makes, over the defaults, for a runner without a file (the demo),
     * after the same checks as at start.
     *
     * @throws ConfigException naming the variable when its value is not usable, or asks for what the runner lacks
     */
    public static RunnerConfig fromEnvironment(Map<String, String> env) {
        checkEnvironment(env);
        return overridden(JsonNodeFactory.instance.objectNode(), RunnerConfig.defaults(), env);
    }

    /**
     * Parses the text as {@link #parse} does, then applies the environment's overrides ({@link EnvironmentOverrides}):
     * at start, and for each reload.
     *
     * @throws ConfigException with a one-line message: the file's line and column, or the variable's name
     */
    public static RunnerConfig parseWithOverrides(String source, String text, Map<String, String> env) {
        RunnerConfig fromFile = parse(source, text, env);
        if (EnvironmentOverrides.present(env).isEmpty()) {
            return fromFile;
        }
        try {
            JsonNode tree = mapper(env).readTree(text);
            return overridden(tree instanceof ObjectNode object ? object : JsonNodeFactory.instance.objectNode(),
                    fromFile, env);
        } catch (JsonProcessingException e) {
            // Parsed above already.
            throw new ConfigException(describe(source, e), e);
        }
    }

    /** Applies each override in turn, so that a value the configuration refuses is reported under its variable. */
    private static RunnerConfig overridden(ObjectNode tree, RunnerConfig fromFile, Map<String, String> env) {
        RunnerConfig result = fromFile;
        ObjectMapper mapper = mapper(env);
        for (Map.Entry<String, String> override : EnvironmentOverrides.present(env).entrySet()) {
            EnvironmentOverrides.set(tree, override.getValue(), env.get(override.getKey()));
            try {
                result = mapper.treeToValue(tree, RunnerConfig.class);
            } catch (JsonProcessingException e) {
                throw new ConfigException(describe("environment variable " + override.getKey(), e), e);
            }
        }
        return result;
    }

    private static void checkEnvironment(Map<String, String> env) {
        List<String> unknown = EnvironmentOverrides.unknown(env);
        if (!unknown.isEmpty()) {
            log.warn("{} set but name no setting, ignored; the {}* variables are listed in docs/CONFIGURATION.md",
                    String.join(", ", unknown), EnvironmentOverrides.PREFIX);
        }
    }

    /** Expands {@code ${VAR}} and {@code ${VAR:-default}}; an undefined variable without default is an error. */
    static String expand(String value, Map<String, String> env) {
        if (value.indexOf("${") < 0) {
            return value;
        }
        Matcher matcher = VARIABLE.matcher(value);
        StringBuilder expanded = new StringBuilder();
        while (matcher.find()) {
            String found = env.get(matcher.group(1));
            if (found == null) {
                found = matcher.group(2);
            }
            if (found == null) {
                throw new IllegalArgumentException("environment variable " + matcher.group(1) + " is not set; set it "
                        + "or write ${" + matcher.group(1) + ":-default}");
            }
            matcher.appendReplacement(expanded, Matcher.quoteReplacement(found));
        }
        matcher.appendTail(expanded);
        return expanded.toString();
    }

    private static ObjectMapper mapper(Map<String, String> env) {
        SimpleModule module = new SimpleModule("runner-config");
        module.addDeserializer(String.class, new Expanding<>(String.class, env, text -> text));
        module.addDeserializer(Integer.class, new Expanding<>(Integer.class, env, ConfigLoader::wholeNumber));
        module.addDeserializer(Long.class, new Expanding<>(Long.class, env, ConfigLoader::longNumber));
        module.addDeserializer(Double.class, new Expanding<>(Double.class, env, ConfigLoader::decimal));
        module.addDeserializer(Boolean.class, new Expanding<>(Boolean.class, env, ConfigLoader::trueOrFalse));
        module.addDeserializer(Duration.class, new Expanding<>(Duration.class, env, Durations::parse));
        module.addDeserializer(Instant.class, new Expanding<>(Instant.class, env, ConfigLoader::instant));
        // The library's own parsers, so a value means in YAML what it means in Java and is reported where it stands.
        module.addDeserializer(LoadBalancer.class, new Expanding<>(LoadBalancer.class, env, LoadBalancer::byName));
        module.addDeserializer(ToolNaming.class, new Expanding<>(ToolNaming.class, env, ToolNaming::byName));
        module.addDeserializer(ToolPattern.class, new Expanding<>(ToolPattern.class, env, ToolPattern::parse));
        module.addDeserializer(VersionConstraint.class,
                new Expanding<>(VersionConstraint.class, env, VersionConstraint::parse));
        module.addDeserializer(LabelSelector.class, new Expanding<>(LabelSelector.class, env, LabelSelector::parse));
        module.setDeserializerModifier(new BeanDeserializerModifier() {
            @Override
            public JsonDeserializer<?> modifyDeserializer(DeserializationConfig config, BeanDescription description,
                                                          JsonDeserializer<?> deserializer) {
                return description.getBeanClass().isRecord() ? new Locating(deserializer) : deserializer;
            }
        });
        return new ObjectMapper(new YAMLFactory())
                .registerModule(module)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /**
     * Rejects keys the format does not have, at the key itself. Jackson finds them too, but reports them without a
     * position: it buffers a record's unknown keys until the record is built.
     */
    private static void checkKeys(String source, JsonParser parser, Type type, String path) throws IOException {
        JsonToken token = parser.currentToken();
        Class<?> raw = type instanceof ParameterizedType generic ? (Class<?>) generic.getRawType() : (Class<?>) type;
        if (token == JsonToken.START_OBJECT && raw.isRecord()) {
            Map<String, Type> known = new LinkedHashMap<>();
            for (RecordComponent component : raw.getRecordComponents()) {
                known.put(component.getName(), component.getGenericType());
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String key = parser.currentName();
                Type keyType = known.get(key);
                if (keyType == null) {
                    JsonLocation at = parser.currentTokenLocation();
                    throw new ConfigException("config error in " + source + " line " + at.getLineNr() + ", column "
                            + at.getColumnNr() + ": unknown key '" + key + "' "
                            + (path.isEmpty() ? "at the top level" : "under " + path)
                            + " (known: " + String.join(", ", known.keySet()) + ")");
                }
                parser.nextToken();
                checkKeys(source, parser, keyType, path.isEmpty() ? key : path + "." + key);
            }
        } else if (token == JsonToken.START_ARRAY && type instanceof ParameterizedType generic
                && List.class.isAssignableFrom(raw)) {
            for (int i = 0; parser.nextToken() != JsonToken.END_ARRAY; i++) {
                checkKeys(source, parser, generic.getActualTypeArguments()[0], path + "[" + i + "]");
            }
        } else {
            // Maps take any key; values of the wrong shape are the binding's to report.
            parser.skipChildren();
        }
    }

    /** One line: file, line, column, where in the structure, and what is wrong. */
    private static String describe(String source, JsonProcessingException e) {
        // Malformed YAML: SnakeYAML marks the problem itself, Jackson only the last token read before it, which for a
        // tab is the end of the line above.
        if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
            Mark at = yaml.getProblemMark();
            return "config error in " + source + " line " + (at.getLine() + 1) + ", column " + (at.getColumn() + 1)
                    + ": " + (yaml.getProblem().contains("\\t(TAB)")
                    ? "YAML does not allow tabs for indentation; use spaces"
                    : "not valid YAML: " + oneLine(yaml.getProblem()));
        }
        StringBuilder line = new StringBuilder("config error in ").append(source);
        JsonLocation location = e.getLocation();
        if (location != null && location.getLineNr() > 0) {
            line.append(" line ").append(location.getLineNr()).append(", column ").append(location.getColumnNr());
        }
        line.append(": ");
        if (e instanceof UnrecognizedPropertyException unknown) {
            List<JsonMappingException.Reference> path = unknown.getPath();
            String under = pathOf(path.subList(0, Math.max(0, path.size() - 1)));
            line.append("unknown key '").append(unknown.getPropertyName()).append("' ")
                    .append(under.isEmpty() ? "at the top level" : "under " + under)
                    .append(" (known: ").append(known(unknown)).append(')');
        } else if (e instanceof JsonMappingException mapping) {
            String at = pathOf(mapping.getPath());
            if (!at.isEmpty()) {
                line.append(at).append(": ");
            }
            // Jackson's own mismatch messages name Java types; say what the YAML should hold instead.
            line.append(!(e instanceof InvalidValue) && e instanceof MismatchedInputException mismatch
                    && mismatch.getTargetType() != null
                    ? "expected " + expected(mismatch.getTargetType())
                    : oneLine(e.getOriginalMessage()));
        } else {
            line.append("not valid YAML: ").append(oneLine(e.getOriginalMessage()));
        }
        return line.toString();
    }

    private static String known(UnrecognizedPropertyException unknown) {
        return unknown.getKnownPropertyIds().stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    private static String expected(Class<?> type) {
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list, such as [a, b]";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "a mapping of keys to values";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (type == Double.class || type == double.class) {
            return "a number such as 0.5";
        }
        if (type == Duration.class) {
            return "a duration such as 10s";
        }
        if (type == Instant.class) {
            return "a time such as 2027-01-01T00:00:00Z";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        return "a single value";
    }

    private static String pathOf(List<JsonMappingException.Reference> path) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference reference : path) {
            if (reference.getFieldName() != null) {
                if (!out.isEmpty()) {
                    out.append('.');
                }
                out.append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                out.append('[').append(reference.getIndex()).append(']');
            }
        }
        return out.toString();
    }

    private static String oneLine(String message) {
        return message == null ? "invalid value" : message.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    /** A value the runner's own deserializers rejected, located at the value. */
    private static final class InvalidValue extends MismatchedInputException {
        private static final long serialVersionUID = 1L;

        InvalidValue(JsonParser parser, String message, JsonLocation location) {
            super(parser, message, location);
        }
    }

    /**
     * Reports a record's validation failure at the start of the record, where a person looks for it, and a duplicate
     * name at the start of the duplicate: it remembers where each record of this read began.
     */
    private static final class Locating extends DelegatingDeserializer {
        private static final long serialVersionUID = 1L;
        private static final String STARTS = Locating.class.getName() + ".starts";

        Locating(JsonDeserializer<?> delegate) {
            super(delegate);
        }

        @Override
        protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> newDelegatee) {
            return new Locating(newDelegatee);
        }

        @Override
        public Object deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            JsonLocation start = parser.currentTokenLocation();
            Map<Object, JsonLocation> starts = starts(context);
            try {
                Object value = super.deserialize(parser, context);
                starts.put(value, start);
                return value;
            } catch (ValueInstantiationException e) {
                Throwable cause = e.getCause();
                if (cause instanceof DuplicateNameException duplicate && starts.containsKey(duplicate.duplicate())) {
                    throw new InvalidValue(parser, cause.getMessage(), starts.get(duplicate.duplicate()));
                }
                if (cause instanceof IllegalArgumentException) {
                    throw new InvalidValue(parser, cause.getMessage(), start);
                }
                throw e;
            }
        }

        /** Where each record of this read began, by identity: equal records at two places are two places. */
        @SuppressWarnings("unchecked")
        private static Map<Object, JsonLocation> starts(DeserializationContext context) {
            Object starts = context.getAttribute(STARTS);
            if (starts == null) {
                starts = new IdentityHashMap<Object, JsonLocation>();
                context.setAttribute(STARTS, starts);
            }
            return (Map<Object, JsonLocation>) starts;
        }
    }

    /** The scalar deserializers expand {@code ${VAR}} first and report bad values at the value. */
    private static final class Expanding<T> extends StdScalarDeserializer<T> {
        private static final long serialVersionUID = 1L;
        private final transient Map<String, String> env;
        /** The value from its expanded text; an IllegalArgumentException says what is wrong. */
        private final transient Function<String, T> convert;

        Expanding(Class<T> type, Map<String, String> env, Function<String, T> convert) {
            super(type);
            this.env = env;
            this.convert = convert;
        }

        @Override
        public T deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            JsonLocation at = parser.currentTokenLocation();
            JsonToken token = parser.currentToken();
            if (token == null || !token.isScalarValue()) {
                throw new InvalidValue(parser, "expected " + expected(handledType()) + ", got "
                        + (token == JsonToken.START_ARRAY ? "a list" : token == JsonToken.START_OBJECT ? "a mapping"
                        : String.valueOf(token)), at);
            }
            try {
                return convert.apply(expand(parser.getText(), env));
            } catch (IllegalArgumentException e) {
                throw new InvalidValue(parser, e.getMessage(), at);
            }
        }
    }

    private static Integer wholeNumber(String text) {
        try {
            return Integer.valueOf(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a whole number, got '" + text + "'", e);
        }
    }

    private static Long longNumber(String text) {
        try {
            return Long.valueOf(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a whole number, got '" + text + "'", e);
        }
    }

    private static Double decimal(String text) {
        try {
            double value = Double.parseDouble(text.strip());
            if (!Double.isFinite(value)) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a number such as 0.5, got '" + text + "'", e);
        }
    }

    /** A UTC time as ISO-8601 ({@code 2027-01-01T00:00:00Z}), or a date meaning its midnight UTC. */
    private static Instant instant(String text) {
        String value = text.strip();
        try {
            return value.length() == 10 ? LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("expected a time such as 2027-01-01T00:00:00Z or a date such as "
                    + "2027-01-01 (midnight UTC), got '" + text + "'", e);
        }
    }

    /** Only the two words: a switch such as inheritEnv must not turn on from a typo. */
    private static Boolean trueOrFalse(String text) {
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("expected true or false, got '" + text + "'");
        };
    }
}
