package dev.mcpgateway.transport.http.server;

import static dev.mcpgateway.transport.http.server.ApiClient.expect;
import static dev.mcpgateway.transport.http.server.ApiClient.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgateway.GatewayConfig;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.RateLimits;
import dev.mcpgateway.health.Health;
import dev.mcpgateway.inprocess.InProcessPlugin;
import dev.mcpgateway.server.McpServer;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcResponse;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.plugin.InstanceStatus;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.plugin.PluginManifest;
import dev.mcpgateway.plugin.Registration;
import dev.mcpgateway.plugin.TransportSpec;
import dev.mcpgateway.routing.RoutingRule;
import dev.mcpgateway.testing.Await;
import dev.mcpgateway.transport.http.server.McpHttp.Reply;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The management API under {@code /api/v1}, over real HTTP on 127.0.0.1, whichever server carries it: each subclass
 * runs every test here through one front door serving every route at the root ({@link ApiFixture}). Every route's
 * answer and every refusal: each asserts the status and the problem document, naming the bad fields.
 */
@Timeout(60)
abstract class ManagementApiContract extends ApiFixture {
    // ---- instances ----------------------------------------------------------------------------------------

    @Test
    void theInstancesAreListedWithEverythingOperatorsNeed() {
        JsonNode listed = expect(200, api.get("api/v1/plugins"));
        assertEquals(1, listed.path("instances").size(), listed.toString());
        JsonNode instance = listed.path("instances").path(0);
        assertEquals(calc.id(), instance.path("id").asText());
        assertEquals("calc", instance.path("plugin").asText());
        assertEquals("calc", instance.path("namespace").asText());
        assertEquals(calc.manifest().version(), instance.path("version").asText());
        assertEquals("HOST", instance.path("source").asText());
        assertEquals("UP", instance.path("status").asText());
        assertTrue(instance.path("routable").asBoolean());
        assertEquals(calc.registeredAt().toString(), instance.path("registeredAt").asText());
        assertTrue(instance.path("leaseSeconds").isNull(), "registered in process: no lease");
        assertEquals("in-process", instance.path("transport").path("type").asText());
        assertEquals(List.of("add", "fail", "gate"), names(instance.path("tools")));
        assertEquals(1, instance.path("weight").asInt());
        assertEquals(0, instance.path("callsInFlight").asInt());
        for (String field : List.of("health", "healthSince", "healthReason", "labels", "leaseExpiresAt")) {
            assertTrue(instance.has(field), field);
        }
    }

    @Test
    void theListIsFilteredByNameLabelHealthStatusAndSource() {
        registerHttp("weather-eu-1", "weather", "1.0.0", Map.of(), "http://127.0.0.1:1/mcp");
        assertEquals(List.of("weather-eu-1"), ids(api.get("api/v1/plugins?name=weather")));
        assertEquals(List.of("weather-eu-1"), ids(api.get("api/v1/plugins?label=region%3Deu")));
        assertEquals(List.of(calc.id()), ids(api.get("api/v1/plugins?source=host&name=calc")));
        assertEquals(List.of(), ids(api.get("api/v1/plugins?status=OUT_OF_SERVICE")));
        assertEquals(List.of(calc.id(), "weather-eu-1"), ids(api.get("api/v1/plugins?status=UP")));
        gateway.registry().reportHealth(calc.id(), Health.UNHEALTHY, "3 probes timed out").join();
        assertEquals(List.of(calc.id()), ids(api.get("api/v1/plugins?health=UNHEALTHY")));
    }

    @Test
    void badFiltersAreRefusedNamingTheParameter() {
        problem(400, api.get("api/v1/plugins?health=poorly"), "?health");
        problem(400, api.get("api/v1/plugins?status=sleeping"), "?status");
        problem(400, api.get("api/v1/plugins?label=%3Deu"), "?label");
        JsonNode typo = problem(400, api.get("api/v1/plugins?nmae=calc"), "?nmae");
        assertTrue(typo.path("detail").asText().contains("health, label, name, source, status"), typo.toString());
        problem(400, api.get("api/v1/plugins?name=a&name=b"), "?name");
        problem(400, api.get("api/v1/plugins/" + calc.id() + "?verbose=true"), "?verbose");
    }

