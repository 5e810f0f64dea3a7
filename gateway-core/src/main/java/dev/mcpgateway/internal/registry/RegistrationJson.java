package dev.mcpgateway.internal.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.auth.UpstreamCredentials;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.mcp.CacheHint;
import dev.mcpgateway.mcp.Tool;
import dev.mcpgateway.plugin.InstanceStatus;
import dev.mcpgateway.plugin.PluginCatalog;
import dev.mcpgateway.plugin.PluginManifest;
import dev.mcpgateway.plugin.Registration;
import dev.mcpgateway.plugin.RegistrationSource;
import dev.mcpgateway.plugin.TransportSpec;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@link Registration} as the text a {@code RegistryStore} keeps, and back: the instance id, the whole manifest
 * (tools as their servers defined them, catalog, labels, weight, transport), the initial status, the lease and the
 * source. Versioned ({@code "format": 1}), so a later gateway can still read what an earlier one kept, and refuses a
 * format it does not know rather than guessing.
 *
 * <p>The text holds what the transport holds, header values and stdio variables included, which are credentials more
 * often than not: never log it. Upstream credentials other than none are refused: they hold the gateway's client
 * secret and a clock, belong to the gateway's own configuration, and the management API never carries them.
 */
public final class RegistrationJson {
    /** The format written; the only one read. */
    static final int FORMAT = 1;

    private RegistrationJson() {
    }

    /**
     * The registration as JSON text.
     *
     * @throws IllegalArgumentException for an HTTP transport with upstream credentials, which are not kept
     */
    public static String write(Registration registration) {
        ObjectNode out = Json.object();
        out.put("format", FORMAT);
        if (registration.instanceId() != null) {
            out.put("instanceId", registration.instanceId());
        }
        out.put("status", registration.initialStatus().name());
        if (registration.lease() != null) {
            out.put("leaseMillis", registration.lease().toMillis());
        }
        out.put("source", registration.source().name());
        out.set("manifest", manifest(registration.manifest()));
        try {
            return Json.mapper().writeValueAsString(out);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a registration could not be written as JSON", e);
        }
    }

    /**
     * The registration the text describes.
     *
     * @throws IllegalArgumentException when it is not a registration of a known format; the message names what is
     *                                  wrong, never the text itself
     */
    public static Registration read(String text) {
        JsonNode in;
        try {
            in = Json.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            // Not the parser's message: it quotes the text, which may hold credentials.
            throw new IllegalArgumentException("a kept registration is not JSON");
        }
        if (in == null || !in.isObject()) {
            throw new IllegalArgumentException("a kept registration is not a JSON object");
        }
        int format = in.path("format").asInt(-1);
        if (format != FORMAT) {
            throw new IllegalArgumentException("a kept registration has format " + in.path("format")
                    + ", which this gateway does not read (it reads format " + FORMAT + ")");
        }
        JsonNode lease = in.get("leaseMillis");
        return new Registration(textOrNull(in, "instanceId"), manifest(required(in, "manifest")),
                InstanceStatus.valueOf(requiredText(in, "status")),
                lease == null ? null : Duration.ofMillis(lease.asLong()),
                RegistrationSource.valueOf(requiredText(in, "source")));
    }

    private static ObjectNode manifest(PluginManifest manifest) {
        ObjectNode out = Json.object();
        out.put("name", manifest.name());
        out.put("namespace", manifest.namespace());
        out.put("version", manifest.version());
        out.put("weight", manifest.weight());
        out.set("labels", stringMap(manifest.labels()));
        ArrayNode tools = out.putArray("tools");
        manifest.tools().forEach(tool -> tools.add(tool.json()));
        out.set("transport", transport(manifest));
        out.set("catalog", catalog(manifest.catalog()));
        return out;
    }

    private static PluginManifest manifest(JsonNode in) {
        List<Tool> tools = new ArrayList<>();
        in.path("tools").forEach(tool -> tools.add(Tool.fromJson(tool)));
        return new PluginManifest(requiredText(in, "name"), textOrNull(in, "namespace"), textOrNull(in, "version"),
                transport(required(in, "transport")), tools, stringMap(in.path("labels")), in.path("weight").asInt(1),
                catalog(in.path("catalog")));
    }

