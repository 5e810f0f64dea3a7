package dev.mcpgateway.internal.transport.http.api;

import static dev.mcpgateway.internal.transport.http.api.Bodies.assertError;
import static dev.mcpgateway.internal.transport.http.api.Bodies.assertErrors;
import static dev.mcpgateway.internal.transport.http.api.Bodies.json;
import static dev.mcpgateway.internal.transport.http.api.Bodies.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.mcp.Tool;
import dev.mcpgateway.plugin.InstanceStatus;
import dev.mcpgateway.plugin.Registration;
import dev.mcpgateway.plugin.RegistrationSource;
import dev.mcpgateway.plugin.TransportSpec;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Registrations from MCP registry server.json documents, bare and wrapped. */
class ServerJsonRegistrationTest {

    private static Registration read(JsonNode body) {
        return ManifestCodec.read(body, null, null);
    }

    /** A document with a value set at a pointer, as whoever registers it fills in what it asks for. */
    private static ObjectNode with(ObjectNode document, String pointer, String member, String value) {
        ((ObjectNode) document.at(pointer)).put(member, value);
        return document;
    }

    private static ObjectNode doc(String resource) {
        return (ObjectNode) resource(resource);
    }

    private static TransportSpec.Stdio stdio(Registration registration) {
        return (TransportSpec.Stdio) registration.manifest().transport();
    }

    @Test
    void anNpmPackageRunsWithNpxAtItsVersionWithItsArguments() {
        Registration registration = read(doc("snyk.npm.json"));

        assertEquals("cli-mcp", registration.manifest().name(), "the last segment of io.snyk/cli-mcp");
        assertEquals("1.1298.0", registration.manifest().version());
        assertEquals(new TransportSpec.Stdio("npx", List.of("-y", "snyk@1.1298.0", "mcp", "-t", "stdio"), Map.of(),
                false, null), registration.manifest().transport());
        assertEquals(RegistrationSource.API, registration.source());
        assertEquals(InstanceStatus.STARTING, registration.initialStatus(), "no tools listed: up once connected");
        assertNull(registration.instanceId());
        assertNull(registration.lease());
    }

    @Test
    void aRequiredEnvironmentVariableWithoutValueIsNamedWithWhatToSet() {
        assertError(() -> read(doc("brave-search.npm.json")), "/packages/0/environmentVariables/0",
                "environment variable 'BRAVE_API_KEY' is required but has no value",
                "set its \"value\" in the server.json you send", "{\"name\": \"BRAVE_API_KEY\", \"value\": \"...\"}");
    }

    @Test
    void environmentVariablesGiveTheProcessItsEnvironment() {
        Registration registration = read(with(doc("brave-search.npm.json"), "/packages/0/environmentVariables/0",
                "value", "br4ve"));

        assertEquals(new TransportSpec.Stdio("npx", List.of("-y", "@modelcontextprotocol/server-brave-search@1.0.2"),
                Map.of("BRAVE_API_KEY", "br4ve"), false, null), registration.manifest().transport());
        assertEquals("brave-search", registration.manifest().name());
    }

    @Test
    void theFirstPackageTheGatewayCanRunIsUsedWithDefaultsForWhatIsNotSet() {
        Registration registration = read(doc("filesystem.npm-and-oci.json"));

        assertEquals("filesystem", registration.manifest().name());
        assertEquals(new TransportSpec.Stdio("npx", List.of("-y", "@modelcontextprotocol/server-filesystem@1.0.2",
                "/Users/username/Desktop"), Map.of("LOG_LEVEL", "info"), false, null), stdio(registration));
    }

    @Test
    void aPypiPackageRunsWithUvx() {
        Registration registration = read(doc("weather.pypi.json"));

        assertEquals("weather-mcp", registration.manifest().name());
        assertEquals("0.5.0", registration.manifest().version());
        assertEquals(new TransportSpec.Stdio("uvx", List.of("weather-mcp-server==0.5.0"),
                Map.of("WEATHER_API_KEY", "w3ather", "WEATHER_UNITS", "celsius"), false, null), stdio(registration));
    }