    @Test
    void oneInstanceAndAnUnknownOne() {
        JsonNode one = expect(200, api.get("api/v1/plugins/" + calc.id()));
        assertEquals(calc.id(), one.path("id").asText());
        JsonNode missing = problem(404, api.get("api/v1/plugins/nobody-1"));
        assertTrue(missing.path("detail").asText().contains("'nobody-1'"), missing.toString());
        for (String path : List.of("/heartbeat", "/drain", "/undrain")) {
            problem(404, api.send("POST", "api/v1/plugins/nobody-1" + path, null));
        }
        problem(404, api.get("api/v1/plugins/nobody-1/health"));
        problem(404, api.send("DELETE", "api/v1/plugins/nobody-1", null));
    }

    @Test
    void pathSegmentsArePercentDecoded() {
        registerHttp("weather eu/1", "weather", "1.0.0", Map.of(), "http://127.0.0.1:1/mcp");
        registerHttp("wéather-2", "weather", "1.0.0", Map.of(), "http://127.0.0.1:1/mcp");
        assertEquals("wéather-2", expect(200, api.get("api/v1/plugins/w%C3%A9ather-2")).path("id").asText());
        Reply slash = api.get("api/v1/plugins/weather%20eu%2F1");
        assertEquals(400, slash.status(), "an encoded '/' is ambiguous; both servers refuse it: " + slash.body());
    }

    @Test
    void transportsShowNoSecrets() {
        registerHttp("weather-eu-1", "weather", "1.0.0", Map.of("X-Api-Key", "s3cret-key"),
                "http://user:s3cret-pass@127.0.0.1:1/mcp?region=eu");
        Reply reply = api.get("api/v1/plugins/weather-eu-1");
        JsonNode transport = expect(200, reply).path("transport");
        assertEquals("http", transport.path("type").asText());
        assertEquals("http://127.0.0.1:1/mcp?region=eu", transport.path("url").asText());
        assertEquals(List.of("X-Api-Key"), names(transport.path("headers")));
        assertFalse(reply.body().contains("s3cret"), reply.body());

        PluginManifest stdio = PluginManifest.builder("files").transport(new TransportSpec.Stdio("npx",
                List.of("-y", "files-mcp"), Map.of("GITHUB_TOKEN", "s3cret-token"), false, null)).build();
        gateway.registry().register(Registration.of("files-1", stdio).withStatus(InstanceStatus.STARTING)).join();
        Reply files = api.get("api/v1/plugins/files-1");
        JsonNode command = expect(200, files).path("transport");
        assertEquals("npx", command.path("command").asText());
        assertEquals(List.of("-y", "files-mcp"), names(command.path("args")));
        assertEquals(List.of("GITHUB_TOKEN"), names(command.path("env")));
        assertFalse(files.body().contains("s3cret"), files.body());
    }

    @Test
    void healthSaysSinceWhenWhyAndTheTransitions() {
        gateway.registry().reportHealth(calc.id(), Health.UNHEALTHY, "3 probes timed out").join();
        JsonNode health = expect(200, api.get("api/v1/plugins/" + calc.id() + "/health"));
        assertEquals("UNHEALTHY", health.path("health").asText());
        assertEquals("3 probes timed out", health.path("healthReason").asText());
        assertFalse(health.path("routable").asBoolean());
        assertTrue(Instant.parse(health.path("healthSince").asText()).isAfter(calc.registeredAt().minusSeconds(1)));
        JsonNode last = health.path("transitions").path(health.path("transitions").size() - 1);
        assertEquals("UNHEALTHY", last.path("health").asText(), health.toString());
        assertEquals("3 probes timed out", last.path("reason").asText());
    }

    @Test
    void aHeartbeatRenewsTheLease() {
        PluginInstance weather = registerHttp("weather-eu-1", "weather", "1.0.0", Map.of(), "http://127.0.0.1:1/mcp");
        Await.until("the clock moves on", WAIT, () -> Instant.now().isAfter(weather.leaseExpiresAt().minusSeconds(30)
                .plusMillis(5)));
        JsonNode renewed = expect(200, api.send("POST", "api/v1/plugins/weather-eu-1/heartbeat", null));
        assertEquals(30, renewed.path("leaseSeconds").asInt());
        assertTrue(Instant.parse(renewed.path("leaseExpiresAt").asText()).isAfter(weather.leaseExpiresAt()),
                renewed.toString());
    }

