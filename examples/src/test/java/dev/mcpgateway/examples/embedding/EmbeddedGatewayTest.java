package dev.mcpgateway.examples.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.examples.SdkClients;
import dev.mcpgateway.examples.demo.DemoProcesses;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link EmbeddedGateway} run as written, in its own JVM: an MCP client calls its tool at the endpoint it prints, and
 * when its input ends it exits by itself, which it could not while any non-daemon thread it started still ran.
 */
@Timeout(60)
class EmbeddedGatewayTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void servesItsToolOverHttpThenClosesEverythingAndExitsWhenItsInputEnds() throws Exception {
        List<String> command = DemoProcesses.command(EmbeddedGateway.class);
        command.add("0");
        Path stderr = dir.resolve("stderr.txt");
        Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        try {
            BufferedReader stdout = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line = stdout.readLine();
            assertTrue(line != null && line.startsWith("MCP endpoint: "), line + "\n" + Files.readString(stderr));
            URI endpoint = URI.create(line.substring("MCP endpoint: ".length()));
            assertEquals("127.0.0.1", endpoint.getHost());

            McpSyncClient client = McpClient.sync(SdkClients.streamableHttp(endpoint)).requestTimeout(WAIT).build();
            try {
                client.initialize();
                assertEquals(List.of("greeter__hello"), SdkClients.toolNames(client));
                assertEquals("Hello, Ada!", SdkClients.callText(client, "greeter__hello", Map.of("name", "Ada")));
            } finally {
                client.closeGracefully();
            }

            process.getOutputStream().close();
            assertTrue(process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS),
                    "the JVM must exit once main returns: no thread of the gateway may be left\n"
                            + Files.readString(stderr));
            assertEquals(0, process.exitValue(), Files.readString(stderr));
            assertNull(stdout.readLine(), "it prints the endpoint alone");
        } finally {
            process.destroyForcibly();
        }
    }
}
