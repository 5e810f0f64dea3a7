package dev.mcpgateway.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mcpgateway.GatewayConfig;
import dev.mcpgateway.balancer.LoadBalancer;
import dev.mcpgateway.examples.embedding.EmbeddedGateway;
import dev.mcpgateway.examples.runner.ConfigException;
import dev.mcpgateway.examples.runner.ConfigLoader;
import dev.mcpgateway.examples.runner.RunnerConfig;
import dev.mcpgateway.naming.ToolNaming;
import dev.mcpgateway.routing.RouteTarget;
import dev.mcpgateway.routing.RoutingRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the README honest: its commands are the ones CI and the scripts run, each Java block is code from a source
 * file that a test runs, each YAML block is a configuration the runner accepts, and the error it quotes is the one a
 * user gets. The runner itself is exercised by {@link RunnerJarIT}.
 */
class ReadmeTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern BLOCK = Pattern.compile("(?ms)^```(\\w+)\\n(.*?)^```$");

    @TempDir
    Path dir;

    @Test
    void theTwoSetUpCommandsAreTheRunScriptAndTheTestCommandCiRuns() throws IOException {
        List<String> bash = blocks("bash");
        assertEquals(1, bash.size(), "one set of commands, at the top");
        List<String> commands = bash.getFirst().lines().map(ReadmeTest::withoutComment).toList();
        assertEquals(List.of("./mcp-gateway", "./mvnw verify"), commands);
        assertTrue(Files.isExecutable(REPO.resolve("mcp-gateway")));
        String ci = Files.readString(REPO.resolve(".ci/run"));
        assertTrue(ci.strip().endsWith("./mvnw -B -ntp verify"), "CI runs the README's test command:\n" + ci);
        assertTrue(readme().indexOf("```bash") < readme().indexOf("## A tour"), "the commands come first");
    }

    @Test
    void theBenchmarkCommandAndTheDocumentsItNamesExist() throws IOException {
        String readme = readme();
        assertTrue(readme.contains("`gateway-benchmarks/run`"), "the README names the benchmark command");
        assertTrue(Files.isExecutable(REPO.resolve("gateway-benchmarks/run")));
        // Its links, and every other document's, are checked by DocsLinksTest.
    }

    @Test
    void everyJavaBlockIsCodeFromASourceFileTheTestsRun() throws IOException {
        List<String> sources;
        try (Stream<Path> files = Files.walk(REPO)) {
            sources = files.filter(file -> file.toString().endsWith(".java"))
                    .filter(file -> file.toString().contains("/src/"))
                    .map(ReadmeTest::normalizedSource)
                    .toList();
        }
        List<String> java = blocks("java");
        assertFalse(java.isEmpty());
        for (String block : java) {
            String code = normalized(block);
            assertTrue(sources.stream().anyMatch(source -> source.contains(code)),
                    "this README block is not in any source file; copy it from the code a test runs:\n" + block);
        }
    }

    /**
     * The embedding block is a whole class, so that a host can copy it into its own project as it stands:
     * {@link EmbeddedGateway}, which EmbeddedGatewayTest runs as written.
     */
    @Test
    void theEmbeddingBlockIsTheWholeSourceOfEmbeddedGateway() throws IOException {
        String source = Files.readString(REPO.resolve("examples/src/main/java/"
                + EmbeddedGateway.class.getName().replace('.', '/') + ".java"));
        assertTrue(blocks("java").contains(source), "copy EmbeddedGateway.java whole into the README:\n" + source);
    }

    @Test
    void everyYamlBlockIsAConfigurationTheRunnerAccepts() throws IOException {
        List<String> yaml = blocks("yaml");
        assertFalse(yaml.isEmpty());
        for (String block : yaml) {
            RunnerConfig config = ConfigLoader.load(Files.writeString(dir.resolve("gateway.yaml"), block), Map.of());
            assertEquals(List.of("files", "weather"), config.plugins().stream().map(RunnerConfig.Plugin::name).toList());
            assertEquals("Bearer none", config.plugins().get(1).headers().get("Authorization"));
        }
    }

    @Test
    void everyYamlBlockOfTheHealthGuideIsAConfigurationTheRunnerAccepts() throws IOException {
        List<String> yaml = blocks(Files.readString(REPO.resolve("docs/HEALTH.md")), "yaml");
        assertFalse(yaml.isEmpty());
        for (String block : yaml) {
            RunnerConfig config = ConfigLoader.load(Files.writeString(dir.resolve("gateway.yaml"), block), Map.of());
            GatewayConfig gateway = config.gatewayConfig();
            for (RunnerConfig.Plugin plugin : config.plugins()) {
                if (plugin.health() != null) {
                    assertNotEquals(gateway.healthChecks(), gateway.healthChecksOf(plugin.name()),
                            "plugin '" + plugin.name() + "' is probed its own way");
                }
            }
        }
    }

    @Test
    void theQuotedConfigErrorIsTheOneAUserGets() throws IOException {
        Matcher quoted = Pattern.compile("`(config error in gateway\\.yaml[^`]*)`").matcher(readme().replace("\n", " "));
        assertTrue(quoted.find(), "the README quotes a config error");
        Path file = Files.writeString(dir.resolve("gateway.yaml"), "plugins:\n  - name: files\n    comand: npx\n");
        ConfigException error = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> ConfigLoader.load(file, Map.of()));
        assertEquals(quoted.group(1), error.getMessage());
    }

    @Test
    void theClaudeDesktopEntryLaunchesTheScriptOverStdio() throws IOException {
        List<String> json = blocks("json");
        assertEquals(1, json.size());
        JsonNode server = new ObjectMapper().readTree(json.getFirst()).path("mcpServers").path("gateway");
        assertTrue(server.path("command").asText().endsWith("/mcp-gateway"), server.toString());
        assertEquals("[\"--stdio\"]", server.path("args").toString());
    }

    /** The README's configuration snippet, built: it is valid as written. */
    @Test
    void configuringRoutingRulesBalancersAndNaming() {
        GatewayConfig config = GatewayConfig.builder()
                .loadBalancer(LoadBalancer.leastConnections())
                .routingRule(RoutingRule.forTools("github/*").name("v2-canary")
                        .target(RouteTarget.versions("1.x").weight(90))
                        .target(RouteTarget.versions(">=2.0.0 <3").weight(10))
                        .build())
                .routingRule(RoutingRule.forTools("filesystem/*")
                        .target(RouteTarget.labels("cluster=files")).build())
                .toolNaming(ToolNaming.namespaced())
                .build();

        assertEquals(2, config.routingRules().size());
        assertEquals("least-connections", config.loadBalancer().name());
    }

    private static String readme() throws IOException {
        return Files.readString(REPO.resolve("README.md"));
    }

    private static List<String> blocks(String language) throws IOException {
        return blocks(readme(), language);
    }

    private static List<String> blocks(String markdown, String language) {
        List<String> blocks = new ArrayList<>();
        Matcher matcher = BLOCK.matcher(markdown);
        while (matcher.find()) {
            if (matcher.group(1).equals(language)) {
                blocks.add(matcher.group(2));
            }
        }
        return blocks;
    }

    /** Code without its comments, indentation and blank lines, so formatting and remarks may differ. */
    private static String normalized(String code) {
        return code.lines().map(ReadmeTest::withoutComment).filter(line -> !line.isEmpty())
                .collect(Collectors.joining("\n"));
    }

    private static String withoutComment(String line) {
        return line.replaceAll("\\s+(//|#)\\s.*$", "").strip();
    }

    private static String normalizedSource(Path file) {
        try {
            return normalized(Files.readString(file));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }
}