    @Test
    void aDrainAnswersOnceTheCallsFinishedOr504() {
        CompletableFuture<CallToolResult> held = gateway.callTool("calc__gate", Json.object());
        Await.until("the call is in flight", WAIT,
                () -> expect(200, api.get("api/v1/plugins/" + calc.id())).path("callsInFlight").asInt() == 1);

        JsonNode late = problem(504, api.send("POST", "api/v1/plugins/" + calc.id() + "/drain?timeoutSeconds=1", null));
        assertTrue(late.path("detail").asText().contains("1 call(s) in flight"), late.toString());
        assertEquals("OUT_OF_SERVICE", gateway.registry().instance(calc.id()).orElseThrow().status().name());

        JsonNode back = expect(200, api.send("POST", "api/v1/plugins/" + calc.id() + "/undrain", null));
        assertEquals("UP", back.path("status").asText());
        assertTrue(back.path("routable").asBoolean());

        gate.countDown();
        held.join();
        JsonNode drained = expect(200, api.send("POST", "api/v1/plugins/" + calc.id() + "/drain", null));
        assertEquals("OUT_OF_SERVICE", drained.path("status").asText());
        assertFalse(drained.path("routable").asBoolean());
    }

    @Test
    void aDrainTimeoutIsBounded() {
        String drain = "api/v1/plugins/" + calc.id() + "/drain?timeoutSeconds=";
        problem(400, api.send("POST", drain + "0", null), "?timeoutSeconds");
        problem(400, api.send("POST", drain + "301", null), "?timeoutSeconds");
        problem(400, api.send("POST", drain + "soon", null), "?timeoutSeconds");
        assertEquals("UP", gateway.registry().instance(calc.id()).orElseThrow().status().name(), "nothing drained");
    }

    @Test
    void deregisteringAnswersWithTheInstanceRemoved() {
        registerHttp("weather-eu-1", "weather", "1.0.0", Map.of(), "http://127.0.0.1:1/mcp");
        JsonNode removed = expect(200, api.send("DELETE", "api/v1/plugins/weather-eu-1", null));
        assertEquals("weather-eu-1", removed.path("id").asText());
        assertTrue(gateway.registry().instance("weather-eu-1").isEmpty());
        problem(404, api.get("api/v1/plugins/weather-eu-1"));
        problem(404, api.send("DELETE", "api/v1/plugins/weather-eu-1", null));
    }

    // ---- the router ---------------------------------------------------------------------------------------

    @Test
    void anotherMethodIs405WithAllow() {
        Reply put = api.send("PUT", "api/v1/plugins/" + calc.id(), "{}");
        problem(405, put);
        assertEquals("GET, HEAD, DELETE", put.header("Allow"));
        Reply get = api.get("api/v1/plugins/" + calc.id() + "/drain");
        problem(405, get);
        assertEquals("POST", get.header("Allow"));
        Reply patch = api.send("PATCH", "api/v1/plugins", "{}");
        problem(405, patch);
        assertEquals("GET, HEAD, POST", patch.header("Allow"));
        Reply rules = api.send("POST", "api/v1/rules/r", "{}");
        problem(405, rules);
        assertEquals("GET, HEAD, PUT, DELETE", rules.header("Allow"));
        Reply head = api.send("HEAD", "api/v1/plugins/" + calc.id(), null);
        assertEquals(200, head.status());
        assertEquals("", head.body());
    }

    @Test
    void unknownPathsAre404() {
        for (String path : List.of("api/v1/plugin", "api/v1/plugins/" + calc.id() + "/other", "api/v1/plugins/",
                "api/v2/plugins")) {
            problem(404, api.get(path));
        }
    }

    @Test
    void theProbesAndTheSummaryIgnoreTheirQueryAsBefore() {
        expect(200, api.get("healthz?probe=kubelet"));
        expect(200, api.get("readyz?x=1&x=2"));
        expect(200, api.get("api/v1/gateway?nocache=123"));
    }

    @Test
    void hostAndOriginAreCheckedOnTheApi() {
        problem(403, api.send("GET", "api/v1/plugins", null, "Origin", "https://evil.example"));
        problem(403, api.send("DELETE", "api/v1/plugins/" + calc.id(), null, "Origin", "https://evil.example"));
        assertTrue(gateway.registry().instance(calc.id()).isPresent(), "a refused request changes nothing");
        McpHttp raw = new McpHttp(api.uri("api/v1/plugins"));
        problem(421, raw.raw("GET", null, "Host", "evil.example"));
        raw.close();
    }

