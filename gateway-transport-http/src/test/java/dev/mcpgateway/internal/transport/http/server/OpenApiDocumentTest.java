package dev.mcpgateway.internal.transport.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.auth.Principal;
import dev.mcpgateway.auth.TokenValidator;
import dev.mcpgateway.server.McpServer;
import dev.mcpgateway.transport.http.server.FrontDoorAuth;
import dev.mcpgateway.transport.http.server.HttpFrontDoorOptions;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The hand-written OpenAPI description ({@code openapi.json}) held to the router's actual route table, route by
 * route: every route documented with its method and every documented operation routed; the path and query
 * parameters each takes; a request body exactly where a route reads one (and then 400, 413 and 415); 404 wherever a
 * path names something (but PUT, which creates it); 403 and 421 everywhere (Origin and Host are checked on every
 * route); only statuses the API produces; every operation's security the scopes the router requires of it; every
 * reference resolving; and the document an OpenAPI 3.1 one.
 */
class OpenApiDocumentTest {
    /** Every status a route of the API answers with (the MCP endpoint is not described). */
    private static final Set<String> PRODUCED = Set.of("200", "201", "202", "400", "401", "403", "404", "409", "413", "415",
            "421", "502", "503", "504");
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options",
            "trace");
    private static final Pattern PARAM = Pattern.compile("\\{([^}]+)}");

    private static McpGateway gateway;
    private static McpServer server;
    private static FrontDoorRouter router;
    private static JsonNode document;

    @BeforeAll
    static void setUp() {
        gateway = McpGateway.builder().build();
        server = McpServer.create(gateway);
        router = new FrontDoorRouter(server, HttpFrontDoorOptions.defaults());
        document = OpenApiRoute.load();
    }

    @AfterAll
    static void tearDown() {
        router.close();
        server.close();
        gateway.close();
    }

    @Test
    void itIsAnOpenApi31Document() {
        assertTrue(document.path("openapi").asText().matches("3\\.1\\.\\d+"), document.path("openapi").toString());
        assertFalse(document.path("info").path("title").asText().isBlank());
        assertFalse(document.path("info").path("version").asText().isBlank());
        assertTrue(document.path("paths").isObject());
        assertTrue(document.path("components").path("schemas").has("Problem"));
        assertTrue(document.path("components").path("schemas").path("Problem").path("properties").has("errors"));
    }

    @Test
    void everyRouteIsDocumentedAndEveryOperationRouted() {
        Set<String> routed = new TreeSet<>();
        for (RouteTable.Route route : router.routes()) {
            routed.add(route.method() + " " + route.template());
        }
        Set<String> documented = new TreeSet<>();
        document.path("paths").properties().forEach(path -> operations(path.getValue()).forEach((method, op) ->
                documented.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey())));
        assertEquals(routed, documented);
    }

    @Test
    void everyOperationDocumentsItsParametersBodyAndStatuses() {
        for (RouteTable.Route route : router.routes()) {
            String name = route.method() + " " + route.template();
            JsonNode path = document.path("paths").path(route.template());
            JsonNode op = path.path(route.method().toLowerCase(Locale.ROOT));
            assertNotNull(op.get("operationId"), name);
            List<JsonNode> parameters = new ArrayList<>();
            path.path("parameters").forEach(p -> parameters.add(resolve(p)));
            op.path("parameters").forEach(p -> parameters.add(resolve(p)));

            Set<String> pathParams = new TreeSet<>();
            Matcher matcher = PARAM.matcher(route.template());
            while (matcher.find()) {
                pathParams.add(matcher.group(1));
            }
            assertEquals(pathParams, names(parameters, "path"), name + ": path parameters");
            parameters.stream().filter(p -> "path".equals(p.path("in").asText()))
                    .forEach(p -> assertTrue(p.path("required").asBoolean(), name + ": path parameters are required"));
            assertEquals(new TreeSet<>(route.query()), names(parameters, "query"), name + ": query parameters");

            Set<String> statuses = new TreeSet<>();
            op.path("responses").fieldNames().forEachRemaining(statuses::add);
            assertTrue(PRODUCED.containsAll(statuses), name + " documents a status the API never answers: " + statuses);
            assertTrue(statuses.containsAll(Set.of("403", "421")), name + ": Origin and Host are checked: " + statuses);
            assertTrue(statuses.stream().anyMatch(s -> s.startsWith("2")), name + ": a success");
            if (!pathParams.isEmpty() && !route.method().equals("PUT")) { // PUT creates what is not there
                assertTrue(statuses.contains("404"), name + ": names something that may not exist");
            }
            if (!route.query().isEmpty()) {
                assertTrue(statuses.contains("400"), name + ": takes query parameters, refused when bad");
            }
            boolean readsBody = op.has("requestBody");
            assertEquals(readsBody, statuses.contains("415"), name + ": 415 exactly where a body is read");
            assertEquals(readsBody, statuses.contains("413"), name + ": 413 exactly where a body is read");
            if (readsBody) {
                assertTrue(statuses.contains("400"), name);
                assertTrue(op.path("requestBody").path("content").has("application/json"), name);
                assertTrue(List.of("POST", "PUT").contains(route.method()), name);
            }
            op.path("responses").properties().forEach(response -> {
                JsonNode answer = resolve(response.getValue());
                boolean error = response.getKey().startsWith("4") || response.getKey().startsWith("5");
                boolean probe = route.template().equals("/healthz") || route.template().equals("/readyz");
                if (error && !probe) { // a probe's 503 is its JSON status, for orchestrators
                    assertTrue(answer.path("content").has("application/problem+json"),
                            name + " " + response.getKey() + " is a problem document");
                }
            });
        }
    }

    @Test
    void everyOperationsSecurityIsTheScopeTheRouterRequires() {
        ApiAccess access = new ApiAccess(FrontDoorAuth.builder(new TokenValidator() {
            @Override
            public Principal validate(String bearerToken) {
                throw new UnsupportedOperationException("not called");
            }

            @Override
            public void close() {
            }
        }).authorizationServer(URI.create("https://auth.example.test/")).build());
        assertTrue(document.path("components").path("securitySchemes").has("bearer"));
        for (RouteTable.Route route : router.routes()) {
            String name = route.method() + " " + route.template();
            JsonNode op = document.path("paths").path(route.template()).path(route.method().toLowerCase(Locale.ROOT));
            ApiAccess.Need need = ApiAccess.need(route.method(), route.template());
            Set<String> documented = new TreeSet<>();
            op.path("security").forEach(alternative -> alternative.path("bearer").forEach(scope ->
                    documented.add(scope.asText())));
            assertEquals(new TreeSet<>(access.requirement(need).scopes()), documented, name + ": security");
            assertEquals(need != ApiAccess.Need.NONE, op.path("responses").has("401"), name + ": 401 with a scope");
        }
    }

    @Test
    void theBodyRoutesAreThoseThatReadOne() {
        Set<String> documented = new TreeSet<>();
        document.path("paths").properties().forEach(path -> operations(path.getValue()).forEach((method, op) -> {
            if (op.has("requestBody")) {
                documented.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
            }
        }));
        assertEquals(new TreeSet<>(List.of("POST /api/v1/plugins", "POST /api/v1/tools/{name}/invoke",
                "PUT /api/v1/rules", "PUT /api/v1/rules/{name}")), documented);
    }

    @Test
    void everyReferenceResolves() {
        List<String> refs = new ArrayList<>();
        collectRefs(document, refs);
        assertFalse(refs.isEmpty());
        for (String ref : refs) {
            assertTrue(ref.startsWith("#/"), ref);
            assertFalse(document.at(ref.substring(1)).isMissingNode(), "unresolved " + ref);
        }
    }

    private static Map<String, JsonNode> operations(JsonNode pathItem) {
        Map<String, JsonNode> ops = new LinkedHashMap<>();
        pathItem.properties().forEach(entry -> {
            if (METHODS.contains(entry.getKey())) {
                ops.put(entry.getKey(), entry.getValue());
            }
        });
        return ops;
    }

    private static Set<String> names(List<JsonNode> parameters, String in) {
        Set<String> names = new TreeSet<>();
        Set<String> seen = new HashSet<>();
        for (JsonNode parameter : parameters) {
            if (in.equals(parameter.path("in").asText())) {
                assertTrue(seen.add(parameter.path("name").asText()), "declared twice: " + parameter);
                names.add(parameter.path("name").asText());
            }
        }
        return names;
    }

    private static JsonNode resolve(JsonNode node) {
        JsonNode ref = node.get("$ref");
        return ref == null ? node : document.at(ref.asText().substring(1));
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                if (field.getKey().equals("$ref")) {
                    refs.add(field.getValue().asText());
                } else {
                    collectRefs(field.getValue(), refs);
                }
            }
        } else if (node.isArray()) {
            node.forEach(child -> collectRefs(child, refs));
        }
    }
}