    @Test
    void everyMissingInputOfAnOciPackageIsReportedAtOnce() {
        assertErrors(() -> read(doc("database-manager.oci.json")), Map.of(
                "/packages/0/environmentVariables/0", List.of("environment variable 'DB_USERNAME' is required"),
                "/packages/0/environmentVariables/1", List.of("environment variable 'DB_PASSWORD' is required"),
                "/packages/0/runtimeArguments/1/variables/db_type",
                List.of("variable 'db_type' of the argument '-e' has no value; set its \"value\""),
                "/packages/0/packageArguments/2", List.of("positional argument 'database_name' is required but has no "
                        + "value")));
    }

    @Test
    void anOciPackageRunsItsImageWithDockerPassingTheEnvironmentIntoTheContainer() {
        ObjectNode document = doc("database-manager.oci.json");
        with(document, "/packages/0/environmentVariables/0", "value", "app");
        with(document, "/packages/0/environmentVariables/1", "value", "pa55");
        with(document, "/packages/0/runtimeArguments/1/variables/db_type", "value", "postgres");
        with(document, "/packages/0/packageArguments/2", "value", "orders");

        Registration registration = read(document);

        assertEquals(new TransportSpec.Stdio("docker", List.of("run", "-i", "--rm", "--network", "host",
                "-e", "DB_TYPE=postgres", "-e", "DB_USERNAME", "-e", "DB_PASSWORD", "-e", "SSL_MODE",
                "docker.io/example/database-manager-mcp:3.1.0", "--host", "localhost", "orders"),
                Map.of("DB_USERNAME", "app", "DB_PASSWORD", "pa55", "SSL_MODE", "prefer"), false, null),
                stdio(registration));
    }

    @ParameterizedTest
    @CsvSource({
            "ghcr.io/acme/weather:v1.0.0, 9.9.9, ghcr.io/acme/weather:v1.0.0",
            "ghcr.io/acme/weather@sha256:abc, 9.9.9, ghcr.io/acme/weather@sha256:abc",
            "acme/weather, 1.2.0, acme/weather:1.2.0",
            "localhost:5000/weather, 1.2.0, localhost:5000/weather:1.2.0",
            "localhost:5000/weather, , localhost:5000/weather"})
    void anOciImageIsTaggedWithThePackageVersionOnlyWhenItCarriesNoTagOrDigest(String identifier, String version,
                                                                               String image) {
        ObjectNode pkg = Json.object().put("registryType", "oci").put("identifier", identifier);
        if (version != null) {
            pkg.put("version", version);
        }
        pkg.putObject("transport").put("type", "stdio");
        ObjectNode document = Json.object().put("name", "io.github.acme/weather");
        document.putArray("packages").add(pkg);

        assertEquals(List.of("run", "-i", "--rm", image), stdio(read(document)).args());
    }

    @Test
    void aRemoteIsPreferredToPackagesAndItsRequiredHeaderMustHaveAValue() {
        assertError(() -> read(doc("hybrid.remote-and-npm.json")), "/remotes/0/headers/0",
                "header 'X-API-Key' is required but has no value", "set its \"value\"");
    }

    @Test
    void aRemoteGivesAnHttpTransportWithItsHeadersAndTheirDefaults() {
        Registration registration = read(with(doc("hybrid.remote-and-npm.json"), "/remotes/0/headers/0", "value",
                "k3y"));

        assertEquals(new TransportSpec.Http(URI.create("https://mcp.anonymous.modelcontextprotocol.io/http"),
                Map.of("X-API-Key", "k3y", "X-Region", "us-east-1")), registration.manifest().transport());
        assertEquals("hybrid-mcp", registration.manifest().name());
        assertEquals("1.5.0", registration.manifest().version());
    }

