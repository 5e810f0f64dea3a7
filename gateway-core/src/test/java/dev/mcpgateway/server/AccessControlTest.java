package dev.mcpgateway.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.auth.AccessPolicy;
import dev.mcpgateway.auth.AccessPolicy.Who;
import dev.mcpgateway.auth.Principal;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcResponse;
import dev.mcpgateway.plugin.PluginManifest;
import dev.mcpgateway.plugin.TransportSpec;
import dev.mcpgateway.testing.ScriptedServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Per-tool authorization ({@link AccessPolicy}) and virtual servers ({@link VirtualServer}) through the MCP server,
 * in both eras: a client sees only what its token allows (and its virtual server includes), its lists are then
 * private, and a call, read or prompt it may not use is answered exactly as one that does not exist.
 */
class AccessControlTest {
    private static final AccessPolicy POLICY = AccessPolicy.builder()
            .deny("github/slow", Who.claim("groups", "contractors"))
            .allow("github/*", Who.scope("github"))
            .allow("*", Who.grantedByClaim("mcp_tools"))
            .allow("*", Who.grantedByScopes("tools:"))
            .build();
    private static final VirtualServer TEAM = VirtualServer.builder("team")
            .include("github/echo")
            .includeLabels(Map.of("team", "docs"))
            .override("github/echo", new VirtualServer.ToolOverride("say", "Say", "Says it back"))
            .build();

    private final ServerFixture fixture = new ServerFixture(ServerOptions.defaults().withAccessPolicy(POLICY)
            .withVirtualServers(List.of(TEAM)), McpGateway.builder());