    private static ObjectNode transport(PluginManifest manifest) {
        ObjectNode out = Json.object();
        out.put("type", manifest.transport().type());
        switch (manifest.transport()) {
            case TransportSpec.Http http -> {
                if (!(http.credentials() instanceof UpstreamCredentials.None)) {
                    throw new IllegalArgumentException("plugin '" + manifest.name() + "' has upstream credentials ("
                            + http.credentials().type() + "), which are not kept in the registry store; declare it in"
                            + " the gateway's configuration instead");
                }
                out.put("url", http.url().toString());
                out.set("headers", stringMap(http.headers()));
            }
            case TransportSpec.Stdio stdio -> {
                out.put("command", stdio.command());
                ArrayNode args = out.putArray("args");
                stdio.args().forEach(args::add);
                out.set("env", stringMap(stdio.env()));
                out.put("inheritEnv", stdio.inheritEnv());
                if (stdio.workingDirectory() != null) {
                    out.put("workingDirectory", stdio.workingDirectory().toString());
                }
            }
            case TransportSpec.InProcess inProcess -> out.put("handlerId", inProcess.handlerId());
        }
        return out;
    }

    private static TransportSpec transport(JsonNode in) {
        String type = requiredText(in, "type");
        return switch (type) {
            case "http" -> new TransportSpec.Http(URI.create(requiredText(in, "url")), stringMap(in.path("headers")));
            case "stdio" -> {
                List<String> args = new ArrayList<>();
                in.path("args").forEach(arg -> args.add(arg.asText()));
                String directory = textOrNull(in, "workingDirectory");
                yield new TransportSpec.Stdio(requiredText(in, "command"), args, stringMap(in.path("env")),
                        in.path("inheritEnv").asBoolean(false), directory == null ? null : Path.of(directory));
            }
            case "in-process" -> new TransportSpec.InProcess(requiredText(in, "handlerId"));
            default -> throw new IllegalArgumentException("a kept registration has transport type '" + type
                    + "', which this gateway does not know");
        };
    }

    private static ObjectNode catalog(PluginCatalog catalog) {
        ObjectNode out = Json.object();
        out.set("resources", array(catalog.resources()));
        out.set("resourceTemplates", array(catalog.resourceTemplates()));
        out.set("prompts", array(catalog.prompts()));
        ObjectNode hints = out.putObject("listHints");
        new TreeMap<>(catalog.listHints()).forEach((method, hint) -> {
            ObjectNode written = hints.putObject(method);
            if (hint.ttl() != null) {
                written.put("ttlMillis", hint.ttl().toMillis());
            }
            if (hint.scope() != null) {
                written.put("scope", hint.scope().name());
            }
        });
        return out;
    }

    private static PluginCatalog catalog(JsonNode in) {
        Map<String, CacheHint> hints = new LinkedHashMap<>();
        in.path("listHints").properties().forEach(entry -> {
            JsonNode ttl = entry.getValue().get("ttlMillis");
            JsonNode scope = entry.getValue().get("scope");
            hints.put(entry.getKey(), new CacheHint(ttl == null ? null : Duration.ofMillis(ttl.asLong()),
                    scope == null ? null : CacheHint.Scope.valueOf(scope.asText())));
        });
        return new PluginCatalog(objects(in.path("resources")), objects(in.path("resourceTemplates")),
                objects(in.path("prompts")), hints);
    }

    private static ArrayNode array(List<ObjectNode> objects) {
        ArrayNode out = Json.nodes().arrayNode();
        objects.forEach(object -> out.add(object.deepCopy()));
        return out;
    }

    private static List<ObjectNode> objects(JsonNode in) {
        List<ObjectNode> out = new ArrayList<>();
        for (JsonNode node : in) {
            if (!node.isObject()) {
                throw new IllegalArgumentException("a kept registration's catalog holds a " + node.getNodeType()
                        + " where an object belongs");
            }
            out.add((ObjectNode) node);
        }
        return out;
    }

    private static ObjectNode stringMap(Map<String, String> map) {
        ObjectNode out = Json.object();
        new TreeMap<>(map).forEach(out::put); // sorted: the same registration is always the same text
        return out;
    }

    private static Map<String, String> stringMap(JsonNode in) {
        Map<String, String> out = new LinkedHashMap<>();
        in.properties().forEach(entry -> out.put(entry.getKey(), entry.getValue().asText()));
        return out;
    }

    private static JsonNode required(JsonNode in, String field) {
        JsonNode value = in.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("a kept registration lacks '" + field + "'");
        }
        return value;
    }

    private static String requiredText(JsonNode in, String field) {
        return required(in, field).asText();
    }

    private static String textOrNull(JsonNode in, String field) {
        JsonNode value = in.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
