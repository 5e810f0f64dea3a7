package dev.mcpgateway.transport.http.server;

import static dev.mcpgateway.transport.http.server.ApiClient.expect;
import static dev.mcpgateway.transport.http.server.ApiClient.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.health.Health;
import dev.mcpgateway.inprocess.InProcessPlugin;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.mcp.Tool;
import dev.mcpgateway.plugin.InstanceStatus;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.plugin.PluginManifest;
import dev.mcpgateway.plugin.Registration;
import dev.mcpgateway.plugin.TransportSpec;
import dev.mcpgateway.server.McpServer;
import dev.mcpgateway.testing.Await;
import dev.mcpgateway.transport.http.server.McpHttp.Reply;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The management API under {@code /api/v1}, over real HTTP on 127.0.0.1, whichever server carries it: each subclass
 * runs every test here through one front door serving every route at the root. Behind it: a real gateway with an
 * in-process plugin {@code calc} (tools {@code add} and {@code gate}, which returns once the test opens its gate) and
 * an {@code http} transport whose plugins are scripted in the test ({@link ScriptedHttpTransport}).
 */
@Timeout(60)
abstract class ManagementApiContract {
    static final Duration WAIT = Duration.ofSeconds(10);

    /** Opened by the test to let {@code calc__gate} return. */
    final CountDownLatch gate = new CountDownLatch(1);

    McpGateway gateway;
    McpServer server;
    PluginInstance calc;
    ApiClient api;
    private final List<AutoCloseable> doors = new ArrayList<>();

    /** Starts the front door under test for the server, serving every route at the root; returns its MCP endpoint. */
    abstract FrontDoorContract.FrontDoor start(McpServer server, HttpFrontDoorOptions options) throws Exception;

    /** The options of the door under test; tests narrow them. */
    HttpFrontDoorOptions.Builder options() {
        return FrontDoorContract.testOptions();
    }

    @BeforeEach
    void setUp() throws Exception {
        gateway = McpGateway.builder().transport(new ScriptedHttpTransport()).build();
        calc = gateway.registerInProcess(InProcessPlugin.builder("calc")
                .tool("add", "Adds a and b", (args, ctx) ->
                        CallToolResult.text(Integer.toString(args.path("a").asInt() + args.path("b").asInt())))
                .tool("gate", "Returns once the test opens the gate", (args, ctx) -> {
                    gate.await();
                    return CallToolResult.text("through");
                })
                .build()).join();
        server = McpServer.create(gateway);
        api = open(options().build());
    }

    /** Starts one more door for the server with these options; closed after the test. */
    ApiClient open(HttpFrontDoorOptions options) throws Exception {
        FrontDoorContract.FrontDoor door = start(server, options);
        doors.add(door.stopper());
        ApiClient client = new ApiClient(door.endpoint().resolve("/"));
        doors.add(client);
        return client;
    }

    @AfterEach
    void tearDown() throws Exception {
        gate.countDown();
        try {
            for (AutoCloseable door : doors.reversed()) {
                door.close();
            }
        } finally {
            server.close();
            gateway.close();
        }
    }

    /** Registers an {@code http} instance through the Java API (the scripted transport serves it). */
    PluginInstance registerHttp(String id, String plugin, String version, Map<String, String> headers, String url) {
        PluginManifest manifest = PluginManifest.builder(plugin).version(version)
                .transport(new TransportSpec.Http(URI.create(url), headers))
                .tool(Tool.builder("echo").description("echo").build()).label("region", "eu").build();
        return gateway.register(Registration.of(id, manifest).withLease(Duration.ofSeconds(30))).join();
    }

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
        assertEquals(List.of("add", "gate"), names(instance.path("tools")));
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
