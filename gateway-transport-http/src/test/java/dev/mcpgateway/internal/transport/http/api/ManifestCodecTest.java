package dev.mcpgateway.internal.transport.http.api;

import static dev.mcpgateway.internal.transport.http.api.Bodies.assertError;
import static dev.mcpgateway.internal.transport.http.api.Bodies.assertErrors;
import static dev.mcpgateway.internal.transport.http.api.Bodies.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.mcp.Tool;
import dev.mcpgateway.mcp.ToolAnnotations;
import dev.mcpgateway.plugin.InstanceStatus;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ManifestCodecTest {

    private static Registration read(String body) {
        return ManifestCodec.read(json(body), null, null);
    }

    @Test
    void readsTheDocumentedExample() {
        Registration registration = read("""
                {
                  "instanceId": "weather-eu-1",
                  "name": "weather",
                  "namespace": "weather",
                  "version": "1.4.0",
                  "transport": { "type": "http", "url": "http://127.0.0.1:8081/mcp",
                                 "headers": { "X-Api-Key": "k3y" } },
                  "tools": [ { "name": "forecast", "description": "...", "inputSchema": { "type": "object" } } ],
                  "labels": { "region": "eu", "track": "stable" },
                  "weight": 1,
                  "leaseSeconds": 30
                }""");

        PluginManifest manifest = registration.manifest();
        assertEquals("weather-eu-1", registration.instanceId());
        assertEquals("weather", manifest.name());
        assertEquals("weather", manifest.namespace());
        assertEquals("1.4.0", manifest.version());
        assertEquals(new TransportSpec.Http(URI.create("http://127.0.0.1:8081/mcp"), Map.of("X-Api-Key", "k3y")),
                manifest.transport());
        assertEquals(List.of("forecast"), manifest.tools().stream().map(Tool::name).toList());
        assertEquals("...", manifest.tools().getFirst().description());
        assertEquals(Map.of("region", "eu", "track", "stable"), manifest.labels());
        assertEquals(1, manifest.weight());
        assertEquals(Duration.ofSeconds(30), registration.lease());
        assertEquals(RegistrationSource.API, registration.source());
        assertEquals(InstanceStatus.UP, registration.initialStatus());
    }

    @Test
    void onlyNameAndTransportAreNeededAndTheRestTakesDefaults() {
        Registration registration = read("""
                {"name": "files", "transport": {"type": "stdio", "command": "files-mcp"}}""");

        assertNull(registration.instanceId(), "the registry assigns one");
        assertNull(registration.lease(), "the caller applies its default lease");
        assertEquals("files", registration.manifest().namespace());
        assertEquals("0.0.0", registration.manifest().version());
        assertEquals(1, registration.manifest().weight());
        assertEquals(TransportSpec.Stdio.of("files-mcp"), registration.manifest().transport());
        assertEquals(InstanceStatus.STARTING, registration.initialStatus(), "no tools: up once listed");
    }

    @Test
    void anEmptyToolListIsAListAndTheInstanceIsUpAtOnce() {
        Registration registration = read("""
                {"name": "files", "transport": {"type": "stdio", "command": "files-mcp"}, "tools": []}""");

        assertEquals(InstanceStatus.UP, registration.initialStatus());
        assertEquals(List.of(), registration.manifest().tools());
    }

    @Test
    void aStdioTransportTakesArgsEnvAndWorkingDirectory() {
        Registration registration = read("""
                {"name": "files", "transport": {"type": "stdio", "command": "npx",
                  "args": ["-y", "@modelcontextprotocol/server-filesystem", "/data"],
                  "env": {"LOG_LEVEL": "debug"}, "workingDirectory": "/srv/files"}}""");

        assertEquals(new TransportSpec.Stdio("npx", List.of("-y", "@modelcontextprotocol/server-filesystem", "/data"),
                Map.of("LOG_LEVEL", "debug"), false, Path.of("/srv/files")), registration.manifest().transport());
    }

    @Test
    void explicitNullsCountAsAbsent() {
        Registration registration = read("""
                {"instanceId": null, "name": "files", "namespace": null, "version": null, "labels": null,
                 "weight": null, "leaseSeconds": null, "tools": null,
                 "transport": {"type": "http", "url": "http://localhost:9000/mcp", "headers": null}}""");

        assertNull(registration.instanceId());
        assertEquals(1, registration.manifest().weight());
        assertEquals(InstanceStatus.STARTING, registration.initialStatus());
    }

    @Test
    void toolsKeepEveryMcpFieldTheGatewayDoesNotKnow() {
        Registration registration = read("""
                {"name": "w", "transport": {"type": "http", "url": "https://w.example/mcp"},
                 "tools": [{"name": "forecast", "title": "Forecast", "description": "d",
                            "inputSchema": {"type": "object", "properties": {"city": {"type": "string"}}},
                            "outputSchema": {"type": "object"},
                            "annotations": {"readOnlyHint": true},
                            "icons": [{"src": "https://w.example/icon.png", "mimeType": "image/png"}],
                            "execution": {"taskSupport": "optional"},
                            "_meta": {"io.example/x": 1}},
                           {"name": "alerts"}]}""");

        Tool forecast = registration.manifest().tools().getFirst();
        assertEquals("Forecast", forecast.title());
        assertTrue(forecast.annotations().isReadOnly());
        assertEquals("image/png", forecast.json().get("icons").get(0).get("mimeType").asText());
        assertEquals("optional", forecast.json().get("execution").get("taskSupport").asText());
        assertEquals(1, forecast.meta().get("io.example/x").asInt());
        assertEquals("object", registration.manifest().tools().get(1).inputSchema().get("type").asText(),
                "a tool without a schema gets MCP's empty object schema, as Tool gives it");
    }

    @Test
    void aBodyThatIsNotAnObjectIsOneErrorAtTheRoot() {
        assertError(() -> read("[1, 2]"), "", "must be a JSON object, got an array");
        assertError(() -> read("\"weather\""), "", "must be a JSON object, got a string");
        assertError(() -> read("null"), "", "must be a JSON object, got null");
        assertError(() -> ManifestCodec.read(null, null, null), "", "must be a JSON object");
    }

    @Test
    void nameAndTransportAreRequired() {
        assertErrors(() -> read("{}"), Map.of("/name", List.of("required"), "/transport", List.of("required")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            "instanceId": 7              | /instanceId   | must be a string, got a number
            "name": true                 | /name         | must be a string, got true
            "namespace": ["a"]           | /namespace    | must be a string, got an array
            "version": 1.4               | /version      | must be a string, got a number
            "labels": "region=eu"        | /labels       | must be an object of strings, got a string
            "labels": {"region": 1}      | /labels/region | must be a string, got a number
            "weight": "2"                | /weight       | must be an integer, got a string
            "weight": 2.5                | /weight       | must be an integer, got 2.5
            "leaseSeconds": "30"         | /leaseSeconds | must be an integer, got a string
            "tools": {"name": "x"}       | /tools        | must be an array, got an object
            "tools": ["forecast"]        | /tools/0      | must be a JSON object, got a string
            "tools": [null]              | /tools/0      | must be a JSON object, got null
            "tools": [{"name": 3}]       | /tools/0/name | must be a string, got a number
            "tools": [{"title": "x"}]    | /tools/0/name | required
            """)
    void aMemberOfTheWrongTypeIsNamedWithWhatItShouldBe(String member, String field, String message) {
        String name = member.startsWith("\"name\"") ? "" : ", \"name\": \"w\"";
        assertError(() -> read("{\"transport\": {\"type\": \"stdio\", \"command\": \"w\"}, " + member + name + "}"),
                field, message);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            "url": 8080                    | /transport/url     | must be a string, got a number
            "url": "x", "headers": []      | /transport/headers | must be an object of strings, got an array
            "url": "x", "headers": {"A": 1} | /transport/headers/A | must be a string, got a number
            """)
    void httpTransportMembersOfTheWrongTypeAreNamed(String members, String field, String message) {
        Map<String, String> errors = Bodies.errors(() -> read(
                "{\"name\": \"w\", \"transport\": {\"type\": \"http\", " + members + "}}"));
        assertTrue(errors.get(field).contains(message), () -> errors.toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            "command": ["npx"]                       | /transport/command          | must be a string, got an array
            "command": "x", "args": "-y"             | /transport/args             | must be an array, got a string
            "command": "x", "args": ["-y", 2]        | /transport/args/1           | must be a string, got a number
            "command": "x", "env": {"K": false}      | /transport/env/K            | must be a string, got false
            "command": "x", "workingDirectory": 1    | /transport/workingDirectory | must be a string, got a number
            """)
    void stdioTransportMembersOfTheWrongTypeAreNamed(String members, String field, String message) {
        assertError(() -> read("{\"name\": \"w\", \"transport\": {\"type\": \"stdio\", " + members + "}}"),
                field, message);
    }

    @Test
    void unknownMembersAreErrorsAtEveryLevelListingTheKnownOnes() {
        assertErrors(() -> read("""
                {"name": "w", "wieght": 2, "transport": {"type": "http", "url": "http://h/mcp", "header": {}}}"""),
                Map.of("/wieght", List.of("unknown field", "weight", "leaseSeconds", "instanceId"),
                        "/transport/header", List.of("unknown field; the known ones are type, url, headers")));
        assertError(() -> read("""
                {"name": "w", "transport": {"type": "stdio", "command": "w", "url": "http://h/mcp"}}"""),
                "/transport/url", "unknown field; the known ones are type, command, args, env, workingDirectory");
    }

    @Test
    void aTransportTypeMustBeHttpOrStdio() {
        assertError(() -> read("{\"name\": \"w\", \"transport\": {\"type\": \"websocket\"}}"),
                "/transport/type", "must be \"http\" or \"stdio\", got 'websocket'");
        assertError(() -> read("{\"name\": \"w\", \"transport\": {\"type\": \"in-process\"}}"),
                "/transport/type", "registered by the host in Java");
        assertError(() -> read("{\"name\": \"w\", \"transport\": {\"url\": \"http://h/mcp\"}}"),
                "/transport/type", "required");
        assertError(() -> read("{\"name\": \"w\", \"transport\": \"http://h/mcp\"}"),
                "/transport", "must be a JSON object, got a string");
        assertError(() -> read("{\"name\": \"w\", \"transport\": {\"type\": \"http\"}}"), "/transport/url", "required");
        assertError(() -> read("{\"name\": \"w\", \"transport\": {\"type\": \"stdio\"}}"),
                "/transport/command", "required");
    }

    @Test
    void valuesAreCheckedByTheLibrarysOwnConstructorsAndReportedWhereTheyCameFrom() {
        assertError(() -> read("{\"name\": \"bad name\", \"transport\": {\"type\": \"stdio\", \"command\": \"w\"}}"),
                "/name", "plugin name 'bad name' is invalid: use 1-64 characters of A-Z a-z 0-9 _ . -");
        assertError(() -> read("""
                {"name": "w", "namespace": "-w", "transport": {"type": "stdio", "command": "w"}}"""),
                "/namespace", "namespace '-w' is invalid");
        assertError(() -> read("{\"name\": \"w\", \"transport\": {\"type\": \"stdio\", \"command\": \"  \"}}"),
                "/transport/command", "a stdio plugin needs a command to run");
        assertError(() -> read("{\"instanceId\": \" \", \"name\": \"w\", \"transport\": {\"type\": \"stdio\", "
                + "\"command\": \"w\"}}"), "/instanceId", "an instance id must be 1-200 non-blank characters");
        assertError(() -> read("{\"instanceId\": \"" + "i".repeat(201) + "\", \"name\": \"w\", \"transport\": "
                + "{\"type\": \"stdio\", \"command\": \"w\"}}"), "/instanceId", "1-200 non-blank characters");
    }

    @ParameterizedTest
    @CsvSource({"0", "-1", "1000001", "99999999999"})
    void aWeightOutsideOneToAMillionIsRefusedWithTheRange(String weight) {
        assertError(() -> read("{\"name\": \"w\", \"weight\": " + weight
                        + ", \"transport\": {\"type\": \"stdio\", \"command\": \"w\"}}"),
                "/weight", "must be between", weight);
    }

    @ParameterizedTest
    @CsvSource({"0", "-5", "86401", "1e3"})
    void aLeaseOutsideOneSecondToADayIsRefused(String lease) {
        assertError(() -> read("{\"name\": \"w\", \"leaseSeconds\": " + lease
                        + ", \"transport\": {\"type\": \"stdio\", \"command\": \"w\"}}"),
                "/leaseSeconds",
                lease.contains("e") ? "must be an integer" : "must be between 1 and 86400, got " + lease);
    }

    @ParameterizedTest
    @CsvSource({
            "ftp://files.example/mcp, must be http:// or https://",
            "'127.0.0.1:8081/mcp', is not a URL (Illegal character in scheme name",
            "'http://exa mple/mcp', is not a URL",
            "'http:/mcp', has no host",
            "'', must be http:// or https://"})
    void anHttpUrlMustBeHttpOrHttpsWithAHost(String url, String message) {
        assertError(() -> read("{\"name\": \"w\", \"transport\": {\"type\": \"http\", \"url\": \"" + url + "\"}}"),
                "/transport/url", message);
    }

    @Test
    void headersTheHttpTransportWouldRefuseAreRefusedAtRegistrationWithoutTheirValue() {
        Map<String, String> errors = Bodies.errors(() -> read("""
                {"name": "w", "transport": {"type": "http", "url": "http://h/mcp",
                  "headers": {"Mcp-Session-Id": "s3cr3t", "Host": "evil", "X-Ok": "fine", "X-Bad": "a\\nb"}}}"""));

        assertEquals(List.of("/transport/headers/Mcp-Session-Id", "/transport/headers/Host",
                "/transport/headers/X-Bad"), List.copyOf(errors.keySet()));
        assertTrue(errors.get("/transport/headers/Mcp-Session-Id").contains("set by the HTTP transport itself"));
        assertTrue(errors.get("/transport/headers/Host").contains("reserved to the HTTP transport"));
        assertTrue(errors.get("/transport/headers/X-Bad").contains("holds a control character"));
        assertFalse(errors.values().stream()
                        .anyMatch(message -> message.contains("s3cr3t") || message.contains("evil")),
                "header values are credentials more often than not");
    }

    @Test
    void aToolListedTwiceIsRefusedAtTheSecond() {
        assertError(() -> read("""
                {"name": "w", "transport": {"type": "stdio", "command": "w"},
                 "tools": [{"name": "forecast"}, {"name": "alerts"}, {"name": "forecast"}]}"""),
                "/tools/2/name", "tool 'forecast' is listed twice (also at /tools/0); give each tool a distinct name");
    }

    @Test
    void toolDefinitionsAreCheckedByToolAndReportedAtTheMemberItRefuses() {
        assertErrors(() -> read("""
                {"name": "w", "transport": {"type": "stdio", "command": "w"},
                 "tools": [{"name": ""}, {"name": "a", "inputSchema": "object"},
                           {"name": "b", "outputSchema": []}]}"""),
                Map.of("/tools/0/name", List.of("non-empty string 'name'"),
                        "/tools/1/inputSchema", List.of("tool 'a': 'inputSchema' must be a JSON object, got string"),
                        "/tools/2/outputSchema", List.of("tool 'b': 'outputSchema' must be a JSON object, got array")));
    }

    @Test
    void everyErrorOfABodyIsReportedAtOnceInTheBodysOrder() {
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> read("""
                {"name": "weather", "weight": 0, "leaseSeconds": 0, "colour": "blue",
                 "labels": {"region": 1, "app.kubernetes.io/name": 2},
                 "tools": [{"name": "a"}, {"name": "a"}],
                 "transport": {"type": "http", "url": "ftp://x"}}"""));

        assertEquals(List.of("/colour", "/tools/1/name", "/labels/region", "/labels/app.kubernetes.io~1name", "/weight",
                "/leaseSeconds", "/transport/url"), e.errors().stream().map(FieldError::field).toList());
        assertTrue(e.getMessage().startsWith("7 errors: /colour: unknown field"), e.getMessage());
        assertTrue(e.getMessage().contains("; /transport/url: an HTTP plugin URL must be http:// or https://, got "
                + "'ftp://x'"), e.getMessage());
    }

    @Test
    void aBadWeightAndABadUrlAreTwoErrors() {
        assertErrors(() -> read("""
                {"name": "w", "weight": 0, "transport": {"type": "http", "url": "ftp://x"}}"""),
                Map.of("/weight", List.of("plugin 'w': weight must be between 1 and 1000000, got 0"),
                        "/transport/url", List.of("must be http:// or https://, got 'ftp://x'")));
    }

    @Test
    void queryParametersAreForABareServerJsonOnly() {
        assertErrors(() -> ManifestCodec.read(json("""
                {"name": "w", "transport": {"type": "stdio", "command": "w"}}"""), "w-1", "30"),
                Map.of("?instanceId", List.of("bare server.json", "give \"instanceId\" in the body"),
                        "?leaseSeconds", List.of("give \"leaseSeconds\" in the body")));
    }

    @Test
    void anHttpRegistrationRoundTrips() {
        Registration registration = new Registration("weather-eu-1", PluginManifest.builder("weather")
                .namespace("wx").version("2.0.0-rc.1")
                .transport(new TransportSpec.Http(URI.create("https://wx.example/mcp"),
                        Map.of("Authorization", "Bearer t0k3n", "X-Region", "eu")))
                .tool(Tool.builder("forecast").description("d").annotations(new ToolAnnotations("F", true, false, true,
                        null)).build())
                .tool(Tool.builder("alerts").build())
                .label("region", "eu").label("track", "canary").weight(7).build(),
                InstanceStatus.UP, Duration.ofSeconds(45), RegistrationSource.HOST);

        ObjectNode written = ManifestCodec.write(registration);
        Registration read = ManifestCodec.read(json(written.toString()), null, null);

        assertEquals(registration.withSource(RegistrationSource.API), read);
        assertEquals("Bearer t0k3n", written.get("transport").get("headers").get("Authorization").asText(),
                "the client sends the header values");
    }

    @Test
    void aStdioRegistrationRoundTrips() {
        Registration registration = new Registration(null, PluginManifest.builder("files")
                .transport(new TransportSpec.Stdio("npx", List.of("-y", "files-mcp@1.0.0"), Map.of("TOKEN", "s"),
                        false, Path.of("/srv")))
                .build(), InstanceStatus.STARTING, null, RegistrationSource.API);

        ObjectNode written = ManifestCodec.write(registration);

        assertEquals(registration, ManifestCodec.read(written, null, null));
        assertFalse(written.has("tools"), "no tools written: STARTING until listed");
        assertFalse(written.has("instanceId"));
        assertFalse(written.has("leaseSeconds"));
    }

    @Test
    void anUpRegistrationWithoutToolsWritesAnEmptyListToStayUp() {
        Registration registration = Registration.of("files-1", PluginManifest.builder("files")
                .transport(TransportSpec.Stdio.of("files-mcp")).build());

        JsonNode written = ManifestCodec.write(registration);

        assertEquals(0, written.get("tools").size());
        assertEquals(registration.withSource(RegistrationSource.API), ManifestCodec.read(written, null, null));
    }

    @Test
    void whatTheApiDoesNotTakeIsNotWritten() {
        PluginManifest inProcess = PluginManifest.builder("p").transport(new TransportSpec.InProcess("h")).build();
        PluginManifest inheriting = PluginManifest.builder("p")
                .transport(new TransportSpec.Stdio("p", List.of(), Map.of(), true, null)).build();
        PluginManifest plain = PluginManifest.builder("p").transport(TransportSpec.Stdio.of("p")).build();

        assertTrue(assertThrows(IllegalArgumentException.class, () -> ManifestCodec.write(Registration.of(inProcess)))
                .getMessage().contains("the host registers it in Java"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ManifestCodec.write(Registration.of(inheriting)))
                .getMessage().contains("pass the variables it needs in env"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ManifestCodec.write(Registration.of(plain)
                .withLease(Duration.ofMillis(1500)))).getMessage().contains("1 to 86400 whole seconds"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ManifestCodec.write(Registration.of(plain)
                .withLease(Duration.ofDays(2)))).getMessage().contains("1 to 86400 whole seconds"));
    }

    @Test
    void writtenMapsAreSortedSoTheOutputIsStable() {
        Registration registration = Registration.of(PluginManifest.builder("p").label("b", "2").label("a", "1")
                .label("c", "3").transport(TransportSpec.Stdio.of("p")).build());

        assertEquals("{\"a\":\"1\",\"b\":\"2\",\"c\":\"3\"}",
                ManifestCodec.write(registration).get("labels").toString());
        assertEquals(Json.object().put("type", "stdio").put("command", "p"),
                ManifestCodec.write(registration).get("transport"));
    }
}
