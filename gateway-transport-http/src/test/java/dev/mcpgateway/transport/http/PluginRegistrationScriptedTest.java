package dev.mcpgateway.transport.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgateway.internal.transport.http.api.ManifestCodec;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.mcp.Tool;
import dev.mcpgateway.plugin.PluginManifest;
import dev.mcpgateway.plugin.Registration;
import dev.mcpgateway.plugin.TransportSpec;
import java.net.URI;
import java.util.Map;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link PluginRegistration}'s side of the protocol against a scripted HTTP server on 127.0.0.1: what it sends, and
 * what it does with each kind of answer. Against the real gateway: {@code PluginRegistrationTest} in the examples.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PluginRegistrationScriptedTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String PLUGINS = "/api/v1/plugins";
    private static final String MANIFEST = """
            {"name": "notes", "version": "1.0.0",
             "transport": {"type": "http", "url": "http://127.0.0.1:1/mcp"},
             "tools": [{"name": "add_note", "inputSchema": {"type": "object"}}]}""";

    private TestServer gateway;
    private PluginRegistration registration;

    @BeforeEach
    void setUp() throws Exception {
        gateway = new TestServer();
    }

    @AfterEach
    void tearDown() {
        try {
            if (registration != null) {
                registration.close();
            }
        } finally {
            gateway.close();
        }
    }

    @Test
    void registersUnderAFixedIdWithItsHeadersThenHeartbeatsAndDeregistersOnClose() throws Exception {
        gateway.on("POST", PLUGINS, (exchange, seen) -> TestServer.json(exchange, 201, "{}"))
                .on("POST", PLUGINS + "/notes-eu-1/heartbeat", (exchange, seen) -> TestServer.json(exchange, 200, "{}"))
                .on("DELETE", PLUGINS + "/notes-eu-1", (exchange, seen) -> TestServer.json(exchange, 200, "{}"));
        registration = builder(MANIFEST).instanceId("notes-eu-1").lease(Duration.ofSeconds(3))
                .heartbeatInterval(Duration.ofMillis(50)).header("Authorization", "Bearer s3cret").build().start();

        assertTrue(registration.awaitRegistered(WAIT));
        TestServer.Seen posted = gateway.next("POST");
        JsonNode body = Json.mapper().readTree(posted.body());
        assertEquals("notes-eu-1", body.path("instanceId").asText());
        assertEquals(3, body.path("leaseSeconds").asInt());
        assertEquals("notes", body.path("name").asText(), "the document is sent as it is otherwise");
        assertEquals("add_note", body.path("tools").path(0).path("name").asText());
        assertEquals("Bearer s3cret", posted.header("Authorization"));
        assertEquals("application/json", posted.header("Content-Type"));
        assertNull(posted.query());

        for (int i = 0; i < 3; i++) {
            TestServer.Seen heartbeat = gateway.next("POST");
            assertEquals(PLUGINS + "/notes-eu-1/heartbeat", heartbeat.path());
            assertEquals("Bearer s3cret", heartbeat.header("Authorization"));
        }
        assertTrue(registration.isRegistered());

        registration.close();
        TestServer.Seen deleted = gateway.next("DELETE");
        assertEquals(PLUGINS + "/notes-eu-1", deleted.path());
        assertEquals("Bearer s3cret", deleted.header("Authorization"));
        assertFalse(registration.isRegistered());
        registration.close(); // idempotent
        assertEquals(1, gateway.requests("DELETE").size());
    }

    @Test
    void retriesWithBackoffWhileTheGatewayAnswers5xxOr404ThenRegisters() throws Exception {
        AtomicInteger posts = new AtomicInteger();
        gateway.on("POST", PLUGINS, (exchange, seen) -> {
            switch (posts.incrementAndGet()) {
                case 1 -> TestServer.json(exchange, 503, "{\"status\": 503, \"title\": \"Service Unavailable\"}");
                case 2 -> TestServer.status(exchange, 404);
                default -> TestServer.json(exchange, 201, "{}");
            }
        }).on("POST", PLUGINS + "/notes-1/heartbeat", (exchange, seen) -> TestServer.json(exchange, 200, "{}"));
        registration = builder(MANIFEST).instanceId("notes-1").build().start();

        assertTrue(registration.awaitRegistered(WAIT));
        assertEquals(3, posts.get());
        List<String> ids = new java.util.ArrayList<>();
        for (TestServer.Seen seen : gateway.requests("POST")) {
            ids.add(Json.mapper().readTree(seen.body()).path("instanceId").asText());
        }
        assertEquals(List.of("notes-1", "notes-1", "notes-1"), ids, "every attempt under the same id");
    }

    @Test
    void aManifestTheGatewayRejectsFailsWithItsDetailAndFieldErrorsAndIsNotRetried() throws Exception {
        gateway.on("POST", PLUGINS, (exchange, seen) -> TestServer.respond(exchange, 400, "application/problem+json", """
                {"type": "about:blank", "title": "Bad Request", "status": 400,
                 "detail": "The manifest has 1 error; nothing was registered",
                 "errors": [{"field": "/transport/url", "message": "must be an http:// or https:// URL, got 'ftp://x'"}]}
                """));
        registration = builder(MANIFEST).build().start();

        RegistrationRejectedException rejected = assertThrows(RegistrationRejectedException.class,
                () -> registration.awaitRegistered(WAIT));
        assertEquals(400, rejected.status());
        assertEquals("The manifest has 1 error; nothing was registered", rejected.detail());
        assertEquals(List.of(new RegistrationRejectedException.FieldError("/transport/url",
                "must be an http:// or https:// URL, got 'ftp://x'")), rejected.fieldErrors());
        assertTrue(rejected.getMessage().contains("rejected plugin 'notes' (400): The manifest has 1 error;"
                + " nothing was registered: /transport/url: must be"), rejected.getMessage());
        registration.close();
        assertEquals(1, gateway.requests("POST").size(), "not retried");
        assertEquals(0, gateway.requests("DELETE").size(), "nothing to deregister");
    }

    @Test
    void aHeartbeatAnswered404RegistersAgainAtOnceUnderTheSameId() throws Exception {
        AtomicInteger heartbeats = new AtomicInteger();
        gateway.on("POST", PLUGINS, (exchange, seen) -> TestServer.json(exchange, 201, "{}"))
                .on("POST", PLUGINS + "/notes-1/heartbeat", (exchange, seen) -> {
                    if (heartbeats.incrementAndGet() == 2) {
                        TestServer.respond(exchange, 404, "application/problem+json", "{\"status\": 404}");
                    } else {
                        TestServer.json(exchange, 200, "{}");
                    }
                });
        registration = builder(MANIFEST).instanceId("notes-1").lease(Duration.ofSeconds(3))
                .heartbeatInterval(Duration.ofMillis(50)).build().start();

        assertEquals(PLUGINS, gateway.next("POST").path());
        assertEquals(PLUGINS + "/notes-1/heartbeat", gateway.next("POST").path());
        assertEquals(PLUGINS + "/notes-1/heartbeat", gateway.next("POST").path());
        TestServer.Seen again = gateway.next("POST");
        assertEquals(PLUGINS, again.path(), "registered again right after the 404");
        assertEquals("notes-1", Json.mapper().readTree(again.body()).path("instanceId").asText());
        assertEquals(PLUGINS + "/notes-1/heartbeat", gateway.next("POST").path(), "and heartbeats on");
    }

    @Test
    void aFailedHeartbeatIsRetriedAndTheRegistrationHeld() throws Exception {
        AtomicInteger heartbeats = new AtomicInteger();
        gateway.on("POST", PLUGINS, (exchange, seen) -> TestServer.json(exchange, 201, "{}"))
                .on("POST", PLUGINS + "/notes-1/heartbeat", (exchange, seen) ->
                        TestServer.status(exchange, heartbeats.incrementAndGet() <= 3 ? 502 : 200));
        registration = builder(MANIFEST).instanceId("notes-1").lease(Duration.ofSeconds(3))
                .heartbeatInterval(Duration.ofMillis(200)).build().start();

        assertTrue(registration.awaitRegistered(WAIT));
        assertEquals(PLUGINS, gateway.next("POST").path());
        long start = System.nanoTime();
        for (int i = 0; i < 4; i++) {
            assertEquals(PLUGINS + "/notes-1/heartbeat", gateway.next("POST").path());
        }
        // Three 502s retried with a 10 ms backoff, not the 200 ms heartbeat interval each.
        assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(200 + 3 * 150),
                "retried sooner than the heartbeat interval");
        assertEquals(1, gateway.requests("POST").stream().filter(seen -> seen.path().equals(PLUGINS)).count(),
                "a failed heartbeat does not register again");
        assertTrue(registration.isRegistered());
    }

    @Test
    void aBareServerJsonGetsItsIdAndLeaseInTheQueryAndItsNameFromTheServerName() throws Exception {
        gateway.on("POST", PLUGINS, (exchange, seen) -> TestServer.json(exchange, 201, "{}"));
        registration = builder("""
                {"name": "io.github.acme/weather", "version": "1.4.0",
                 "remotes": [{"type": "streamable-http", "url": "http://127.0.0.1:1/mcp"}]}""")
                .lease(Duration.ofSeconds(12)).build();
        gateway.on("DELETE", PLUGINS + "/" + registration.instanceId(), (exchange, seen) -> TestServer.status(exchange, 204));
        registration.start();

        assertTrue(registration.awaitRegistered(WAIT));
        assertTrue(registration.instanceId().matches("weather-[0-9a-f]{8}"), registration.instanceId());
        TestServer.Seen posted = gateway.next("POST");
        assertEquals("instanceId=" + registration.instanceId() + "&leaseSeconds=12", posted.query());
        JsonNode body = Json.mapper().readTree(posted.body());
        assertFalse(body.has("instanceId"), "a bare server.json is sent unchanged: " + body);
        assertEquals("io.github.acme/weather", body.path("name").asText());
    }

    @Test
    void aManifestIsSentAsTheGatewaysJsonManifestWithTheRegistrationsIdAndLease() throws Exception {
        gateway.on("POST", PLUGINS, (exchange, seen) -> TestServer.json(exchange, 201, "{}"))
                .on("DELETE", PLUGINS + "/notes-1", (exchange, seen) -> TestServer.status(exchange, 204));
        PluginManifest manifest = PluginManifest.builder("notes").version("1.2.0").label("region", "eu")
                .transport(new TransportSpec.Http(URI.create("http://127.0.0.1:1/mcp"), Map.of("X-Api-Key", "k")))
                .tool(Tool.builder("add_note").description("Keeps a note").build())
                .build();
        registration = PluginRegistration.builder().gateway(gateway.uri("/"))
                .registration(Registration.of("notes-1", manifest).withLease(Duration.ofSeconds(7)))
                .build().start();

        assertTrue(registration.awaitRegistered(WAIT));
        JsonNode body = Json.mapper().readTree(gateway.next("POST").body());
        assertEquals("notes-1", body.path("instanceId").asText());
        assertEquals(7, body.path("leaseSeconds").asInt());
        assertEquals("1.2.0", body.path("version").asText());
        assertEquals("http://127.0.0.1:1/mcp", body.path("transport").path("url").asText());
        assertEquals("k", body.path("transport").path("headers").path("X-Api-Key").asText(),
                "the plugin's own credentials go to the gateway");
        assertEquals("add_note", body.path("tools").path(0).path("name").asText());
        assertEquals("eu", body.path("labels").path("region").asText());
        assertEquals(manifest, ManifestCodec.read(body, null, null).manifest(), "the gateway reads back what was meant");
    }

    @Test
    void theDocumentsOwnIdAndLeaseAreUsedUnlessTheBuilderSetsItsOwn() throws Exception {
        String withId = "{\"instanceId\": \"mine\", \"leaseSeconds\": 9," + MANIFEST.substring(1);
        PluginRegistration fromDocument = builder(withId).build();
        assertEquals("mine", fromDocument.instanceId());
        assertEquals(Duration.ofSeconds(9), fromDocument.lease());
        assertEquals(Duration.ofSeconds(3), fromDocument.heartbeatInterval(), "a third of the lease by default");
        PluginRegistration overridden = builder(withId).instanceId("other").lease(Duration.ofSeconds(60)).build();
        assertEquals("other", overridden.instanceId());
        assertEquals(Duration.ofSeconds(60), overridden.lease());
        PluginRegistration defaults = builder(MANIFEST).build();
        assertTrue(defaults.instanceId().matches("notes-[0-9a-f]{8}"), defaults.instanceId());
        assertEquals(PluginRegistration.DEFAULT_LEASE, defaults.lease());
    }

    @Test
    void theBuilderSaysWhatIsMissingOrWrong() {
        assertEquals("set the gateway to register with, e.g. http://127.0.0.1:9105", assertThrows(
                IllegalStateException.class, () -> PluginRegistration.builder()
                        .document(Json.mapper().readTree(MANIFEST)).build()).getMessage());
        assertTrue(assertThrows(IllegalStateException.class, () -> PluginRegistration.builder()
                .gateway(gateway.uri("/")).build()).getMessage().startsWith("set what to register"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> builder(MANIFEST).lease(Duration.ofMillis(1500)))
                .getMessage().startsWith("a lease is whole seconds from 1 s to 86400 s"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> builder(MANIFEST).lease(Duration.ofSeconds(3))
                .heartbeatInterval(Duration.ofSeconds(3)).build()).getMessage().contains("must be shorter than the lease"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> builder("{\"transport\": {}}").build())
                .getMessage().startsWith("the manifest document names no plugin"));
        assertThrows(IllegalArgumentException.class, () -> builder(MANIFEST).header("Host", "evil"));
        assertThrows(IllegalStateException.class, () -> builder(MANIFEST).build().awaitRegistered(WAIT),
                "not started");
    }

    @Test
    void closingWhileTheGatewayIsUnreachableReturnsWithinTheRequestTimeout() throws Exception {
        int port = gateway.port();
        gateway.close(); // nothing listens there now: connections are refused
        registration = PluginRegistration.builder().gateway(java.net.URI.create("http://127.0.0.1:" + port))
                .document(Json.mapper().readTree(MANIFEST)).retryBackoff(Duration.ofMillis(10), Duration.ofMillis(20))
                .requestTimeout(Duration.ofMillis(500)).build().start();

        assertFalse(registration.awaitRegistered(Duration.ofMillis(200)), "not registered while unreachable");
        long start = System.nanoTime();
        registration.close();
        assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(1000), "close is bounded");
        assertFalse(registration.isRegistered());
        assertFalse(registration.awaitRegistered(WAIT), "a closed registration is not awaited");
    }

    private PluginRegistration.Builder builder(String document) throws Exception {
        gateway.on("DELETE", PLUGINS + "/notes-1", (exchange, seen) -> TestServer.json(exchange, 200, "{}"));
        return PluginRegistration.builder().gateway(gateway.uri("/"))
                .document(Json.mapper().readTree(document))
                .retryBackoff(Duration.ofMillis(10), Duration.ofMillis(50))
                .jitter(() -> 0.0);
    }
}
