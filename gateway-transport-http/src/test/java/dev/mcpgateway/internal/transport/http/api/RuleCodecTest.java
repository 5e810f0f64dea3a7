package dev.mcpgateway.internal.transport.http.api;

import static dev.mcpgateway.internal.transport.http.api.Bodies.assertError;
import static dev.mcpgateway.internal.transport.http.api.Bodies.assertErrors;
import static dev.mcpgateway.internal.transport.http.api.Bodies.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.balancer.LoadBalancer;
import dev.mcpgateway.routing.LabelSelector;
import dev.mcpgateway.routing.RouteTarget;
import dev.mcpgateway.routing.RoutingRule;
import dev.mcpgateway.routing.ToolPattern;
import dev.mcpgateway.routing.VersionConstraint;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RuleCodecTest {

    private static RoutingRule read(String rule) {
        return RuleCodec.read(json(rule));
    }

    @Test
    void readsTheDocumentedExample() {
        RoutingRule rule = read("""
                { "name": "weather-canary", "match": "weather/*", "loadBalancer": "round-robin",
                  "targets": [ { "weight": 90, "versions": "1.x" },
                               { "weight": 10, "versions": ">=2.0.0", "labels": "track=canary" } ] }""");

        assertEquals(new RoutingRule("weather-canary", ToolPattern.parse("weather/*"), List.of(
                new RouteTarget(VersionConstraint.parse("1.x"), LabelSelector.EVERYTHING, 90),
                new RouteTarget(VersionConstraint.parse(">=2.0.0"), LabelSelector.parse("track=canary"), 10)),
                LoadBalancer.roundRobin()), rule);
    }

    @Test
    void onlyMatchAndTargetsAreNeeded() {
        RoutingRule rule = read("{\"match\": \"github/create_*\", \"targets\": [{}]}");

        assertEquals("github/create_*", rule.name(), "a rule without a name is named by its pattern");
        assertNull(rule.loadBalancer(), "the gateway's default");
        assertEquals(List.of(RouteTarget.all()), rule.targets(), "weight 1, every version, every instance");
    }

    @Test
    void aBodyThatIsNotAnObjectIsOneErrorAtTheRoot() {
        assertError(() -> read("[]"), "", "must be a JSON object, got an array");
        assertError(() -> RuleCodec.readList(json("[]")), "", "must be a JSON object, got an array");
    }

    @Test
    void matchAndTargetsAreRequired() {
        assertErrors(() -> read("{\"name\": \"r\"}"), Map.of("/match", List.of("required"),
                "/targets", List.of("required")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            "name": 1, "match": "*", "targets": [{}] | /name | must be a string, got a number
            "match": ["*"], "targets": [{}] | /match | must be a string, got an array
            "match": "*", "loadBalancer": 2, "targets": [{}] | /loadBalancer | must be a string, got a number
            "match": "*", "targets": {"weight": 1} | /targets | must be an array, got an object
            "match": "*", "targets": ["1.x"] | /targets/0 | must be a JSON object, got a string
            "match": "*", "targets": [{"weight": "90"}] | /targets/0/weight | must be an integer, got a string
            "match": "*", "targets": [{"weight": 0.5}]                | /targets/0/weight  | must be an integer, got 0.5
            "match": "*", "targets": [{"versions": 2}] | /targets/0/versions | must be a string, got a number
            "match": "*", "targets": [{"labels": {"track": "eu"}}] | /targets/0/labels | must be a string, got an object
            """)
    void aMemberOfTheWrongTypeIsNamedWithWhatItShouldBe(String members, String field, String message) {
        assertError(() -> read("{" + members + "}"), field, message);
    }

    @Test
    void unknownMembersAreErrorsInRulesAndTargets() {
        assertErrors(() -> read("""
                {"match": "*", "balancer": "p2c", "targets": [{"wieght": 2}]}"""), Map.of(
                "/balancer", List.of("unknown field; the known ones are name, match, loadBalancer, targets"),
                "/targets/0/wieght", List.of("unknown field; the known ones are weight, versions, labels")));
        assertError(() -> RuleCodec.readList(json("{\"rules\": [], \"replace\": true}")), "/replace",
                "unknown field; the known ones are rules");
    }

    @Test
    void patternsVersionsLabelsAndBalancersAreCheckedByTheLibrarysParsers() {
        assertErrors(() -> read("""
                {"match": "/read", "loadBalancer": "fastest",
                 "targets": [{"versions": ">=2.0.0 | <3"}, {"labels": "region in eu"}, {"weight": -1}]}"""), Map.of(
                "/match", List.of("invalid tool pattern '/read': the namespace part before '/' is empty"),
                "/loadBalancer", List.of("unknown load balancer 'fastest'; use one of [round-robin, least-connections, "
                        + "weighted, p2c]"),
                "/targets/0/versions", List.of("contains a single '|'; separate alternatives with '||'"),
                "/targets/1/labels", List.of("invalid label selector 'region in eu'", "in (a, b)"),
                "/targets/2/weight", List.of("a route target's weight must be between 0 and 1000000, got -1")));
    }

    @Test
    void aRuleWithoutTargetsOrWithOnlyZeroWeightsIsRefusedAtItsTargets() {
        assertError(() -> read("{\"match\": \"*\", \"targets\": []}"), "/targets",
                "must list at least one target, such as [{\"weight\": 1}]");
        assertError(() -> read("{\"name\": \"drained\", \"match\": \"*\", \"targets\": [{\"weight\": 0}, "
                + "{\"weight\": 0}]}"), "/targets", "routing rule 'drained': all target weights are 0; give at least "
                + "one target a positive weight");
    }

    @Test
    void aListIsReadInOrderWithEveryErrorOfEveryRule() {
        List<RoutingRule> rules = RuleCodec.readList(json("""
                {"rules": [{"name": "a", "match": "github/*", "targets": [{}]},
                           {"name": "b", "match": "*", "loadBalancer": "p2c", "targets": [{"weight": 2}]}]}"""));
        assertEquals(List.of("a", "b"), rules.stream().map(RoutingRule::name).toList());
        assertSame(LoadBalancer.powerOfTwoChoices(), rules.get(1).loadBalancer());

        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> RuleCodec.readList(json("""
                {"rules": [{"name": "a", "match": "*", "targets": [{"weight": 1}]},
                           {"name": "b", "match": "", "targets": [{"weight": 1}, {"weight": 2000000}]},
                           null,
                           {"name": "c", "match": "*", "targets": [{"weight": 0}]}]}""")));
        assertEquals(List.of("/rules/1/match", "/rules/1/targets/1/weight", "/rules/2", "/rules/3/targets"),
                e.errors().stream().map(FieldError::field).toList());
        assertTrue(e.getMessage().startsWith("4 errors: /rules/1/match: invalid tool pattern ''"), e.getMessage());
    }

    @Test
    void theRulesAreRequired() {
        assertError(() -> RuleCodec.readList(json("{}")), "/rules", "required");
        assertError(() -> RuleCodec.readList(json("{\"rules\": {}}")), "/rules", "must be an array, got an object");
        assertEquals(List.of(), RuleCodec.readList(json("{\"rules\": []}")),
                "no rules: every tool goes to every instance");
    }

    @Test
    void aNameUsedTwiceIsAnErrorAtTheSecond() {
        assertError(() -> RuleCodec.readList(json("""
                {"rules": [{"name": "canary", "match": "a/*", "targets": [{}]},
                           {"name": "other", "match": "b/*", "targets": [{}]},
                           {"name": "canary", "match": "c/*", "targets": [{}]}]}""")),
                "/rules/2/name", "two routing rules are named 'canary'; give each rule a distinct name");
        assertError(() -> RuleCodec.readList(json("""
                {"rules": [{"match": "a/*", "targets": [{}]}, {"match": "a/*", "targets": [{"weight": 3}]}]}""")),
                "/rules/1/name", "two routing rules are named 'a/*'");
    }

    @Test
    void aRuleRoundTrips() {
        RoutingRule rule = new RoutingRule("files-bluegreen", ToolPattern.parse("file?/read_*"), List.of(
                new RouteTarget(VersionConstraint.parse("^1.2.3 || 2.x"),
                        LabelSelector.parse("env=prod,tier in (web,api)"), 0),
                new RouteTarget(VersionConstraint.ANY, LabelSelector.parse("!canary"), 100),
                new RouteTarget(VersionConstraint.parse("1.x || *"), LabelSelector.EVERYTHING, 5)),
                LoadBalancer.leastConnections());

        ObjectNode written = RuleCodec.write(rule);

        assertEquals(rule, RuleCodec.read(json(written.toString())));
        assertEquals("least-connections", written.get("loadBalancer").asText());
        assertEquals("env=prod,tier in (api,web)", written.get("targets").get(0).get("labels").asText());
        assertFalse(written.get("targets").get(1).has("versions"), "every version: left out");
        assertFalse(written.get("targets").get(2).has("labels"), "every instance: left out");
        assertEquals("1.x || *", written.get("targets").get(2).get("versions").asText(), "kept as written");
    }

    @Test
    void everyBalancerRoundTripsByName() {
        for (String name : LoadBalancer.NAMES) {
            RoutingRule rule = RoutingRule.forTools("*").name("r").target(RouteTarget.all())
                    .loadBalancer(LoadBalancer.byName(name)).build();

            assertEquals(rule, RuleCodec.read(RuleCodec.write(rule)), name);
        }
    }

    @Test
    void aRuleOnTheDefaultBalancerIsWrittenWithoutOne() {
        RoutingRule rule = RoutingRule.forTools("weather").target(RouteTarget.versions("1.x").weight(90))
                .target(RouteTarget.labels("track=canary").weight(10)).build();

        JsonNode written = RuleCodec.write(rule);

        assertEquals(json("""
                {"name": "weather", "match": "weather", "targets": [{"weight": 90, "versions": "1.x"},
                                                                    {"weight": 10, "labels": "track=canary"}]}"""),
                written);
        assertEquals(rule, RuleCodec.read(written));
    }

    @Test
    void aWrittenListReadsBackAsTheSameList() {
        List<RoutingRule> rules = List.of(
                RoutingRule.forTools("github/create_*").name("writes").target(RouteTarget.labels("role=primary"))
                        .build(),
                RoutingRule.forTools("*").name("rest").target(RouteTarget.all()).build());
        ObjectNode body = json("{}").deepCopy();
        rules.forEach(rule -> body.withArray("rules").add(RuleCodec.write(rule)));

        assertEquals(rules, RuleCodec.readList(body));
    }
}