    @Test
    void anSseRemoteIsReachedThroughTheHttpTransportWhichFallsBackToSse() {
        ObjectNode document = doc("hybrid.remote-and-npm.json");
        ((ArrayNode) document.get("remotes")).remove(0);

        assertEquals(TransportSpec.Http.of("https://mcp.anonymous.modelcontextprotocol.io/sse"),
                read(document).manifest().transport());
    }

    @Test
    void aRemoteUrlTemplateNeedsItsVariablesFilled() {
        assertErrors(() -> read(doc("acme-analytics.remote.json")), Map.of(
                "/remotes/0/headers/0", List.of("header 'X-API-Key' is required"),
                "/remotes/0/variables/tenant_id", List.of("variable 'tenant_id' of the URL has no value")));

        ObjectNode document = doc("acme-analytics.remote.json");
        with(document, "/remotes/0/headers/0", "value", "k3y");
        with(document, "/remotes/0/variables/tenant_id", "value", "us-cell1");
        assertEquals(new TransportSpec.Http(URI.create("https://us-cell1.analytics.example.com/mcp"),
                Map.of("X-API-Key", "k3y")), read(document).manifest().transport());
    }

    @Test
    void aRemoteUrlStillHoldingAPlaceholderIsRefusedWithWhatToFill() {
        assertError(() -> read(json("""
                {"name": "com.example/multi-region", "version": "1.0.0",
                 "remotes": [{"type": "streamable-http", "url": "https://api.example.com/{region}/mcp"}]}""")),
                "/remotes/0/url", "still holds {region}", "\"variables\": {\"region\": {\"value\": \"...\"}}");
    }

    @Test
    void theChosenRemoteMustBeAUsableUrl() {
        assertError(() -> read(json("""
                {"name": "com.example/x", "remotes": [{"type": "sse", "url": "ftp://x.example/sse"},
                                                     {"type": "streamable-http", "url": "https://x.example/mcp"}]}""")),
                "/remotes/0/url", "must be http:// or https://");
    }

    @Test
    void aPackageServedOverHttpIsReachedAtItsUrlWithPlaceholdersFromItsArguments() {
        String document = """
                {"name": "io.github.acme/weather", "version": "1.0.0",
                 "packages": [{"registryType": "npm", "identifier": "@acme/weather", "version": "1.0.0",
                               "transport": {"type": "streamable-http", "url": "http://localhost:{port}/mcp"},
                               "packageArguments": [{"type": "named", "name": "--port", %s}]}]}""";

        assertEquals(TransportSpec.Http.of("http://localhost:8080/mcp"),
                read(json(document.formatted("\"default\": \"8080\""))).manifest().transport());
        assertError(() -> read(json(document.formatted("\"isRequired\": true"))), "/packages/0/transport/url",
                "'http://localhost:{port}/mcp' still holds {port}", "give the package's arguments or environment "
                        + "variables of those names a \"value\" or \"default\"");
    }

    @Test
    void aDocumentWithNothingTheGatewayCanReachIsRefused() {
        assertError(() -> read(doc("text-editor.mcpb.json")), "", "has no remote of type streamable-http or sse and "
                + "no package of registryType npm, pypi, oci (it has package mcpb)", "add a \"remotes\" entry");
        assertError(() -> read(json("""
                {"$schema": "https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json",
                 "name": "io.modelcontextprotocol.anonymous/embedded-mcp", "version": "0.1.0"}""")),
                "", "(it has neither)");
        assertError(() -> read(json("""
                {"name": "io.github.acme/weather", "remotes": [{"type": "websocket", "url": "wss://x"}]}""")),
                "", "(it has remote websocket)");
    }