    {
        plugin("github", Map.of());
        plugin("files", Map.of("team", "docs"));
        plugin("secret", Map.of());
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    /** A plugin with the scripted tools echo and slow, one prompt and one resource, all named after it. */
    private void plugin(String name, Map<String, String> labels) {
        ScriptedServer plugin = new ScriptedServer(ScriptedServer.Era.LEGACY);
        plugin.handle("initialize", (s, r) -> {
            ObjectNode result = Json.object().put("protocolVersion", r.params().path("protocolVersion").asText());
            ObjectNode capabilities = result.putObject("capabilities");
            capabilities.putObject("tools");
            capabilities.putObject("prompts");
            capabilities.putObject("resources");
            return JsonRpcResponse.success(r.id(), result);
        });
        plugin.handle("prompts/list", (s, r) -> ServerFixture.list(r, "prompts", Json.object().put("name", "brief")));
        plugin.handle("prompts/get", (s, r) -> JsonRpcResponse.success(r.id(), Json.object()
                .put("description", name + " brief").set("messages", Json.object().arrayNode())));
        plugin.handle("resources/list", (s, r) -> ServerFixture.list(r, "resources", Json.object()
                .put("uri", "mem://" + name + "/readme").put("name", "readme")));
        plugin.handle("resources/templates/list", (s, r) -> JsonRpcResponse.success(r.id(),
                Json.object().set("resourceTemplates", Json.object().arrayNode())));
        plugin.handle("resources/read", (s, r) -> JsonRpcResponse.success(r.id(), Json.object()
                .set("contents", Json.object().arrayNode())));
        fixture.scripted.put(name, plugin);
        PluginManifest.Builder manifest = PluginManifest.builder(name).transport(TransportSpec.Stdio.of(name));
        labels.forEach(manifest::label);
        fixture.gateway.addPlugin(manifest.build()).join();
    }

    private static Principal token(Set<String> scopes, Map<String, Object> claims) {
        return new Principal("alice", "https://auth.example.test/", "app", scopes, Set.of("gateway"), null, claims);
    }

    private ServerSession legacy(McpServer server, Principal principal) {
        ServerSession session = server.newSession("principal alice", principal);
        JsonRpcResponse init = fixture.request(session, "initialize", Json.object().put("protocolVersion",
                "2025-06-18").set("clientInfo", Json.object().put("name", "t").put("version", "1")));
        assertFalse(init.isError(), () -> init.error().message());
        return session;
    }

    private List<String> names(ServerSession session, String method, String field, String member, ObjectNode params) {
        JsonRpcResponse response = fixture.request(session, method, params);
        assertFalse(response.isError(), () -> response.error().message());
        List<String> names = new ArrayList<>();
        response.result().path(field).forEach(item -> names.add(item.path(member).asText()));
        return names;
    }

    private List<String> tools(ServerSession session) {
        return names(session, "tools/list", "tools", "name", Json.object());
    }

    private JsonRpcResponse call(ServerSession session, String tool) {
        ObjectNode params = Json.object().put("name", tool);
        params.putObject("arguments");
        return fixture.request(session, "tools/call", params);
    }

    /** The error of a request, with the name it asked for replaced, so two refusals can be compared whole. */
    private static JsonNode refusal(JsonRpcResponse response, String name) {
        assertTrue(response.isError(), "refused");
        ObjectNode error = (ObjectNode) Json.mapper().valueToTree(response.error());
        error.put("message", error.path("message").asText().replace(name, "<name>"));
        return error;
    }

    @Test
    void aNarrowTokenSeesAndCallsOnlyItsTools() {
        ServerSession session = legacy(fixture.server, token(Set.of("github"), Map.of()));
        assertEquals(List.of("github__echo", "github__slow"), tools(session));
        assertFalse(call(session, "github__echo").isError());
        assertEquals(refusal(call(session, "nothing__here"), "nothing__here"),
                refusal(call(session, "secret__echo"), "secret__echo"),
                "a tool it may not use is answered exactly as one that does not exist");
        assertEquals(List.of("github__brief"), names(session, "prompts/list", "prompts", "name", Json.object()));
        assertEquals(List.of("mem://github/readme"), names(session, "resources/list", "resources", "uri",
                Json.object()));
    }

    @Test
    void grantsInTheTokenItselfAndDenyRulesDecideToo() {
        ServerSession claimed = legacy(fixture.server, token(Set.of(), Map.of("mcp_tools", List.of("files/ec*"))));
        assertEquals(List.of("files__echo"), tools(claimed));
        ServerSession scoped = legacy(fixture.server, token(Set.of("tools:secret", "tools:[bad"), Map.of()));
        assertEquals(List.of("secret__echo", "secret__slow"), tools(scoped));
        ServerSession contractor = legacy(fixture.server, token(Set.of("github"),
                Map.of("groups", List.of("contractors"))));
        assertEquals(List.of("github__echo"), tools(contractor), "the deny rule comes first");
        assertEquals(refusal(call(contractor, "nothing__here"), "nothing__here"),
                refusal(call(contractor, "github__slow"), "github__slow"));
        assertEquals(List.of(), tools(legacy(fixture.server, token(Set.of("other"), Map.of()))),
                "what is not granted is not there");
    }

    @Test
    void forbiddenPromptsAndResourcesAreAnsweredAsUnknown() {
        ServerSession session = legacy(fixture.server, token(Set.of("github"), Map.of()));
        JsonRpcResponse allowed = fixture.request(session, "prompts/get", Json.object().put("name", "github__brief"));
        assertFalse(allowed.isError(), () -> allowed.error().message());
        assertEquals(refusal(fixture.request(session, "prompts/get", Json.object().put("name", "nothing__brief")),
                        "nothing__brief"),
                refusal(fixture.request(session, "prompts/get", Json.object().put("name", "files__brief")),
                        "files__brief"));
        assertFalse(fixture.request(session, "resources/read", Json.object().put("uri", "mem://github/readme"))
                .isError());
        assertEquals(refusal(fixture.request(session, "resources/read", Json.object().put("uri", "mem://no/readme")),
                        "mem://no/readme"),
                refusal(fixture.request(session, "resources/read", Json.object().put("uri", "mem://files/readme")),
                        "mem://files/readme"));
    }

    @Test
    void filteredListsArePrivateToWhoAsked() {
        ServerSession stateless = fixture.server.statelessSession(token(Set.of("github"), Map.of()));
        for (String list : List.of("tools/list", "prompts/list", "resources/list", "resources/templates/list")) {
            JsonRpcResponse response = fixture.request(stateless, list, ServerFixture.modernParams());
            assertEquals("private", response.result().path("cacheScope").asText(), list);
        }
        JsonRpcResponse tools = fixture.request(stateless, "tools/list", ServerFixture.modernParams());
        assertEquals(2, tools.result().path("tools").size());

        try (ServerFixture open = new ServerFixture(ServerOptions.defaults())) {
            open.gateway.registerInProcess(dev.mcpgateway.inprocess.InProcessPlugin.builder("calc").tool("add", "Adds",
                    (args, ctx) -> dev.mcpgateway.mcp.CallToolResult.text("3")).build()).join();
            JsonRpcResponse everything = open.request(open.server.statelessSession(), "tools/list",
                    ServerFixture.modernParams());
            assertEquals("public", everything.result().path("cacheScope").asText(), "nothing filtered: public");
        }
    }

    @Test
    void aVirtualServerShowsItsSubsetRenamedAndKeepsItsSessionsApart() {
        McpServer team = fixture.server.virtualServer("team").orElseThrow();
        assertEquals(Set.of("team"), fixture.server.virtualServerNames());
        ServerSession session = legacy(team, token(Set.of("github", "tools:files/*"), Map.of()));
        JsonRpcResponse list = fixture.request(session, "tools/list", Json.object());
        List<String> names = new ArrayList<>();
        list.result().path("tools").forEach(tool -> names.add(tool.path("name").asText()));
        assertEquals(List.of("files__echo", "files__slow", "say"), names.stream().sorted().toList(),
                "github/echo renamed; files included by its label; github/slow and secret left out");
        JsonNode say = list.result().path("tools").get(names.indexOf("say"));
        assertEquals("Say", say.path("title").asText());
        assertEquals("Says it back", say.path("description").asText());

        JsonRpcResponse said = call(session, "say");
        assertFalse(said.isError(), () -> said.error().message());
        assertEquals("echo", said.result().path("echo").path("name").asText(), "the plugin gets its own name");
        JsonNode unknown = refusal(call(session, "nothing__here"), "nothing__here");
        assertEquals(unknown, refusal(call(session, "github__echo"), "github__echo"), "known here as 'say' only");
        assertEquals(unknown, refusal(call(session, "github__slow"), "github__slow"), "not in the virtual server");
        assertEquals(List.of("files__brief"), names(session, "prompts/list", "prompts", "name", Json.object()));
        assertTrue(team.tool("say", session.principal()).isPresent());
        assertTrue(team.tool("github__slow", session.principal()).isEmpty());

        assertTrue(fixture.server.session(session.id()).isEmpty(), "a virtual server's session is its own");
        ServerSession whole = fixture.server.newSession();
        assertTrue(team.session(whole.id()).isEmpty());
        assertFalse(team.endSession(whole.id()));
        assertTrue(fixture.server.session(whole.id()).isPresent());
        assertEquals(List.of("github__echo", "github__slow"),
                tools(legacy(fixture.server, token(Set.of("github"), Map.of()))), "the whole server is unchanged");
    }
}
