package dev.mcpgateway.internal.transport.http.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgateway.plugin.TransportSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an MCP registry {@code server.json} (<a href="https://github.com/modelcontextprotocol/registry">the
 * official registry's format</a>, schema
 * {@code https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json}) into what the gateway needs
 * of it: the server's name and version and a transport to reach it.
 *
 * <p>The transport is the first {@code remotes} entry of type {@code streamable-http} or {@code sse} (the HTTP
 * transport falls back to the legacy SSE protocol by itself), else the first package the gateway can run:
 * {@code npm} as {@code npx -y <identifier>@<version>}, {@code pypi} as {@code uvx <identifier>==<version>},
 * {@code oci} as {@code docker run -i --rm <image>} (the identifier is the whole image reference, tag included, in
 * current schemas; an untagged one gets {@code :<version>} when there is one). Runtime arguments go before the
 * package, package arguments after it; a named argument becomes two words ({@code --port 8080}), which every common
 * argument parser accepts. Environment variables are set on the process, and for {@code oci} also passed into the
 * container with {@code -e NAME}. A package whose transport is {@code streamable-http} or {@code sse} is reached at
 * its URL and not run: whoever registers it runs it.
 *
 * <p>Nobody is there to be prompted for inputs, so every value comes from the document: an input's {@code value},
 * else its {@code default}, with {@code {variables}} filled from its {@code variables} the same way. A required input
 * with neither, or a URL still holding a placeholder, is an error saying what to set. Optional inputs without a value
 * are left out.
 *
 * <p>Unlike the gateway's own manifest, members this reader does not use are ignored, not rejected: the format grows
 * with every schema version, and a document valid for the registry must not be refused for a field added since.
 * Members it does use must have the right type.
 */
final class ServerJson {
    private static final Set<String> REMOTE_TYPES = Set.of("streamable-http", "sse");
    private static final List<String> PACKAGE_TYPES = List.of("npm", "pypi", "oci");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");
    private static final Pattern NOT_IN_NAME = Pattern.compile("[^A-Za-z0-9_.-]");
    private static final int MAX_NAME_LENGTH = 64;

    private ServerJson() {
    }

    /**
     * What a server.json says of a plugin.
     *
     * @param name      its registry name, such as {@code io.github.acme/weather}
     * @param version   its version, or null
     * @param transport how to reach it
     */
    record Server(String name, String version, TransportSpec transport) {
    }

    /**
     * Whether a body is a bare server.json rather than the gateway's manifest: its {@code $schema} names the
     * server schema, or it has {@code packages} or {@code remotes} and no {@code transport}.
     */
    static boolean isServerJson(JsonNode body) {
        JsonNode schema = body.get("$schema");
        if (schema != null && schema.isTextual() && schema.textValue().contains("server.schema")) {
            return true;
        }
        return (body.has("packages") || body.has("remotes")) && !body.has("transport");
    }

    /**
     * The plugin name a server name gives: its last {@code /}-segment with characters a plugin name cannot hold made
     * {@code -}, leading ones that cannot start it dropped, at most 64 characters; null when nothing is left.
     */
    static String pluginName(String serverName) {
        String last = serverName.substring(serverName.lastIndexOf('/') + 1);
        String name = NOT_IN_NAME.matcher(last).replaceAll("-").replaceFirst("^[^A-Za-z0-9]+", "");
        name = name.length() > MAX_NAME_LENGTH ? name.substring(0, MAX_NAME_LENGTH) : name;
        return name.isEmpty() ? null : name;
    }