    @Test
    void aDisabledApiIs404ButTheSummaryStays() throws Exception {
        ApiClient disabled = open(options().managementApi(ManagementApiOptions.disabled()).build());
        JsonNode off = problem(404, disabled.get("api/v1/plugins"));
        assertTrue(off.path("detail").asText().contains("disabled"), off.toString());
        problem(404, disabled.send("POST", "api/v1/plugins", "{}"));
        problem(404, disabled.get("api/v1/openapi.json"));
        expect(200, disabled.get("api/v1/gateway"));
        expect(200, disabled.get("healthz"));
    }

    @Test
    void theSummaryCarriesTheBuild() {
        JsonNode summary = expect(200, api.get("api/v1/gateway"));
        JsonNode build = summary.path("build");
        assertTrue(build.has("gatewayVersion"), summary.toString());
        assertEquals(System.getProperty("java.vendor"), build.path("javaVendor").asText());
        assertTrue(build.path("uptimeSeconds").asLong() >= 0);
        Instant.parse(build.path("startedAt").asText());
    }

    // ---- registration -------------------------------------------------------------------------------------

    static final String WEATHER = """
            {"instanceId": "weather-eu-1", "name": "weather", "version": "1.4.0",
             "transport": {"type": "http", "url": "http://127.0.0.1:8081/mcp", "headers": {"X-Api-Key": "s3cret"}},
             "tools": [{"name": "echo", "description": "Echoes", "inputSchema": {"type": "object"}}],
             "labels": {"region": "eu"}, "weight": 2}""";

    @Test
    void aRegistrationWithToolsIsRoutableWhenTheAnswerArrives() {
        Reply created = api.send("POST", "api/v1/plugins", WEATHER);
        JsonNode instance = expect(201, created);
        assertTrue(gateway.listTools().stream().anyMatch(tool -> tool.exposedName().equals("weather__echo")),
                "listed the moment the 201 arrived");
        assertTrue(gateway.routingTable().routeByExposedName("weather__echo").isRoutable());
        assertEquals(api.uri("api/v1/plugins/weather-eu-1"), api.uri("api/v1/plugins").resolve(
                created.header("Location")));
        assertEquals("weather-eu-1", instance.path("id").asText());
        assertEquals("API", instance.path("source").asText());
        assertEquals("UP", instance.path("status").asText());
        assertTrue(instance.path("routable").asBoolean());
        assertEquals(30, instance.path("leaseSeconds").asInt(), "the default lease");
        assertEquals(2, instance.path("weight").asInt());
        assertEquals(List.of("X-Api-Key"), names(instance.path("transport").path("headers")));
        assertFalse(created.body().contains("s3cret"), created.body());

        JsonNode again = expect(200, api.send("POST", "api/v1/plugins", WEATHER));
        assertEquals("weather-eu-1", again.path("id").asText(), "the same id again is idempotent");
        assertEquals(instance.path("registeredAt"), again.path("registeredAt"));
        assertEquals(2, gateway.registry().instances().size());

        JsonNode taken = problem(409, api.send("POST", "api/v1/plugins", WEATHER.replace("\"weather\"", "\"news\"")));
        assertTrue(taken.path("detail").asText().contains("belongs to plugin 'weather'"), taken.toString());
        assertEquals("weather", gateway.registry().instance("weather-eu-1").orElseThrow().pluginName());
    }

    @Test
    void aRegistrationWithoutToolsIsAcceptedStartingAndTurnsUpOnceListed() {
        Reply accepted = api.send("POST", "api/v1/plugins", """
                {"name": "weather", "version": "1.0.0", "transport": {"type": "http", "url": "http://127.0.0.1:1/mcp"},
                 "leaseSeconds": 60}""");
        JsonNode instance = expect(202, accepted);
        String id = instance.path("id").asText();
        assertTrue(id.startsWith("weather-"), id);
        assertEquals(60, instance.path("leaseSeconds").asInt());
        assertEquals("plugins/" + id, accepted.header("Location"));
        Await.until("the gateway connected and listed its tools", WAIT,
                () -> "UP".equals(expect(200, api.get("api/v1/plugins/" + id)).path("status").asText()));
        assertEquals(List.of("echo", "slow"), names(expect(200, api.get("api/v1/plugins/" + id)).path("tools")));

        JsonNode again = expect(200, api.send("POST", "api/v1/plugins", """
                {"instanceId": "%s", "name": "weather", "version": "1.0.0",
                 "transport": {"type": "http", "url": "http://127.0.0.1:1/mcp"}}""".formatted(id)));
        assertEquals("UP", again.path("status").asText(), "the same instance again keeps its tools and stays up");
        assertEquals(List.of("echo", "slow"), names(again.path("tools")));
    }