    @Test
    void membersTheGatewayDoesNotUseAreIgnoredButThoseItUsesAreTypeChecked() {
        Registration registration = read(json("""
                {"name": "io.github.acme/weather", "futureField": {"x": 1}, "icons": [{"src": "https://i"}],
                 "remotes": [{"type": "streamable-http", "url": "https://w.example/mcp", "futureToo": true}]}"""));
        assertEquals("weather", registration.manifest().name());
        assertEquals("0.0.0", registration.manifest().version(), "no version: the manifest's default");

        assertErrors(() -> read(json("""
                {"name": 7, "version": 1, "remotes": {}}""")), Map.of(
                "/name", List.of("must be a string, got a number"),
                "/version", List.of("must be a string, got a number"),
                "/remotes", List.of("must be an array, got an object")));
        assertErrors(() -> read(json("{\"remotes\": []}")), Map.of("/name", List.of("required"),
                "", List.of("has no remote of type streamable-http or sse", "(it has neither)")));
    }

    @Test
    void aPackageNeedsItsIdentifierTransportAndForNpmAndPypiAVersion() {
        assertErrors(() -> read(json("""
                {"name": "io.github.acme/weather",
                 "packages": [{"registryType": "npm", "transport": {"type": "stdio"}}]}""")),
                Map.of("/packages/0/identifier", List.of("required")));
        assertError(() -> read(json("""
                {"name": "io.github.acme/weather", "version": "2.1.0",
                 "packages": [{"registryType": "pypi", "identifier": "weather", "transport": {"type": "stdio"}}]}""")),
                "/packages/0/version", "required: the gateway runs the package at a pinned version, such as \"2.1.0\"");
        assertError(() -> read(json("""
                {"name": "io.github.acme/weather",
                 "packages": [{"registryType": "npm", "identifier": "w", "version": "1"}]}""")),
                "/packages/0/transport", "required");
        assertError(() -> read(json("""
                {"name": "io.github.acme/weather", "packages": [{"registryType": "npm", "identifier": "w",
                 "version": "1", "transport": {"type": "carrier-pigeon"}}]}""")),
                "/packages/0/transport/type", "must be stdio, streamable-http or sse, got 'carrier-pigeon'");
        assertError(() -> read(json("""
                {"name": "io.github.acme/weather", "packages": [{"registryType": "npm", "identifier": "w",
                 "version": "1", "transport": {"type": "stdio"},
                 "packageArguments": [{"type": "flag", "value": "x"}]}]}""")),
                "/packages/0/packageArguments/0/type", "must be \"positional\" or \"named\", got 'flag'");
    }

    @ParameterizedTest
    @CsvSource({
            "io.github.acme/weather, weather",
            "com.example/_under.score, under.score",
            "io.github.Acme/Weather_2, Weather_2",
            "no-slash, no-slash"})
    void thePluginNameIsTheServerNamesLastSegmentMadeValid(String serverName, String pluginName) {
        assertEquals(pluginName, read(json("{\"name\": \"" + serverName + "\", \"remotes\": [{\"type\": \"sse\", "
                + "\"url\": \"https://x.example/sse\"}]}")).manifest().name());
    }

    @Test
    void aLongServerNameIsCutToSixtyFourCharacters() {
        String name = "io.github.acme/" + "w".repeat(100);

        assertEquals("w".repeat(64), read(json("{\"name\": \"" + name + "\", \"remotes\": [{\"type\": \"sse\", "
                + "\"url\": \"https://x.example/sse\"}]}")).manifest().name());
    }

    @Test
    void aServerNameGivingNoPluginNameIsRefusedSayingHowToNameIt() {
        String document = """
                {"name": "io.github.acme/...", "remotes": [{"type": "sse", "url": "https://x.example/sse"}]}""";

        assertError(() -> read(json(document)), "/name", "'io.github.acme/...' gives no plugin name",
                "send it as {\"name\": \"...\", \"server\": {...}}");
        assertError(() -> read(json("{\"server\": " + document + "}")), "/server/name",
                "give the plugin's \"name\" beside \"server\"");
        assertEquals("acme", read(json("{\"name\": \"acme\", \"server\": " + document + "}")).manifest().name());
    }

