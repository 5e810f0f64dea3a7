package dev.mcpgateway.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LabelSelectorTest {

    /** Labels written as space-separated {@code key=value} pairs; {@code -} for none. */
    private static Map<String, String> labels(String text) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (!text.equals("-")) {
            for (String pair : text.split(" ")) {
                int eq = pair.indexOf('=');
                labels.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return Map.copyOf(labels);
    }

    @ParameterizedTest(name = "''{0}'' on [{1}]: {2}")
    @CsvSource(delimiter = '|', value = {
            "env=prod                              | env=prod                 | true",
            "env=prod                              | env=dev                  | false",
            "env=prod                              | -                        | false",
            "env=prod                              | tier=prod                | false",
            "env==prod                             | env=prod                 | true",
            "env = prod                            | env=prod                 | true",
            "env=                                  | env=                     | true",
            "env=                                  | env=x                    | false",
            "env=                                  | -                        | false",
            "env!=prod                             | env=dev                  | true",
            "env!=prod                             | env=prod                 | false",
            "env!=prod                             | -                        | true",
            "env != prod                           | env=prod                 | false",
            "env in (prod, staging)                | env=staging              | true",
            "env in (prod, staging)                | env=prod                 | true",
            "env in (prod, staging)                | env=dev                  | false",
            "env in (prod, staging)                | -                        | false",
            "env in (prod)                         | env=prod                 | true",
            "env notin (prod,staging)              | env=dev                  | true",
            "env notin (prod,staging)              | env=prod                 | false",
            "env notin (prod,staging)              | -                        | true",
            "canary                                | canary=yes               | true",
            "canary                                | canary=                  | true",
            "canary                                | -                        | false",
            "!canary                               | -                        | true",
            "!canary                               | canary=false             | false",
            "! canary                              | env=prod                 | true",
            "env=prod, tier in (web, api), !canary | env=prod tier=api        | true",
            "env=prod, tier in (web, api), !canary | env=prod tier=db         | false",
            "env=prod, tier in (web, api), !canary | env=prod tier=web canary=1 | false",
            "env=prod, tier in (web, api), !canary | tier=web                 | false",
            "env=prod,region                       | env=prod region=eu       | true",
            "env=prod,region                       | env=prod                 | false",
            "' '                                   | env=prod                 | true",
            "''                                    | -                        | true",
            "app.example.com/team=core-1_x.y       | app.example.com/team=core-1_x.y | true",
            "in=x                                  | in=x                     | true",
            "notin                                 | notin=1                  | true",
            "Env=Prod                              | env=prod                 | false",
            "' env = prod , tier notin ( a , b ) ' | env=prod tier=c          | true",
    })
    void matchesLabels(String selector, String labels, boolean expected) {
        assertEquals(expected, LabelSelector.parse(selector).matches(labels(labels)), selector + " on " + labels);
    }

    @ParameterizedTest(name = "''{0}'' prints as ''{1}''")
    @CsvSource(delimiter = '|', value = {
            "env=prod                               | env=prod",
            "env==prod                              | env=prod",
            "' env = prod '                         | env=prod",
            "env=                                   | env=",
            "env != prod                            | env!=prod",
            "tier in (web, api), env=prod, !canary  | '!canary,env=prod,tier in (api,web)'",
            "x notin ( b , a , b )                  | 'x notin (a,b)'",
            "zone, ! zone                           | '!zone,zone'",
            "b=2,a=1,a!=3                           | 'a!=3,a=1,b=2'",
            "''                                     | ''",
    })
    void toStringIsCanonicalAndParsesBack(String selector, String canonical) {
        LabelSelector parsed = LabelSelector.parse(selector);
        assertEquals(canonical, parsed.toString());
        assertEquals(parsed, LabelSelector.parse(canonical));
        assertEquals(parsed.hashCode(), LabelSelector.parse(canonical).hashCode());
    }

    @Test
    void equalityIgnoresOrderAndSpacing() {
        assertEquals(LabelSelector.parse("a=1,b in (x,y)"), LabelSelector.parse(" b in (y, x) , a==1"));
        assertNotEquals(LabelSelector.parse("a=1"), LabelSelector.parse("a!=1"));
    }

    @Test
    void emptySelectorIsEverything() {
        assertSame(LabelSelector.EVERYTHING, LabelSelector.parse(""));
        assertSame(LabelSelector.EVERYTHING, LabelSelector.parse("  "));
        assertTrue(LabelSelector.EVERYTHING.isEverything());
        assertTrue(LabelSelector.EVERYTHING.matches(Map.of()));
        assertTrue(LabelSelector.EVERYTHING.matches(Map.of("any", "thing")));
        assertEquals("", LabelSelector.EVERYTHING.toString());
        assertFalse(LabelSelector.parse("a").isEverything());
    }

    @Test
    void ofBuildsEqualityRequirements() {
        LabelSelector selector = LabelSelector.of(Map.of("tier", "web", "env", "prod"));
        assertEquals("env=prod,tier=web", selector.toString());
        assertEquals(LabelSelector.parse("env=prod,tier=web"), selector);
        assertTrue(selector.matches(Map.of("env", "prod", "tier", "web", "region", "eu")));
        assertFalse(selector.matches(Map.of("env", "prod")));
        assertTrue(LabelSelector.of(Map.of("env", "")).matches(Map.of("env", "")));
        assertSame(LabelSelector.EVERYTHING, LabelSelector.of(Map.of()));
    }

    @Test
    void ofRejectsLabelsThatSelectorSyntaxCannotExpress() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LabelSelector.of(Map.of("a b", "x")))
                .getMessage().contains("label key 'a b'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LabelSelector.of(Map.of("", "x")))
                .getMessage().contains("non-empty"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LabelSelector.of(Map.of("env", "a,b")))
                .getMessage().contains("value 'a,b'"));
        Map<String, String> nullValue = new HashMap<>();
        nullValue.put("env", null);
        assertThrows(IllegalArgumentException.class, () -> LabelSelector.of(nullValue));
        assertThrows(NullPointerException.class, () -> LabelSelector.of(null));
    }

    @Test
    void aKeyMappedToNullCountsAsAbsent() {
        Map<String, String> labels = new HashMap<>();
        labels.put("canary", null);
        assertTrue(LabelSelector.parse("!canary").matches(labels));
        assertFalse(LabelSelector.parse("canary").matches(labels));
        assertTrue(LabelSelector.parse("canary!=x").matches(labels));
    }

    @ParameterizedTest(name = "''{0}'' is rejected ({1})")
    @CsvSource(delimiter = '|', value = {
            "env=prod,             | remove the trailing comma",
            ",env                  | expected a label key at position 0",
            "env,,tier             | expected a label key at position 4",
            "env in prod           | followed by values in parentheses",
            "env in                | values in parentheses, e.g. 'in (a, b)' at the end",
            "env in (a             | is not closed",
            "env in (a,            | expected a value inside 'in (...)' at the end",
            "env in ()             | expected a value inside 'in (...)'",
            "env notin (a,)        | expected a value inside 'notin (...)'",
            "env in (a b)          | separate the values inside 'in (...)' with ','",
            "!env=prod             | takes no value",
            "!env!=prod            | takes no value",
            "!                     | expected a label key after '!' at the end",
            "env prod              | after key 'env' expected '=', '==', '!=', 'in (...)'",
            "env)                  | after key 'env' expected",
            "(env)                 | expected a label key at position 0",
            "env=a=b               | a value cannot contain",
            "env=(a)               | a value cannot contain",
            "env ! prod            | write '!=' to exclude a value",
            "env=prod tier=web     | expected ',' between requirements at position 9 ('t')",
            "!canary tier          | expected ',' between requirements",
    })
    void rejectsMalformedSelectorsSayingWhereAndWhy(String selector, String problem) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LabelSelector.parse(selector));
        assertTrue(e.getMessage().startsWith("invalid label selector '" + selector + "'"), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
        assertTrue(e.getMessage().contains("'env=prod, tier in (web, api), !canary'"),
                "shows a valid example: " + e.getMessage());
    }

    @Test
    void parseOfNullFailsFast() {
        assertThrows(NullPointerException.class, () -> LabelSelector.parse(null));
    }

    @Test
    void matchingDoesNotAllocate() throws ReflectiveOperationException {
        LabelSelector selector = LabelSelector.parse("env=prod, tier in (web, api, db), !canary, region notin (us)");
        Map<String, String> hit = Map.of("env", "prod", "tier", "api", "region", "eu");
        Map<String, String> miss = Map.of("env", "prod", "tier", "api", "canary", "1");
        assertTrue(VersionConstraintTest.allocatedBytes(100_000, () -> selector.matches(hit) & !selector.matches(miss))
                < 64 * 1024, "matches must not allocate per call");
    }
}
