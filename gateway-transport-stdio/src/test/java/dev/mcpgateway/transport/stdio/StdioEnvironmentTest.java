package dev.mcpgateway.transport.stdio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.transport.stdio.testserver.EnvProbeGatewayMain;
import dev.mcpgateway.transport.stdio.testserver.JavaMain;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a stdio plugin sees of the gateway's environment, with real processes: a gateway JVM whose environment the
 * test sets (it holds a secret) launches plugins that report theirs.
 */
class StdioEnvironmentTest {
    private static final String SECRET = "s3cret-of-the-gateway";
    private static final long EXIT_SECONDS = 60;
    private static Map<String, JsonNode> seen;
    private static Map<String, String> gatewayEnvironment;

    @BeforeAll
    static void probe() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(JavaMain.executable());
        command.addAll(JavaMain.args(EnvProbeGatewayMain.class));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        Map<String, String> environment = builder.environment();
        environment.clear();
        environment.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        environment.put("HOME", System.getProperty("user.home"));
        environment.put("LANG", "C.UTF-8");
        environment.put("LC_TIME", "C.UTF-8");
        environment.put("GATEWAY_SECRET", SECRET);
        environment.put("AWS_SECRET_ACCESS_KEY", "another-secret");
        environment.put("BASH_FUNC_probe%%", "() { echo exported shell function; }");
        gatewayEnvironment = Map.copyOf(environment);
        Process gateway = builder.start();
        try {
            String output = new String(gateway.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(gateway.waitFor(EXIT_SECONDS, TimeUnit.SECONDS), "the probe gateway did not exit");
            assertEquals(0, gateway.exitValue(), output);
            seen = new HashMap<>();
            for (String line : output.strip().split("\n")) {
                JsonNode plugin = Json.mapper().readTree(line);
                seen.put(plugin.get("plugin").textValue(), plugin);
            }
        } finally {
            gateway.destroyForcibly();
        }
    }

    @Test
    void aPluginSeesOnlyThePathHomeAndLocaleOfTheGatewaysEnvironment() {
        JsonNode plain = seen.get("plain");
        assertEquals(Set.of("HOME", "LANG", "LC_TIME", "PATH"), keys(plain));
        assertTrue(plain.get("value").isNull(), "the gateway's secret reached the plugin");
    }

    @Test
    void aVariableConfiguredForOnePluginIsSeenByItAloneAndTheSourceVariableByNone() {
        JsonNode configured = seen.get("configured");
        assertEquals(Set.of("HOME", "LANG", "LC_TIME", "PATH", "TOKEN"), keys(configured));
        assertTrue(configured.get("value").isNull(), "GATEWAY_SECRET itself is not passed on");
        assertTrue(!keys(seen.get("plain")).contains("TOKEN") && !keys(seen.get("inheriting")).contains("TOKEN"),
                "another plugin sees the variable configured for 'configured'");
    }

    @Test
    void inheritEnvPassesTheWholeEnvironment() {
        JsonNode inheriting = seen.get("inheriting");
        assertEquals(new TreeSet<>(gatewayEnvironment.keySet()), keys(inheriting));
        assertEquals(SECRET, inheriting.get("value").textValue());
    }

    private static Set<String> keys(JsonNode plugin) {
        Set<String> keys = new TreeSet<>();
        plugin.get("envKeys").forEach(key -> keys.add(key.textValue()));
        return keys;
    }
}
