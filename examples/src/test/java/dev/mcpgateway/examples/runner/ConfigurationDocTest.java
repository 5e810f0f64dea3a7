package dev.mcpgateway.examples.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps docs/CONFIGURATION.md honest: its YAML is a configuration the runner accepts, it lists every environment
 * variable the runner reads with the setting it overrides, every top-level section, and every key the runner accepts
 * (found by walking {@link RunnerConfig}'s records, as the loader reads them) in one of its YAML examples.
 */
class ConfigurationDocTest {
    private static final Path DOC = Path.of("..", "docs", "CONFIGURATION.md");
    private static final Pattern YAML = Pattern.compile("(?ms)^```yaml\\n(.*?)^```$");

    @TempDir
    Path dir;

    @Test
    void itsYamlIsAValidConfigurationWithEverySection() throws IOException {
        Matcher yaml = YAML.matcher(Files.readString(DOC));
        assertTrue(yaml.find(), "the document shows the file");
        String text = yaml.group(1);
        RunnerConfig config = ConfigLoader.load(Files.writeString(dir.resolve("gateway.yaml"), text),
                Map.of("FILES_ROOT", "/tmp"));
        assertEquals(List.of("files"), config.plugins().stream().map(RunnerConfig.Plugin::name).toList());
        for (var section : RunnerConfig.class.getRecordComponents()) {
            assertTrue(text.contains("\n" + section.getName() + ":") || text.startsWith(section.getName() + ":"),
                    "the document shows the " + section.getName() + " section");
        }
    }

    @Test
    void everyYamlBlockIsAcceptedByTheLoader() throws IOException {
        // The TLS examples name files under /etc/mcp-gateway/, which must be readable: made here.
        for (String file : List.of("cert.pem", "key.pem", "gateway.p12")) {
            Files.writeString(dir.resolve(file), "");
        }
        Matcher yaml = YAML.matcher(Files.readString(DOC));
        int blocks = 0;
        while (yaml.find()) {
            String text = yaml.group(1).replace("/etc/mcp-gateway/", dir + "/");
            ConfigLoader.load(Files.writeString(dir.resolve("block" + ++blocks + ".yaml"), text),
                    Map.of("FILES_ROOT", "/tmp", "FILES_CLIENT_SECRET", "secret", "INTROSPECTION_SECRET", "secret",
                            "KEYSTORE_PASSWORD", "secret"));
        }
        assertTrue(blocks >= 4, "the document shows the file, its alternatives and the credentials");
    }

    @Test
    void itsYamlShowsEveryKeyTheRunnerAccepts() throws IOException {
        Set<String> shown = new TreeSet<>();
        Matcher yaml = YAML.matcher(Files.readString(DOC));
        ObjectMapper mapper = new ObjectMapper(new YAMLFactory());
        while (yaml.find()) {
            shown(RunnerConfig.class, mapper.readTree(yaml.group(1)), "", shown);
        }
        Set<String> missing = new TreeSet<>(keys(RunnerConfig.class, "", new TreeSet<>()));
        missing.removeAll(shown);
        assertEquals(Set.of(), missing, "keys the runner accepts that no YAML block of the document shows");
    }

    /**
     * Every key of a configuration record, as a path: nested records' keys after a dot, a list's entries' keys after
     * {@code []}, a map's values' keys after {@code .*}.
     */
    static Set<String> keys(Class<?> type, String prefix, Set<String> keys) {
        for (RecordComponent component : type.getRecordComponents()) {
            String path = prefix + component.getName();
            keys.add(path);
            Class<?> nested = nested(component.getGenericType());
            if (nested != null) {
                keys(nested, path + suffix(component.getType()), keys);
            }
        }
        return keys;
    }

    /** The keys of {@code node} that {@code type} reads, as {@link #keys} names them. */
    private static void shown(Class<?> type, JsonNode node, String prefix, Set<String> shown) {
        if (node == null || !node.isObject()) {
            return;
        }
        for (RecordComponent component : type.getRecordComponents()) {
            JsonNode value = node.get(component.getName());
            if (value == null) {
                continue;
            }
            String path = prefix + component.getName();
            shown.add(path);
            Class<?> nested = nested(component.getGenericType());
            if (nested == null) {
                continue;
            }
            String next = path + suffix(component.getType());
            if (List.class.isAssignableFrom(component.getType())) {
                value.forEach(entry -> shown(nested, entry, next, shown));
            } else if (Map.class.isAssignableFrom(component.getType())) {
                value.forEach(entry -> shown(nested, entry, next, shown));
            } else {
                shown(nested, value, next, shown);
            }
        }
    }

    /** The record a component holds, directly, as a list's entries or as a map's values; null if none. */
    private static Class<?> nested(Type type) {
        if (type instanceof Class<?> plain) {
            return plain.isRecord() ? plain : null;
        }
        if (type instanceof ParameterizedType generic) {
            Type[] arguments = generic.getActualTypeArguments();
            return nested(arguments[arguments.length - 1]);
        }
        return null;
    }

    private static String suffix(Class<?> container) {
        return List.class.isAssignableFrom(container) ? "[]." : Map.class.isAssignableFrom(container) ? ".*." : ".";
    }

    @Test
    void itListsEveryVariableWithTheSettingItOverrides() throws IOException {
        String doc = Files.readString(DOC);
        List<String> missing = new ArrayList<>();
        EnvironmentOverrides.variables().forEach((variable, path) -> {
            if (!doc.contains("| `" + path + "` | `" + variable + "` |")) {
                missing.add(variable);
            }
        });
        assertEquals(List.of(), missing, "variables the document does not list");
        for (String seed : List.of("GATEWAY_HOST", "GATEWAY_PORT", "HEALTH_CHECK_INTERVAL", "POSTGRES_HOST",
                "REDIS_HOST", "AUTH_PROVIDER")) {
            assertTrue(doc.contains("`" + seed + "`"), seed);
        }
    }
}