    @Test
    void aBareServerJsonIsRegisteredWithTheQueryParameters() {
        JsonNode instance = expect(202, api.send("POST", "api/v1/plugins?instanceId=acme-1&leaseSeconds=45", """
                {"$schema": "https://static.modelcontextprotocol.io/schemas/2025-09-29/server.schema.json",
                 "name": "io.github.acme/weather", "version": "2.1.0", "description": "Weather",
                 "remotes": [{"type": "streamable-http", "url": "http://127.0.0.1:1/mcp"}]}"""));
        assertEquals("acme-1", instance.path("id").asText());
        assertEquals("weather", instance.path("plugin").asText());
        assertEquals("2.1.0", instance.path("version").asText());
        assertEquals(45, instance.path("leaseSeconds").asInt());
    }

    @Test
    void aStdioPluginIsRefusedUnlessTheHostAllowsIt() throws Exception {
        String stdio = """
                {"name": "files", "transport": {"type": "stdio", "command": "npx", "args": ["-y", "files-mcp"]},
                 "tools": []}""";
        JsonNode refused = problem(403, api.send("POST", "api/v1/plugins", stdio));
        assertTrue(refused.path("detail").asText().contains("allowStdioRegistration"), refused.toString());
        assertTrue(gateway.registry().instances().stream().noneMatch(i -> i.pluginName().equals("files")));

        ApiClient allowing = open(options().managementApi(ManagementApiOptions.builder()
                .allowStdioRegistration(true).build()).build());
        JsonNode missing = problem(400, allowing.send("POST", "api/v1/plugins", stdio), "/transport/type");
        assertTrue(missing.path("errors").path(0).path("message").asText().contains("'stdio'"), missing.toString());
    }

    @Test
    void aLeaseOverTheHostsLongestIsRefused() throws Exception {
        ApiClient strict = open(options().managementApi(ManagementApiOptions.builder()
                .defaultLease(Duration.ofSeconds(10)).maxLease(Duration.ofSeconds(60)).build()).build());
        problem(400, strict.send("POST", "api/v1/plugins", WEATHER.replace("\"weight\": 2",
                "\"weight\": 2, \"leaseSeconds\": 61")), "/leaseSeconds");
        problem(400, strict.send("POST", "api/v1/plugins?leaseSeconds=120", """
                {"name": "io.github.acme/weather", "version": "2.1.0",
                 "remotes": [{"type": "streamable-http", "url": "http://127.0.0.1:1/mcp"}]}"""), "?leaseSeconds");
        assertEquals(10, expect(201, strict.send("POST", "api/v1/plugins", WEATHER)).path("leaseSeconds").asInt());
    }

    @Test
    void badManifestsAreRefusedNamingEveryBadField() {
        JsonNode wrong = problem(400, api.send("POST", "api/v1/plugins", """
                {"name": 5, "transport": {"type": "http", "url": "ftp://x"}, "weight": 0, "colour": "red"}"""));
        assertTrue(wrong.path("detail").asText().contains("nothing was registered"), wrong.toString());
        assertTrue(pointers(wrong).containsAll(List.of("/name", "/transport/url", "/weight", "/colour")),
                wrong.toString());
        problem(400, api.send("POST", "api/v1/plugins", "[]"), "");
        problem(400, api.send("POST", "api/v1/plugins?instanceId=x", WEATHER), "?instanceId");
        problem(400, api.send("POST", "api/v1/plugins?verbose=1", WEATHER), "?verbose");
        assertEquals(1, gateway.registry().instances().size(), "nothing was registered");
    }

