package dev.mcpgateway.examples.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps docs/CONFIGURATION.md honest: its YAML is a configuration the runner accepts, it lists every environment
 * variable the runner reads with the setting it overrides, and every top-level section.
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
