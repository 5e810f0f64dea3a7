package dev.mcpgateway.examples.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The diff a reload applies: plugins added, removed and changed by name, rules replaced only when they differ. */
class ConfigDiffTest {
    private static final Map<String, String> NO_ENV = Map.of();

    @Test
    void pluginsAreAddedRemovedAndChangedByName() {
        RunnerConfig before = parse("""
                plugins:
                  - { name: weather, transport: http, url: "http://127.0.0.1:8081/mcp" }
                  - { name: files, transport: stdio, command: java, args: [-jar, files.jar] }
                  - { name: clock, transport: http, url: "http://127.0.0.1:8082/mcp" }
                """);
        RunnerConfig after = parse("""
                plugins:
                  - { name: clock, transport: http, url: "http://127.0.0.1:8082/mcp" }
                  - { name: files, transport: stdio, command: java, args: [-jar, files-2.jar] }
                  - { name: notes, transport: stdio, command: notes }
                """);

        ConfigDiff diff = ConfigDiff.between(before, after);

        assertEquals(List.of("notes"), names(diff.added()));
        assertEquals(List.of("weather"), names(diff.removed()));
        assertEquals(List.of("files"), names(diff.changed()));
        assertEquals(List.of("-jar", "files-2.jar"), diff.changed().getFirst().args(), "the new settings");
        assertFalse(diff.rulesChanged());
        assertEquals("+notes, -weather, ~files", diff.summary());
    }

    @Test
    void everySettingOfItsInstancesChangesAPlugin() {
        String base = "plugins: [{ name: files, transport: stdio, command: java %s }]\n";
        RunnerConfig before = parse(base.formatted(""));
        for (String setting : List.of(", args: [x]", ", env: { ROOT: /tmp }", ", inheritEnv: true", ", instances: 2",
                ", weight: 3", ", version: 2.0.0", ", labels: { region: eu }", ", namespace: docs")) {
            ConfigDiff diff = ConfigDiff.between(before, parse(base.formatted(setting)));
            assertEquals(List.of("files"), names(diff.changed()), setting);
        }
    }

    @Test
    void settingsTheGatewayHoldsByNameAndOrderDoNotRestartAPlugin() {
        RunnerConfig before = parse("""
                plugins:
                  - { name: a, transport: stdio, command: a }
                  - { name: b, transport: stdio, command: b }
                """);
        RunnerConfig after = parse("""
                plugins:
                  - { name: b, transport: stdio, command: b }
                  - { name: a, transport: stdio, command: a, timeout: 5s, trustAnnotations: false,
                      toolTimeouts: { slow: 1m }, health: { interval: 1s } }
                """);

        ConfigDiff diff = ConfigDiff.between(before, after);

        assertTrue(diff.isEmpty(), diff.summary());
        assertEquals("no changes", diff.summary());
    }

    @Test
    void rulesAreReplacedWhenTheyDifferInAnyWay() {
        String rules = """
                routing:
                  rules:
                    - { name: canary, match: "files/*", targets: [{ weight: %d, versions: ">=2" }, { weight: 10 }] }
                """;
        RunnerConfig ninety = parse(rules.formatted(90));

        assertFalse(ConfigDiff.between(ninety, parse(rules.formatted(90))).rulesChanged());
        ConfigDiff fifty = ConfigDiff.between(ninety, parse(rules.formatted(50)));
        assertTrue(fifty.rulesChanged());
        assertEquals(50, fifty.rules().getFirst().targets().getFirst().weight());
        assertEquals("rules replaced (1)", fifty.summary());
        ConfigDiff none = ConfigDiff.between(ninety, parse("plugins: []\n"));
        assertEquals("rules replaced (0)", none.summary(), "removing every rule replaces them with none");
    }

    private static RunnerConfig parse(String yaml) {
        return ConfigLoader.parse("test.yaml", yaml, NO_ENV);
    }

    private static List<String> names(List<RunnerConfig.Plugin> plugins) {
        return plugins.stream().map(RunnerConfig.Plugin::name).toList();
    }
}