    @Test
    void malformedEmptyOversizeAndMistypedBodiesAreRefused() throws Exception {
        // Small enough that an oversized body still fits the socket buffers, so the client always reads the 413.
        ApiClient small = open(options().managementApi(ManagementApiOptions.builder().maxBodyBytes(2048).build())
                .build());
        for (String path : List.of("api/v1/plugins", "api/v1/tools/calc__add/invoke", "api/v1/rules",
                "api/v1/rules/r")) {
            String method = path.startsWith("api/v1/rules") ? "PUT" : "POST";
            JsonNode malformed = problem(400, api.send(method, path, "{\"name\": \"weather\",\n \"x\": }"));
            assertTrue(malformed.path("detail").asText().contains("line 2, column"), malformed.toString());
            problem(400, api.send(method, path, "{} {}"));
            problem(400, api.send(method, path, ""));
            JsonNode text = problem(415, api.send(method, path, "{}", "Content-Type", "text/plain"));
            assertTrue(text.path("detail").asText().contains("application/json"), text.toString());
            problem(415, api.send(method, path, "{}", "Content-Type", "application/x-www-form-urlencoded"));
            JsonNode tooLarge = problem(413, small.send(method, path, "{\"pad\": \"" + "x".repeat(2048) + "\"}"));
            assertTrue(tooLarge.path("detail").asText().contains("2048"), tooLarge.toString());
        }
        assertEquals(200, api.send("POST", "api/v1/tools/calc__add/invoke", "{}", "Content-Type",
                "application/json; charset=utf-8").status(), "parameters of the media type are fine");
    }

    // ---- tools --------------------------------------------------------------------------------------------

    @Test
    void theToolsAreListedAsClientsSeeThem() {
        registerHttp("weather-1", "weather", "1.0.0", Map.of(), "http://127.0.0.1:1/mcp");
        registerHttp("weather-2", "weather", "2.0.0", Map.of(), "http://127.0.0.1:1/mcp");
        JsonNode tools = expect(200, api.get("api/v1/tools")).path("tools");
        List<String> exposed = new ArrayList<>();
        tools.forEach(tool -> exposed.add(tool.path("name").asText()));
        assertTrue(exposed.containsAll(List.of("calc__add", "calc__fail", "calc__gate", "weather__echo")),
                exposed.toString());
        JsonNode echo = tools.path(exposed.indexOf("weather__echo"));
        assertEquals("weather", echo.path("plugin").asText());
        assertEquals("echo", echo.path("tool").asText());
        assertEquals(List.of("1.0.0", "2.0.0"), names(echo.path("versions")));
        assertEquals(List.of("weather-1", "weather-2"), names(echo.path("instances")));
        assertTrue(echo.path("routable").asBoolean());
    }

    @Test
    void oneToolsRouteShowsItsRuleTargetsAndCandidates() {
        registerHttp("weather-1", "weather", "1.0.0", Map.of(), "http://127.0.0.1:1/mcp");
        registerHttp("weather-2", "weather", "2.0.0", Map.of(), "http://127.0.0.1:1/mcp");
        JsonNode balanced = expect(200, api.get("api/v1/tools/weather__echo"));
        assertTrue(balanced.path("rule").isNull(), balanced.toString());
        assertEquals("weather__echo", balanced.path("definition").path("name").asText());
        assertEquals(2, balanced.path("instances").size());

        expect(201, api.send("PUT", "api/v1/rules/weather-canary", CANARY_90_10));
        JsonNode ruled = expect(200, api.get("api/v1/tools/weather__echo"));
        assertEquals("weather-canary", ruled.path("rule").path("name").asText(), ruled.toString());
        JsonNode targets = ruled.path("targets");
        assertEquals(90, targets.path(0).path("weight").asInt());
        assertEquals(List.of("weather-1"), names(targets.path(0).path("instances")));
        assertEquals(List.of("weather-2"), names(targets.path(1).path("instances")));
        JsonNode candidate = ruled.path("instances").path(1);
        assertEquals("weather-2", candidate.path("id").asText());
        assertEquals("2.0.0", candidate.path("version").asText());
        assertEquals("eu", candidate.path("labels").path("region").asText());

        JsonNode unknown = problem(404, api.get("api/v1/tools/weather__nope"));
        assertTrue(unknown.path("detail").asText().contains("'weather__nope'"), unknown.toString());
    }

    @Test
    void aToolIsInvokedSynchronously() {
        JsonNode sum = expect(200, api.send("POST", "api/v1/tools/calc__add/invoke",
                "{\"arguments\": {\"a\": 2, \"b\": 3}, \"timeoutSeconds\": 5}"));
        assertEquals("5", sum.path("content").path(0).path("text").asText(), sum.toString());
        JsonNode failed = expect(200, api.send("POST", "api/v1/tools/calc__fail/invoke", "{}"));
        assertTrue(failed.path("isError").asBoolean(), "a tool's own error is a result: " + failed);
        problem(404, api.send("POST", "api/v1/tools/calc__nope/invoke", "{}"));
        problem(400, api.send("POST", "api/v1/tools/calc__add/invoke",
                "{\"arguments\": [1], \"timeoutSeconds\": 0, \"argumnets\": {}}"), "/argumnets", "/arguments",
                "/timeoutSeconds");
        problem(400, api.send("POST", "api/v1/tools/calc__add/invoke", "{\"timeoutSeconds\": \"5\"}"),
                "/timeoutSeconds");
        problem(400, api.send("POST", "api/v1/tools/calc__add/invoke", "[]"), "");
    }