    @Test
    void aWrappedServerJsonTakesTheManifestsOtherMembers() {
        ObjectNode wrapper = (ObjectNode) json("""
                {"instanceId": "weather-eu-1", "name": "wx", "namespace": "weather", "labels": {"region": "eu"},
                 "weight": 3, "leaseSeconds": 60, "tools": [{"name": "forecast"}]}""");
        wrapper.set("server", doc("weather.pypi.json"));

        Registration registration = read(wrapper);

        assertEquals("weather-eu-1", registration.instanceId());
        assertEquals("wx", registration.manifest().name());
        assertEquals("weather", registration.manifest().namespace());
        assertEquals("0.5.0", registration.manifest().version());
        assertEquals(Map.of("region", "eu"), registration.manifest().labels());
        assertEquals(3, registration.manifest().weight());
        assertEquals(Duration.ofSeconds(60), registration.lease());
        assertEquals(List.of("forecast"), registration.manifest().tools().stream().map(Tool::name).toList());
        assertEquals(InstanceStatus.UP, registration.initialStatus());
        assertEquals("uvx", stdio(registration).command());
    }

    @Test
    void aWrapperIsStrictAboutItsOwnMembersAndPointsIntoTheServer() {
        ObjectNode wrapper = (ObjectNode) json("""
                {"transport": {"type": "http", "url": "http://h/mcp"}, "version": "1.0.0", "lables": {},
                 "weight": 0}""");
        wrapper.set("server", doc("brave-search.npm.json"));

        assertErrors(() -> read(wrapper), Map.of(
                "/transport", List.of("either \"transport\" or \"server\", not both; remove one"),
                "/version", List.of("the version is the server's own \"version\""),
                "/lables", List.of("unknown field; the known ones are instanceId, name, namespace, server, tools, "
                        + "labels, weight, leaseSeconds"),
                "/weight", List.of("weight must be between 1 and 1000000, got 0"),
                "/server/packages/0/environmentVariables/0", List.of("'BRAVE_API_KEY' is required")));
        assertError(() -> read(json("{\"name\": \"w\", \"server\": null}")), "/server", "required");
        assertError(() -> read(json("{\"name\": \"w\", \"server\": \"io.github.acme/w\"}")), "/server",
                "must be a JSON object, got a string");
    }

    @Test
    void aBareServerJsonTakesTheInstanceIdAndLeaseFromTheQuery() {
        Registration registration = ManifestCodec.read(doc("snyk.npm.json"), "snyk-1", "90");

        assertEquals("snyk-1", registration.instanceId());
        assertEquals(Duration.ofSeconds(90), registration.lease());
    }

    @Test
    void badQueryParametersAreNamedAsSuch() {
        assertErrors(() -> ManifestCodec.read(doc("snyk.npm.json"), " ", "soon"), Map.of(
                "?instanceId", List.of("an instance id must be 1-200 non-blank characters"),
                "?leaseSeconds", List.of("must be an integer between 1 and 86400, got 'soon'")));
        assertError(() -> ManifestCodec.read(doc("snyk.npm.json"), null, "86401"), "?leaseSeconds",
                "must be an integer between 1 and 86400, got '86401'");
        ObjectNode wrapper = Json.object().set("server", doc("snyk.npm.json"));
        assertError(() -> ManifestCodec.read(wrapper, "x", null), "?instanceId", "give \"instanceId\" in the body");
    }

    @Test
    void aBareServerJsonIsToldByItsSchemaOrByPackagesOrRemotesWithoutTransport() {
        // No $schema, but packages and no transport: a server.json.
        ObjectNode noSchema = doc("snyk.npm.json");
        noSchema.remove("$schema");
        assertEquals("cli-mcp", read(noSchema).manifest().name());

        // With a transport it is the gateway's manifest, where packages is unknown.
        assertError(() -> read(json("""
                {"name": "w", "transport": {"type": "stdio", "command": "w"}, "packages": []}""")),
                "/packages", "unknown field");
    }
}