    /**
     * Reads a server.json at {@code pointer}.
     *
     * @return what it says, or null with the errors recorded
     */
    static Server read(JsonNode node, String pointer, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            errors.add(new FieldError(pointer, "required"));
            return null;
        }
        int before = errors.size();
        JsonFields server = JsonFields.lenient(node, pointer, errors);
        String name = server.requiredString("name");
        String version = server.string("version");
        int beforeLists = errors.size();
        List<JsonNode> remotes = server.array("remotes");
        List<JsonNode> packages = server.array("packages");
        boolean listsRead = errors.size() == beforeLists;
        if (!server.present()) {
            return null;
        }
        TransportSpec transport;
        int remote = firstOfType(remotes, "type", REMOTE_TYPES);
        int pkg = firstOfType(packages, "registryType", Set.copyOf(PACKAGE_TYPES));
        if (remote >= 0) {
            String at = JsonFields.index(server.pointer("remotes"), remote);
            transport = remote(JsonFields.lenient(remotes.get(remote), at, errors), errors);
        } else if (pkg >= 0) {
            String at = JsonFields.index(server.pointer("packages"), pkg);
            transport = pkg(JsonFields.lenient(packages.get(pkg), at, errors), version, errors);
        } else {
            // With remotes or packages of the wrong type, that error says it all.
            if (listsRead) {
                errors.add(new FieldError(pointer, "has no remote of type streamable-http or sse and no package of "
                        + "registryType " + String.join(", ", PACKAGE_TYPES) + found(remotes, packages)
                        + "; the gateway cannot reach it: add a \"remotes\" entry with its URL"));
            }
            return null;
        }
        return errors.size() > before ? null : new Server(name, version, transport);
    }

    private static TransportSpec remote(JsonFields remote, List<FieldError> errors) {
        String url = remote.requiredString("url");
        Inputs headers = keyValues(remote.array("headers"), remote.pointer("headers"), "header", errors);
        if (url == null) {
            return null;
        }
        String filled = fill(url, remote.lenientObject("variables"), "URL", errors);
        if (filled == null) {
            return null;
        }
        if (PLACEHOLDER.matcher(filled).find()) {
            remote.error("url", "'" + url + "' still holds " + placeholders(filled) + "; give each a value under "
                    + "\"variables\" in the server.json you send, e.g. \"variables\": {\"" + firstPlaceholder(filled)
                    + "\": {\"value\": \"...\"}}");
            return null;
        }
        return Transports.http(filled, remote.pointer("url"), headers.values(), remote.pointer("headers"),
                headers.pointers(), errors);
    }

    private static TransportSpec pkg(JsonFields pkg, String serverVersion, List<FieldError> errors) {
        int before = errors.size();
        String registryType = pkg.string("registryType");
        String identifier = pkg.requiredString("identifier");
        String version = pkg.string("version");
        if (!pkg.has("transport")) {
            pkg.error("transport", "required");
            return null;
        }
        JsonFields transport = pkg.lenientObject("transport");
        String type = transport.requiredString("type");
        if (type == null || identifier == null || errors.size() > before) {
            return null;
        }
        return switch (type) {
            case "stdio" -> stdio(pkg, registryType, identifier, version, serverVersion, errors);
            case "streamable-http", "sse" -> packageHttp(pkg, transport, errors);
            default -> {
                transport.error("type", "must be stdio, streamable-http or sse, got '" + type + "'");
                yield null;
            }
        };
    }

    /** A package the gateway runs and speaks to over stdin and stdout. */
    private static TransportSpec stdio(JsonFields pkg, String registryType, String identifier, String version,
                                       String serverVersion, List<FieldError> errors) {
        int before = errors.size();
        Inputs env = keyValues(pkg.array("environmentVariables"), pkg.pointer("environmentVariables"),
                "environment variable", errors);
        Arguments runtime = arguments(pkg.array("runtimeArguments"), pkg.pointer("runtimeArguments"), errors);
        Arguments arguments = arguments(pkg.array("packageArguments"), pkg.pointer("packageArguments"), errors);
        if (!"oci".equals(registryType) && version == null) {
            pkg.error("version", "required: the gateway runs the package at a pinned version, such as \""
                    + (serverVersion == null ? "1.0.0" : serverVersion) + "\"");
        }
        if (errors.size() > before) {
            return null;
        }
        String command;
        List<String> args = new ArrayList<>();
        switch (registryType) {
            case "npm" -> {
                command = "npx";
                args.add("-y");
                args.addAll(runtime.words());
                args.add(identifier + "@" + version);
            }
            case "pypi" -> {
                command = "uvx";
                args.addAll(runtime.words());
                args.add(identifier + "==" + version);
            }
            default -> {
                command = "docker";
                args.addAll(List.of("run", "-i", "--rm"));
                args.addAll(runtime.words());
                // The container does not see docker's environment: pass each variable in by name.
                env.values().keySet().forEach(name -> args.addAll(List.of("-e", name)));
                args.add(image(identifier, version));
            }
        }
        args.addAll(arguments.words());
        return Transports.stdio(command, pkg.pointer("identifier"), args, env.values(), null, null, errors);
    }

    /** A package someone else runs, reached at its transport's URL. */
    private static TransportSpec packageHttp(JsonFields pkg, JsonFields transport, List<FieldError> errors) {
        String url = transport.requiredString("url");
        Inputs headers = keyValues(transport.array("headers"), transport.pointer("headers"), "header", errors);
        if (url == null) {
            return null;
        }
        // The URL's placeholders name the package's arguments and variables; their own errors do not matter here,
        // as the gateway does not run the package.
        List<FieldError> ignored = new ArrayList<>();
        Map<String, String> values = new LinkedHashMap<>();
        values.putAll(keyValues(pkg.array("environmentVariables"), "", "environment variable", ignored).values());
        values.putAll(arguments(pkg.array("runtimeArguments"), "", ignored).named());
        values.putAll(arguments(pkg.array("packageArguments"), "", ignored).named());
        String filled = PLACEHOLDER.matcher(url).replaceAll(match -> Matcher.quoteReplacement(
                values.getOrDefault(match.group(1), match.group())));
        if (PLACEHOLDER.matcher(filled).find()) {
            transport.error("url", "'" + url + "' still holds " + placeholders(filled) + "; give the package's "
                    + "arguments or environment variables of those names a \"value\" or \"default\" in the server.json "
                    + "you send, or register the package's URL in a manifest");
            return null;
        }
        return Transports.http(filled, transport.pointer("url"), headers.values(), transport.pointer("headers"),
                headers.pointers(), errors);
    }

    /** The image to run: the identifier, given the version as its tag when it carries neither tag nor digest. */
    private static String image(String identifier, String version) {
        String lastPart = identifier.substring(identifier.lastIndexOf('/') + 1);
        boolean pinned = lastPart.contains(":") || identifier.contains("@");
        return pinned || version == null ? identifier : identifier + ":" + version;
    }

    /** Values by name (headers, environment variables) and where each came from. */
    private record Inputs(Map<String, String> values, Map<String, String> pointers) {
    }

    private static Inputs keyValues(List<JsonNode> list, String pointer, String what, List<FieldError> errors) {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> pointers = new LinkedHashMap<>();
        for (int i = 0; list != null && i < list.size(); i++) {
            JsonFields input = JsonFields.lenient(list.get(i), JsonFields.index(pointer, i), errors);
            String name = input.requiredString("name");
            if (name == null) {
                continue;
            }
            String value = value(input, what + " '" + name + "'", errors);
            if (value != null) {
                values.put(name, value);
                pointers.put(name, JsonFields.index(pointer, i));
            } else if (Boolean.TRUE.equals(input.bool("isRequired")) && unset(input)) {
                errors.add(new FieldError(JsonFields.index(pointer, i), missing(what + " '" + name + "'",
                        "{\"name\": \"" + name + "\", \"value\": \"...\"}")));
            }
        }
        return new Inputs(values, pointers);
    }

    /** Command-line words, and the values of named and hinted arguments for URL placeholders. */
    private record Arguments(List<String> words, Map<String, String> named) {
    }

    private static Arguments arguments(List<JsonNode> list, String pointer, List<FieldError> errors) {
        List<String> words = new ArrayList<>();
        Map<String, String> named = new LinkedHashMap<>();
        for (int i = 0; list != null && i < list.size(); i++) {
            JsonFields argument = JsonFields.lenient(list.get(i), JsonFields.index(pointer, i), errors);
            String type = argument.requiredString("type");
            if (type == null) {
                continue;
            }
            switch (type) {
                case "positional" -> {
                    String hint = argument.string("valueHint");
                    String label = "positional argument" + (hint == null ? " " + i : " '" + hint + "'");
                    String value = value(argument, label, errors);
                    if (value != null) {
                        words.add(value);
                        if (hint != null) {
                            named.put(hint, value);
                        }
                    } else if (Boolean.TRUE.equals(argument.bool("isRequired")) && unset(argument)) {
                        errors.add(new FieldError(JsonFields.index(pointer, i),
                                missing(label, "{\"type\": \"positional\", \"value\": \"...\"}")));
                    }
                }
                case "named" -> {
                    String name = argument.requiredString("name");
                    if (name == null) {
                        continue;
                    }
                    String value = value(argument, "argument '" + name + "'", errors);
                    if (value != null) {
                        words.addAll(List.of(name, value));
                        named.put(name.replaceFirst("^-+", ""), value);
                        named.put(name, value);
                    } else if (Boolean.TRUE.equals(argument.bool("isRequired")) && unset(argument)) {
                        errors.add(new FieldError(JsonFields.index(pointer, i), missing("argument '" + name + "'",
                                "{\"type\": \"named\", \"name\": \"" + name + "\", \"value\": \"...\"}")));
                    }
                }
                default -> argument.error("type", "must be \"positional\" or \"named\", got '" + type + "'");
            }
        }
        return new Arguments(words, named);
    }

    /**
     * An input's value, else its default, with its {@code {variables}} filled; null when it has neither or a
     * variable is missing (then recorded).
     */
    private static String value(JsonFields input, String what, List<FieldError> errors) {
        String value = input.string("value");
        if (value == null) {
            value = input.string("default");
        }
        return value == null ? null : fill(value, input.lenientObject("variables"), what, errors);
    }

    /**
     * Fills the {@code {name}}s of a text that {@code variables} declares with their value or default; others stay
     * as they are, as the schema says. Null when a declared variable has neither (then recorded).
     */
    private static String fill(String text, JsonFields variables, String what, List<FieldError> errors) {
        Matcher matcher = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        boolean complete = true;
        while (matcher.find()) {
            String name = matcher.group(1);
            String replacement = matcher.group();
            if (variables.present() && variables.has(name)) {
                JsonFields variable = variables.lenientObject(name);
                replacement = variable.string("value");
                if (replacement == null) {
                    replacement = variable.string("default");
                }
                if (replacement == null) {
                    errors.add(new FieldError(variables.pointer(name), "variable '" + name + "' of the " + what
                            + " has no value; set its \"value\" in the server.json you send"));
                    complete = false;
                    replacement = matcher.group();
                }
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(out);
        return complete ? out.toString() : null;
    }

    /** Whether an input has neither value nor default (rather than one whose variables are missing). */
    private static boolean unset(JsonFields input) {
        return !input.has("value") && !input.has("default");
    }

    private static String missing(String what, String example) {
        return what + " is required but has no value; set its \"value\" in the server.json you send, e.g. " + example;
    }

    /** The index of the first object element whose {@code member} is one of {@code types}, or -1. */
    private static int firstOfType(List<JsonNode> list, String member, Set<String> types) {
        for (int i = 0; list != null && i < list.size(); i++) {
            JsonNode type = list.get(i).get(member);
            if (type != null && type.isTextual() && types.contains(type.textValue())) {
                return i;
            }
        }
        return -1;
    }

    /** What the document offers instead, for the message when nothing is usable. */
    private static String found(List<JsonNode> remotes, List<JsonNode> packages) {
        List<String> offered = new ArrayList<>();
        for (JsonNode remote : remotes == null ? List.<JsonNode>of() : remotes) {
            offered.add("remote " + remote.path("type").asText("?"));
        }
        for (JsonNode pkg : packages == null ? List.<JsonNode>of() : packages) {
            offered.add("package " + pkg.path("registryType").asText("?"));
        }
        return offered.isEmpty() ? " (it has neither)" : " (it has " + String.join(", ", offered) + ")";
    }

    private static String placeholders(String text) {
        List<String> found = new ArrayList<>();
        PLACEHOLDER.matcher(text).results().forEach(match -> found.add(match.group()));
        return String.join(", ", found);
    }

    private static String firstPlaceholder(String text) {
        Matcher matcher = PLACEHOLDER.matcher(text);
        return matcher.find() ? matcher.group(1) : "";
    }
}
