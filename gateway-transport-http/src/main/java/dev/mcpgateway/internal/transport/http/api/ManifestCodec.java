package dev.mcpgateway.internal.transport.http.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.auth.UpstreamCredentials;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.mcp.Tool;
import dev.mcpgateway.plugin.InstanceStatus;
import dev.mcpgateway.plugin.PluginManifest;
import dev.mcpgateway.plugin.Registration;
import dev.mcpgateway.plugin.RegistrationSource;
import dev.mcpgateway.plugin.TransportSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The body of {@code POST /api/v1/plugins}: a plugin instance's registration, in one of three forms (see
 * {@code docs/MANAGEMENT-API.md}).
 *
 * <ul>
 *   <li>The gateway's manifest: {@code instanceId, name, namespace, version, transport, tools, labels, weight,
 *       leaseSeconds}. It is strict: an unknown member at any level is an error, so a typo is never ignored.</li>
 *   <li>An MCP registry {@code server.json} as it is (detected by its {@code $schema}, or by {@code packages} or
 *       {@code remotes} without {@code transport}); the query parameters {@code ?instanceId=} and
 *       {@code ?leaseSeconds=} give what the manifest's members would. Its members the gateway does not use are
 *       ignored, as that format grows (see {@link ServerJson}).</li>
 *   <li>The manifest with {@code "server": {...}} instead of {@code version} and {@code transport}: the plugin's name
 *       is then the server name's last segment unless {@code name} says otherwise.</li>
 * </ul>
 *
 * <p>Values are checked by the library's own constructors and parsers ({@link PluginManifest},
 * {@link TransportSpec.Http}, {@link TransportSpec.Stdio}, {@link Tool#fromJson}, {@link Registration}), whose
 * messages are reported at the member they came from, so the API says what the Java API says of the same value.
 * Every error of a body is collected before anything is thrown.
 *
 * <p>A registration listing {@code tools} (even none) arrives {@link InstanceStatus#UP UP}, routable at once;
 * without {@code tools} it arrives {@link InstanceStatus#STARTING STARTING} until the gateway has listed them.
 */
public final class ManifestCodec {
    /** Longest lease a registration may ask for: a day. */
    public static final int MAX_LEASE_SECONDS = 86_400;

    private static final List<String> MANIFEST_FIELDS = List.of("instanceId", "name", "namespace", "version",
            "transport", "tools", "labels", "weight", "leaseSeconds");
    private static final List<String> WRAPPER_FIELDS = List.of("instanceId", "name", "namespace", "server", "tools",
            "labels", "weight", "leaseSeconds");
    private static final Map<String, String> NOT_IN_WRAPPER = Map.of(
            "transport", "a registration gives either \"transport\" or \"server\", not both; remove one",
            "version", "the version is the server's own \"version\"; remove it here");
    private static final String[] HTTP_FIELDS = {"type", "url", "headers"};
    private static final String[] STDIO_FIELDS = {"type", "command", "args", "env", "workingDirectory"};
    private static final String INSTANCE_ID_PARAM = "?instanceId";
    private static final String LEASE_SECONDS_PARAM = "?leaseSeconds";
    /** A valid manifest to try one value at a time against the library's checks. */
    private static final PluginManifest PROBE = PluginManifest.builder("plugin")
            .transport(TransportSpec.Http.of("http://127.0.0.1/mcp")).build();

    private ManifestCodec() {
    }

    /**
     * Whether a registration body is a bare server.json, whose instance id and lease travel as the query parameters
     * {@code instanceId} and {@code leaseSeconds}; one wrapped as {@code "server"} is not.
     */
    public static boolean isBareServerJson(JsonNode body) {
        return !body.has("server") && ServerJson.isServerJson(body);
    }

    /** The plugin name an MCP registry server name gives, as registration derives it; null when none can be. */
    public static String pluginNameOf(String serverName) {
        return ServerJson.pluginName(serverName);
    }

    /**
     * Reads a registration body: the gateway's manifest, or an MCP registry server.json, bare or wrapped as
     * {@code "server"}.
     *
     * @param body              the parsed request body
     * @param instanceIdParam   the {@code instanceId} query parameter, for a bare server.json; null when absent
     * @param leaseSecondsParam the {@code leaseSeconds} query parameter, for a bare server.json; null when absent
     * @return the registration, from source {@link RegistrationSource#API}; its lease is null when none was given
     *         (the caller applies its default)
     * @throws InvalidRequestException naming every bad member, by JSON Pointer ({@code ?instanceId} and
     *                                 {@code ?leaseSeconds} for the query parameters)
     */
    public static Registration read(JsonNode body, String instanceIdParam, String leaseSecondsParam)
            throws InvalidRequestException {
        JsonFields.requireObjectBody(body);
        List<FieldError> errors = new ArrayList<>();
        Registration registration;
        if (body.has("server")) {
            registration = readWrapped(body, errors);
            rejectParameters(instanceIdParam, leaseSecondsParam, errors);
        } else if (ServerJson.isServerJson(body)) {
            registration = readBare(body, instanceIdParam, leaseSecondsParam, errors);
        } else {
            registration = readManifest(body, errors);
            rejectParameters(instanceIdParam, leaseSecondsParam, errors);
        }
        JsonFields.throwIfAny(errors);
        return registration;
    }

    /**
     * The gateway's manifest for a registration, such that {@link #read} gives it back apart from its source (and
     * its status, which follows from {@code tools}: {@code UP} when written, {@code STARTING} when not). The values
     * of headers and environment variables are written, as a client registering itself must send them: never log
     * the result.
     *
     * @throws IllegalArgumentException for what the API does not take: an in-process transport, a stdio transport
     *                                  inheriting the gateway's environment, a lease that is not 1 to 86400 whole
     *                                  seconds
     */
    public static ObjectNode write(Registration registration) {
        PluginManifest manifest = registration.manifest();
        ObjectNode out = Json.object();
        if (registration.instanceId() != null) {
            out.put("instanceId", registration.instanceId());
        }
        out.put("name", manifest.name());
        out.put("namespace", manifest.namespace());
        out.put("version", manifest.version());
        out.set("transport", writeTransport(manifest.transport()));
        if (registration.initialStatus() != InstanceStatus.STARTING || !manifest.tools().isEmpty()) {
            ArrayNode tools = out.putArray("tools");
            manifest.tools().forEach(tool -> tools.add(tool.json()));
        }
        if (!manifest.labels().isEmpty()) {
            ObjectNode labels = out.putObject("labels");
            new TreeMap<>(manifest.labels()).forEach(labels::put);
        }
        out.put("weight", manifest.weight());
        if (registration.lease() != null) {
            out.put("leaseSeconds", leaseSeconds(registration.lease()));
        }
        return out;
    }

    private static Registration readManifest(JsonNode body, List<FieldError> errors) {
        JsonFields manifest = JsonFields.strict(body, "", errors, MANIFEST_FIELDS, Map.of());
        Common common = readCommon(manifest, manifest.requiredString("name"), errors);
        String version = manifest.string("version");
        TransportSpec transport = readTransport(manifest, errors);
        return assemble(common, version, transport, errors);
    }

    private static Registration readWrapped(JsonNode body, List<FieldError> errors) {
        JsonFields wrapper = JsonFields.strict(body, "", errors, WRAPPER_FIELDS, NOT_IN_WRAPPER);
        Common common = readCommon(wrapper, wrapper.string("name"), errors);
        ServerJson.Server server = ServerJson.read(wrapper.get("server"), wrapper.pointer("server"), errors);
        if (server == null) {
            return null;
        }
        String name = common.name() != null ? common.name()
                : derivedName(server.name(), "/server/name", "give the plugin's \"name\" beside \"server\"", errors);
        return assemble(common.withName(name), server.version(), server.transport(), errors);
    }

    private static Registration readBare(JsonNode body, String instanceIdParam, String leaseSecondsParam,
                                         List<FieldError> errors) {
        ServerJson.Server server = ServerJson.read(body, "", errors);
        if (instanceIdParam != null) {
            JsonFields.attempt(errors, INSTANCE_ID_PARAM,
                    () -> new Registration(instanceIdParam, PROBE, null, null, null));
        }
        Duration lease = leaseSecondsParam == null ? null : leaseParameter(leaseSecondsParam, errors);
        if (server == null) {
            return null;
        }
        String name = derivedName(server.name(), "/name", "send it as {\"name\": \"...\", \"server\": {...}} to "
                + "name the plugin", errors);
        Common common = new Common(instanceIdParam, name, null, null, null, 1, lease);
        return assemble(common, server.version(), server.transport(), errors);
    }

    /** The members the manifest and the wrapper share, each checked on its own. */
    private record Common(String instanceId, String name, String namespace, List<Tool> tools,
                          Map<String, String> labels, int weight, Duration lease) {
        Common withName(String newName) {
            return new Common(instanceId, newName, namespace, tools, labels, weight, lease);
        }
    }

    private static Common readCommon(JsonFields fields, String name, List<FieldError> errors) {
        String instanceId = fields.string("instanceId");
        if (instanceId != null) {
            fields.check("instanceId", () -> new Registration(instanceId, PROBE, null, null, null));
        }
        String validName = name == null ? null
                : fields.check("name", () -> PluginManifest.builder(name).transport(PROBE.transport()).build().name());
        String subject = validName == null ? PROBE.name() : validName;
        String namespace = fields.string("namespace");
        if (namespace != null) {
            fields.check("namespace", () -> PluginManifest.builder(subject).namespace(namespace)
                    .transport(PROBE.transport()).build());
        }
        List<JsonNode> toolNodes = fields.array("tools");
        List<Tool> tools = toolNodes == null ? null : readTools(toolNodes, fields.pointer("tools"), errors);
        Map<String, String> labels = fields.stringMap("labels");
        Integer weight = fields.integer("weight");
        if (weight != null) {
            fields.check("weight", () -> PluginManifest.builder(subject).weight(weight)
                    .transport(PROBE.transport()).build());
        }
        Integer leaseSeconds = fields.integer("leaseSeconds", 1, MAX_LEASE_SECONDS);
        return new Common(instanceId, validName, namespace, tools, labels, weight == null ? 1 : weight,
                leaseSeconds == null ? null : Duration.ofSeconds(leaseSeconds));
    }

    private static List<Tool> readTools(List<JsonNode> nodes, String pointer, List<FieldError> errors) {
        List<Tool> tools = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            String at = JsonFields.index(pointer, i);
            JsonNode node = nodes.get(i);
            // A tool definition is MCP's, open to members this gateway does not know: read leniently, as Tool does.
            String name = JsonFields.lenient(node, at, errors).requiredString("name");
            if (name == null) {
                continue;
            }
            Integer first = seen.putIfAbsent(name, i);
            if (first != null) {
                errors.add(new FieldError(JsonFields.child(at, "name"), "tool '" + name + "' is listed twice (also at "
                        + JsonFields.index(pointer, first) + "); give each tool a distinct name"));
                continue;
            }
            Tool tool = JsonFields.attempt(errors, at + culprit(node), () -> Tool.fromJson(node));
            if (tool != null) {
                tools.add(tool);
            }
        }
        return tools;
    }

    /** The member of a tool definition that {@link Tool#fromJson} refuses, to point at it. */
    private static String culprit(JsonNode tool) {
        if (tool.get("name").textValue().isEmpty()) {
            return "/name";
        }
        for (String schema : List.of("inputSchema", "outputSchema")) {
            JsonNode node = tool.get(schema);
            if (node != null && !node.isNull() && !node.isObject()) {
                return "/" + schema;
            }
        }
        return "";
    }

    private static TransportSpec readTransport(JsonFields manifest, List<FieldError> errors) {
        if (!manifest.has("transport")) {
            manifest.error("transport", "required");
            return null;
        }
        // The type says which members the rest may have; read it alone first.
        JsonFields typed = manifest.lenientObject("transport");
        String type = typed.requiredString("type");
        if (type == null) {
            return null;
        }
        return switch (type) {
            case "http" -> {
                JsonFields http = manifest.object("transport", HTTP_FIELDS);
                String url = http.requiredString("url");
                Map<String, String> headers = http.stringMap("headers");
                yield url == null ? null : Transports.http(url, http.pointer("url"),
                        headers == null ? Map.of() : headers, http.pointer("headers"), Map.of(), errors);
            }
            case "stdio" -> {
                JsonFields stdio = manifest.object("transport", STDIO_FIELDS);
                String command = stdio.requiredString("command");
                List<String> args = stdio.stringList("args");
                Map<String, String> env = stdio.stringMap("env");
                String workingDirectory = stdio.string("workingDirectory");
                yield command == null ? null : Transports.stdio(command, stdio.pointer("command"), args, env,
                        workingDirectory, stdio.pointer("workingDirectory"), errors);
            }
            default -> {
                typed.error("type", "must be \"http\" or \"stdio\", got '" + type + "'"
                        + ("in-process".equals(type) ? "; in-process plugins are registered by the host in Java" : ""));
                yield null;
            }
        };
    }

    /** The registration, once every member was read without error. */
    private static Registration assemble(Common common, String version, TransportSpec transport,
                                         List<FieldError> errors) {
        if (!errors.isEmpty() || common.name() == null || transport == null) {
            return null;
        }
        PluginManifest manifest = JsonFields.attempt(errors, "", () -> new PluginManifest(common.name(),
                common.namespace(), version, transport, common.tools(), common.labels(), common.weight(), null));
        InstanceStatus status = common.tools() == null ? InstanceStatus.STARTING : InstanceStatus.UP;
        return manifest == null ? null : JsonFields.attempt(errors, "", () -> new Registration(common.instanceId(),
                manifest, status, common.lease(), RegistrationSource.API));
    }

    private static String derivedName(String serverName, String pointer, String remedy, List<FieldError> errors) {
        String name = ServerJson.pluginName(serverName);
        if (name == null) {
            errors.add(new FieldError(pointer, "'" + serverName + "' gives no plugin name (1-64 characters of A-Z a-z "
                    + "0-9 _ . - starting with a letter or digit); " + remedy));
        }
        return name;
    }

    private static Duration leaseParameter(String text, List<FieldError> errors) {
        String expected = "must be an integer between 1 and " + MAX_LEASE_SECONDS + ", got '" + text + "'";
        try {
            int seconds = Integer.parseInt(text.strip());
            if (seconds >= 1 && seconds <= MAX_LEASE_SECONDS) {
                return Duration.ofSeconds(seconds);
            }
        } catch (NumberFormatException e) {
            // Reported below with the range.
        }
        errors.add(new FieldError(LEASE_SECONDS_PARAM, expected));
        return null;
    }

    private static void rejectParameters(String instanceIdParam, String leaseSecondsParam, List<FieldError> errors) {
        if (instanceIdParam != null) {
            errors.add(new FieldError(INSTANCE_ID_PARAM, "applies to a bare server.json body only; give "
                    + "\"instanceId\" in the body instead"));
        }
        if (leaseSecondsParam != null) {
            errors.add(new FieldError(LEASE_SECONDS_PARAM, "applies to a bare server.json body only; give "
                    + "\"leaseSeconds\" in the body instead"));
        }
    }

    private static ObjectNode writeTransport(TransportSpec transport) {
        ObjectNode out = Json.object();
        switch (transport) {
            case TransportSpec.Http http -> {
                if (!(http.credentials() instanceof UpstreamCredentials.None)) {
                    // The API has no way to say them, and their secret does not belong in a request body.
                    throw new IllegalArgumentException("an HTTP plugin with upstream credentials ("
                            + http.credentials().type() + ") cannot be registered over the API; configure it in the"
                            + " gateway instead");
                }
                out.put("type", "http");
                out.put("url", http.url().toString());
                if (!http.headers().isEmpty()) {
                    ObjectNode headers = out.putObject("headers");
                    new TreeMap<>(http.headers()).forEach(headers::put);
                }
            }
            case TransportSpec.Stdio stdio -> {
                if (stdio.inheritEnv()) {
                    throw new IllegalArgumentException("a stdio plugin that inherits the gateway's environment "
                            + "cannot be registered over the API; pass the variables it needs in env");
                }
                out.put("type", "stdio");
                out.put("command", stdio.command());
                if (!stdio.args().isEmpty()) {
                    ArrayNode args = out.putArray("args");
                    stdio.args().forEach(args::add);
                }
                if (!stdio.env().isEmpty()) {
                    ObjectNode env = out.putObject("env");
                    new TreeMap<>(stdio.env()).forEach(env::put);
                }
                if (stdio.workingDirectory() != null) {
                    out.put("workingDirectory", stdio.workingDirectory().toString());
                }
            }
            case TransportSpec.InProcess inProcess -> throw new IllegalArgumentException("in-process plugin '"
                    + inProcess.handlerId() + "' cannot be registered over the API; the host registers it in Java");
        }
        return out;
    }

    private static long leaseSeconds(Duration lease) {
        long seconds = lease.getSeconds();
        if (lease.getNano() != 0 || seconds < 1 || seconds > MAX_LEASE_SECONDS) {
            throw new IllegalArgumentException("a lease over the API is 1 to " + MAX_LEASE_SECONDS
                    + " whole seconds, got " + lease);
        }
        return seconds;
    }
}
