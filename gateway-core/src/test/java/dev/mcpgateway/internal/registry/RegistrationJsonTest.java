package dev.mcpgateway.internal.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.auth.ClientCredentialsOptions;
import dev.mcpgateway.auth.UpstreamCredentials;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.mcp.CacheHint;
import dev.mcpgateway.mcp.Tool;
import dev.mcpgateway.mcp.ToolAnnotations;
import dev.mcpgateway.plugin.InstanceStatus;
import dev.mcpgateway.plugin.PluginCatalog;
import dev.mcpgateway.plugin.PluginManifest;
import dev.mcpgateway.plugin.Registration;
import dev.mcpgateway.plugin.RegistrationSource;
import dev.mcpgateway.plugin.TransportSpec;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A registration written for the registry store reads back equal, field for field, for every transport. */
class RegistrationJsonTest {

    private static PluginManifest.Builder rich(TransportSpec transport) {
        ObjectNode schema = Json.object().put("type", "object");
        schema.putObject("properties").putObject("path").put("type", "string");
        ObjectNode meta = Json.object().put("vendor", "acme");
        ObjectNode resource = Json.object().put("uri", "file:///a.txt").put("name", "a");
        ObjectNode template = Json.object().put("uriTemplate", "file:///{path}").put("name", "files");
        ObjectNode prompt = Json.object().put("name", "summarize");
        return PluginManifest.builder("files").namespace("fs").version("1.2.3-rc.1").transport(transport).weight(7)
                .label("region", "eu").label("tier", "gold")
                .tool(Tool.builder("read").title("Read").description("reads a file").inputSchema(schema)
                        .outputSchema(Json.object().put("type", "object")).meta(meta)
                        .annotations(new ToolAnnotations("Read it", true, false, true, null)).build())
                .tool(Tool.builder("list").build())
                .catalog(new PluginCatalog(List.of(resource), List.of(template), List.of(prompt),
                        Map.of("tools/list", new CacheHint(Duration.ofMillis(1500), CacheHint.Scope.PUBLIC),
                                "prompts/list", new CacheHint(null, CacheHint.Scope.PRIVATE),
                                "resources/list", new CacheHint(Duration.ZERO, null))));
    }

    private static void assertRoundTrip(Registration registration) {
        String text = RegistrationJson.write(registration);
        assertTrue(text.contains("\"format\":1"), text);
        Registration read = RegistrationJson.read(text);
        assertEquals(registration, read);
        assertEquals(registration.manifest().tools().get(0).json(), read.manifest().tools().get(0).json());
        assertEquals(text, RegistrationJson.write(read), "the same registration is the same text");
    }

    @Test
    void anHttpRegistrationWithEveryFieldReadsBackEqual() {
        TransportSpec http = new TransportSpec.Http(URI.create("https://files.example.com/mcp"),
                Map.of("X-Api-Key", "secret", "X-Tenant", "t1"));
        assertRoundTrip(new Registration("files-eu-1", rich(http).build(), InstanceStatus.STARTING,
                Duration.ofSeconds(90), RegistrationSource.API));
    }

    @Test
    void aStdioRegistrationKeepsCommandArgsEnvAndDirectory() {
        TransportSpec stdio = new TransportSpec.Stdio("node", List.of("server.js", "--port", "0"),
                Map.of("TOKEN", "t"), true, Path.of("/srv/files"));
        assertRoundTrip(new Registration("files-1", rich(stdio).build(), InstanceStatus.UP, Duration.ofMillis(1234),
                RegistrationSource.API));
        assertRoundTrip(new Registration("files-2", rich(TransportSpec.Stdio.of("true")).build(),
                InstanceStatus.OUT_OF_SERVICE, null, RegistrationSource.CONFIG));
    }

    @Test
    void aMinimalRegistrationKeepsItsDefaults() {
        PluginManifest bare = PluginManifest.builder("bare").transport(new TransportSpec.InProcess("h-1")).build();
        Registration registration = Registration.of(bare);
        Registration read = RegistrationJson.read(RegistrationJson.write(registration));
        assertEquals(registration, read);
        assertEquals(null, read.instanceId());
        assertEquals(PluginCatalog.EMPTY, read.manifest().catalog());
    }

    @Test
    void upstreamCredentialsAreNotKept() {
        ClientCredentialsOptions options = ClientCredentialsOptions.builder().tokenEndpoint("https://auth.example.com/t")
                .client("gateway", "s3cret").build();
        TransportSpec http = TransportSpec.Http.of("https://files.example.com/mcp")
                .withCredentials(UpstreamCredentials.clientCredentials(options));
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> RegistrationJson.write(Registration.of(rich(http).build())));
        assertTrue(refused.getMessage().contains("client_credentials"), refused.getMessage());
        assertFalse(refused.getMessage().contains("s3cret"));
    }

    @Test
    void anUnknownFormatOrBrokenTextIsRefusedWithoutQuotingIt() {
        String kept = RegistrationJson.write(Registration.of(rich(TransportSpec.Http.of("http://x/mcp")).build()));
        IllegalArgumentException future = assertThrows(IllegalArgumentException.class,
                () -> RegistrationJson.read(kept.replace("\"format\":1", "\"format\":2")));
        assertTrue(future.getMessage().contains("format 2"), future.getMessage());
        IllegalArgumentException broken = assertThrows(IllegalArgumentException.class,
                () -> RegistrationJson.read("{\"format\":1,\"secret\":\"hunter2\""));
        assertFalse(broken.getMessage().contains("hunter2"), broken.getMessage());
    }
}