    @Test
    void failedCallsMapToGatewayStatuses() {
        JsonNode timedOut = problem(504, api.send("POST", "api/v1/tools/calc__gate/invoke",
                "{\"timeoutSeconds\": 1}"));
        assertEquals(-32004, timedOut.path("code").asInt(), timedOut.toString());

        plugins.script("broken", server -> server.handle("tools/call", (s, request) ->
                JsonRpcResponse.failure(request.id(), -32603, "the plugin broke")));
        registerHttp("broken-1", "broken", "1.0.0", Map.of(), "http://127.0.0.1:1/mcp");
        Await.until("connected and listed (echo, slow)", WAIT,
                () -> gateway.registry().instance("broken-1").orElseThrow().manifest().tools().size() == 2);
        JsonNode broken = problem(502, api.send("POST", "api/v1/tools/broken__echo/invoke", "{}"));
        assertEquals(-32603, broken.path("code").asInt(), broken.toString());

        gateway.registry().reportHealth(calc.id(), Health.UNHEALTHY, "3 probes timed out").join();
        JsonNode down = problem(503, api.send("POST", "api/v1/tools/calc__add/invoke", "{}"));
        assertEquals(-32001, down.path("code").asInt(), down.toString());
    }

    @Test
    void aCallOverItsRateLimitIsAnswered429WithRetryAfter() throws Exception {
        McpGateway limited = McpGateway.builder().transport(plugins).config(GatewayConfig.builder()
                .rateLimits(RateLimits.builder().perTool("calc/add", 0.01, 1).build()).build()).build();
        closeAfter(limited);
        limited.registerInProcess(InProcessPlugin.builder("calc")
                .tool("add", "Adds a and b", (args, ctx) -> CallToolResult.text("sum")).build()).join();
        McpServer limitedServer = McpServer.create(limited);
        closeAfter(limitedServer);
        ApiClient client = open(limitedServer, options().build());

        expect(200, client.send("POST", "api/v1/tools/calc__add/invoke", "{}"));
        Reply refused = client.send("POST", "api/v1/tools/calc__add/invoke", "{}");
        JsonNode problem = problem(429, refused);
        assertEquals(-32008, problem.path("code").asInt(), problem.toString());
        long retryAfter = Long.parseLong(refused.header("Retry-After"));
        assertTrue(retryAfter >= 90 && retryAfter <= 100, "a token every 100 s: " + refused.header("Retry-After"));
        assertEquals(retryAfter, problem.path("retryAfterSeconds").asLong(), problem.toString());
        assertTrue(problem.path("detail").asText().contains("tool 'calc__add' (calc/add)"), problem.toString());
    }

    // ---- rules --------------------------------------------------------------------------------------------

    static final String CANARY_90_10 = """
            {"match": "weather/*",
             "targets": [{"weight": 90, "versions": "1.x"}, {"weight": 10, "versions": ">=2.0.0"}]}""";

    @Test
    void aRuleIsCreatedReadReplacedInPlaceAndDeleted() {
        assertEquals(0, expect(200, api.get("api/v1/rules")).path("rules").size());
        Reply created = api.send("PUT", "api/v1/rules/weather-canary", CANARY_90_10);
        JsonNode rule = expect(201, created);
        assertEquals("weather-canary", rule.path("name").asText());
        assertEquals(api.uri("api/v1/rules/weather-canary"),
                api.uri("api/v1/rules/weather-canary").resolve(created.header("Location")));
        expect(201, api.send("PUT", "api/v1/rules/calc-all", "{\"name\": \"calc-all\", \"match\": \"calc/*\", "
                + "\"targets\": [{}]}"));
        assertEquals(List.of("weather-canary", "calc-all"), gateway.routingRules().stream()
                .map(RoutingRule::name).toList());

        JsonNode replaced = expect(200, api.send("PUT", "api/v1/rules/weather-canary", CANARY_90_10
                .replace("90", "50").replace("10", "50")));
        assertEquals(50, replaced.path("targets").path(0).path("weight").asInt());
        assertEquals(List.of("weather-canary", "calc-all"), ruleNames(api.get("api/v1/rules")),
                "replaced where it stands");
        assertEquals(50, expect(200, api.get("api/v1/rules/weather-canary")).path("targets").path(1)
                .path("weight").asInt());

        assertEquals("calc-all", expect(200, api.send("DELETE", "api/v1/rules/calc-all", null)).path("name")
                .asText());
        assertEquals(List.of("weather-canary"), ruleNames(api.get("api/v1/rules")));
        problem(404, api.get("api/v1/rules/calc-all"));
        JsonNode gone = problem(404, api.send("DELETE", "api/v1/rules/calc-all", null));
        assertTrue(gone.path("detail").asText().contains("'calc-all'"), gone.toString());
    }

    @Test
    void theRulesAreReplacedAllAtOnce() {
        expect(201, api.send("PUT", "api/v1/rules/old", "{\"match\": \"calc/*\", \"targets\": [{}]}"));
        JsonNode replaced = expect(200, api.send("PUT", "api/v1/rules", "{\"rules\": [" + CANARY_90_10
                .replace("{\"match\"", "{\"name\": \"weather-canary\", \"match\"") + ", {\"name\": \"calc-all\", "
                + "\"match\": \"calc/*\", \"targets\": [{\"weight\": 1}]}]}"));
        assertEquals(List.of("weather-canary", "calc-all"), ruleNames(replaced));
        assertEquals(List.of("weather-canary", "calc-all"), ruleNames(api.get("api/v1/rules")));
        expect(200, api.send("PUT", "api/v1/rules", "{\"rules\": []}"));
        assertEquals(List.of(), gateway.routingRules());
    }

    @Test
    void badRulesAreRefusedNamingEveryBadFieldAndChangeNothing() {
        expect(201, api.send("PUT", "api/v1/rules/keep", "{\"match\": \"calc/*\", \"targets\": [{}]}"));
        JsonNode bad = problem(400, api.send("PUT", "api/v1/rules", """
                {"rules": [{"name": "a", "match": "weather/*", "targets": [{}]},
                           {"name": "a", "match": "calc/*", "targets": [{}]},
                           {"name": "b", "match": "calc/*", "targets": [{"weight": -1}]}]}"""));
        assertTrue(bad.path("detail").asText().contains("2 errors; nothing was changed"), bad.toString());
        assertEquals(List.of("/rules/1/name", "/rules/2/targets/0/weight"), pointers(bad), bad.toString());
        problem(400, api.send("PUT", "api/v1/rules", "{\"rulez\": []}"));
        problem(400, api.send("PUT", "api/v1/rules/keep", "{\"name\": \"other\", \"match\": \"calc/*\", "
                + "\"targets\": [{}]}"), "/name");
        JsonNode typo = problem(400, api.send("PUT", "api/v1/rules/keep", "{\"match\": \"calc/*\", "
                + "\"targets\": [{\"wieght\": 1}]}"));
        assertTrue(pointers(typo).contains("/targets/0/wieght"), typo.toString());
        assertEquals(List.of("keep"), ruleNames(api.get("api/v1/rules")));
    }

    @Test
    void theDescriptionIsServed() {
        JsonNode document = expect(200, api.get("api/v1/openapi.json"));
        assertTrue(document.path("openapi").asText().startsWith("3.1."), document.path("openapi").toString());
        assertTrue(document.path("paths").has("/api/v1/plugins/{id}/drain"));
    }

    static List<String> pointers(JsonNode problem) {
        List<String> pointers = new ArrayList<>();
        problem.path("errors").forEach(error -> pointers.add(error.path("field").asText()));
        return pointers;
    }

    static List<String> ruleNames(Reply reply) {
        return ruleNames(expect(200, reply));
    }

    static List<String> ruleNames(JsonNode body) {
        List<String> names = new ArrayList<>();
        body.path("rules").forEach(rule -> names.add(rule.path("name").asText()));
        return names;
    }

    static List<String> names(JsonNode array) {
        List<String> names = new ArrayList<>();
        array.forEach(item -> names.add(item.asText()));
        return names;
    }

    static List<String> ids(Reply reply) {
        List<String> ids = new ArrayList<>();
        expect(200, reply).path("instances").forEach(instance -> ids.add(instance.path("id").asText()));
        return ids;
    }
}
