package dev.mcpgateway.naming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.plugin.ToolKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ToolNamingTest {

    private static final ToolNaming NAMESPACED = ToolNaming.namespaced();

    private static ToolKey key(String namespace, String name) {
        return new ToolKey(namespace, name);
    }

    /** The documented hash, computed independently of the implementation. */
    static String identityHex(ToolKey key, int hexChars) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            byte[] identity = (key.namespace() + '\u0000' + key.name()).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(sha256.digest(identity)).substring(0, hexChars);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** Exposed name of each key, for assertions that read key -> name. */
    static Map<ToolKey, String> byKey(SortedMap<String, ToolKey> assignment) {
        Map<ToolKey, String> names = new TreeMap<>();
        assignment.forEach((name, key) -> assertEquals(null, names.put(key, name), "key named twice: " + key));
        return names;
    }

    @Nested
    class Namespaced {

        @Test
        void simpleKeyIsNamespaceSeparatorTool() {
            SortedMap<String, ToolKey> assignment = NAMESPACED.assign(List.of(key("github", "create_issue")));
            assertEquals(Map.of("github__create_issue", key("github", "create_issue")), assignment);
            assertEquals("namespaced", NAMESPACED.name());
        }

        @Test
        void listingIsSortedByExposedNameAndUnmodifiable() {
            SortedMap<String, ToolKey> assignment = NAMESPACED.assign(List.of(
                    key("zeta", "a"), key("alpha", "b"), key("Beta", "c"), key("alpha", "a")));
            assertEquals(List.of("Beta__c", "alpha__a", "alpha__b", "zeta__a"), new ArrayList<>(assignment.keySet()));
            assertThrows(UnsupportedOperationException.class, () -> assignment.put("x", key("x", "x")));
        }

        @Test
        void emptyInputGivesEmptyMap() {
            assertTrue(NAMESPACED.assign(List.of()).isEmpty());
            assertTrue(ToolNaming.unprefixed().assign(new HashSet<>()).isEmpty());
        }

        @Test
        void duplicateKeysAreNamedOnce() {
            SortedMap<String, ToolKey> assignment = NAMESPACED.assign(List.of(key("a", "b"), key("a", "b")));
            assertEquals(Map.of("a__b", key("a", "b")), assignment);
        }

        @Test
        void nullsAreRejected() {
            assertThrows(NullPointerException.class, () -> NAMESPACED.assign(null));
            assertThrows(NullPointerException.class, () -> NAMESPACED.assign(Arrays.asList(key("a", "b"), null)));
        }

        @Test
        void unsafeCharactersBecomeUnderscores() {
            Map<ToolKey, String> names = byKey(NAMESPACED.assign(List.of(
                    key("file.system", "read/file"),
                    key("my server", "get-weather"),
                    key("café", "naïve tool"),
                    key("emoji", "go😀now"),
                    key("日本", "検索"))));
            assertEquals("file_system__read_file", names.get(key("file.system", "read/file")));
            assertEquals("my_server__get-weather", names.get(key("my server", "get-weather")));
            assertEquals("caf___na_ve_tool", names.get(key("café", "naïve tool")));
            // one code point, one underscore, even outside the BMP
            assertEquals("emoji__go_now", names.get(key("emoji", "go😀now")));
            assertEquals("______", names.get(key("日本", "検索")));
            names.values().forEach(name -> assertTrue(ToolNaming.LLM_SAFE.matcher(name).matches(), name));
        }

        @Test
        void longNameIsShortenedToExactly64WithStableHash() {
            ToolKey longKey = key("github", "x".repeat(100));
            String expected = ("github__" + "x".repeat(100)).substring(0, 55) + "_" + identityHex(longKey, 8);

            String name = byKey(NAMESPACED.assign(List.of(longKey))).get(longKey);

            assertEquals(expected, name);
            assertEquals(64, name.length());
            assertTrue(ToolNaming.LLM_SAFE.matcher(name).matches());
            assertEquals(name, byKey(NAMESPACED.assign(List.of(key("other", "tool"), longKey))).get(longKey),
                    "the shortened name must not depend on the other tools");
        }

        @Test
        void exactly64CharactersIsKeptAsIs() {
            ToolKey key = key("ns", "y".repeat(60));
            assertEquals("ns__" + "y".repeat(60), byKey(NAMESPACED.assign(List.of(key))).get(key));
        }

        @Test
        void keysDifferingOnlyAfterCharacter64GetDistinctNames() {
            ToolKey one = key("ns", "x".repeat(70) + "1");
            ToolKey two = key("ns", "x".repeat(70) + "2");

            Map<ToolKey, String> names = byKey(NAMESPACED.assign(List.of(one, two)));

            String prefix = ("ns__" + "x".repeat(70)).substring(0, 55) + "_";
            assertEquals(prefix + identityHex(one, 8), names.get(one));
            assertEquals(prefix + identityHex(two, 8), names.get(two));
            assertNotEquals(names.get(one), names.get(two));
        }

        @Test
        void keysSanitizedToTheSameNameAllGetHashSuffixes() {
            ToolKey dotted = key("ns", "a.b");
            ToolKey underscored = key("ns", "a_b");
            ToolKey bystander = key("ns", "plain");

            Map<ToolKey, String> names = byKey(NAMESPACED.assign(List.of(dotted, underscored, bystander)));

            assertEquals("ns__a_b_" + identityHex(dotted, 8), names.get(dotted));
            assertEquals("ns__a_b_" + identityHex(underscored, 8), names.get(underscored));
            assertEquals("ns__plain", names.get(bystander));
        }

        @Test
        void separatorInsideNamespaceOrToolCollidesAndIsDisambiguated() {
            ToolKey left = key("a__b", "c");
            ToolKey right = key("a", "b__c");

            Map<ToolKey, String> names = byKey(NAMESPACED.assign(List.of(left, right)));

            assertEquals("a__b__c_" + identityHex(left, 8), names.get(left));
            assertEquals("a__b__c_" + identityHex(right, 8), names.get(right));
        }

        @Test
        void longCollidingNamesAreTruncatedToFit() {
            ToolKey dotted = key("ns", "z".repeat(55) + ".q");
            ToolKey underscored = key("ns", "z".repeat(55) + "_q");

            Map<ToolKey, String> names = byKey(NAMESPACED.assign(List.of(dotted, underscored)));

            String prefix = ("ns__" + "z".repeat(55)).substring(0, 55) + "_";
            assertEquals(prefix + identityHex(dotted, 8), names.get(dotted));
            assertEquals(prefix + identityHex(underscored, 8), names.get(underscored));
        }

        @Test
        void hashSuffixedNameCollidingWithANaturalNameMovesBothOn() {
            ToolKey dotted = key("a", "b.c");
            ToolKey underscored = key("a", "b_c");
            // naturally named exactly like the first collision's hash-suffixed form
            ToolKey lookalike = key("a", "b_c_" + identityHex(dotted, 8));

            Map<ToolKey, String> names = byKey(NAMESPACED.assign(List.of(dotted, underscored, lookalike)));

            assertEquals("a__b_c_" + identityHex(dotted, 16), names.get(dotted));
            assertEquals("a__b_c_" + identityHex(underscored, 8), names.get(underscored));
            assertEquals("a__b_c_" + identityHex(dotted, 8) + "_" + identityHex(lookalike, 8), names.get(lookalike));
        }

        @Test
        void keysWithIdenticalHashIdentityStillGetDistinctNames() {
            // both hash identities are "a\0_\0c" and both candidates sanitize to "a____c": only the last rung separates them
            ToolKey one = key("a", "_\u0000c");
            ToolKey two = key("a\u0000_", "c");

            Map<ToolKey, String> names = byKey(NAMESPACED.assign(List.of(one, two)));

            assertEquals(2, names.size());
            assertNotEquals(names.get(one), names.get(two));
            names.values().forEach(name -> assertTrue(name.matches("[0-9a-f]{64}"), name));
        }

        @Test
        void customSeparator() {
            ToolNaming dash = ToolNaming.namespaced("-");
            assertEquals(Map.of("github-create_issue", key("github", "create_issue")),
                    dash.assign(List.of(key("github", "create_issue"))));
            assertEquals("namespaced", dash.name());
            assertEquals(Map.of("ax9_b", key("a", "b")), ToolNaming.namespaced("x9_").assign(List.of(key("a", "b"))));
        }

        @ParameterizedTest
        @ValueSource(strings = {"", ".", "/", "____", "a b", "é"})
        void invalidSeparatorsAreRejectedWithAHint(String separator) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> ToolNaming.namespaced(separator));
            assertTrue(e.getMessage().contains("1 to 3 characters from [A-Za-z0-9_-]"), e.getMessage());
            assertTrue(e.getMessage().contains("'" + separator + "'"), e.getMessage());
        }

        @Test
        void nullSeparatorIsRejected() {
            assertThrows(NullPointerException.class, () -> ToolNaming.namespaced(null));
        }
    }

    @Nested
    class PrefixOnConflict {
        private final ToolNaming naming = ToolNaming.prefixOnConflict();

        @Test
        void sharedNamesArePrefixedEverywhereUniqueNamesStayBare() {
            SortedMap<String, ToolKey> assignment = naming.assign(List.of(
                    key("github", "create_issue"), key("gitlab", "create_issue"),
                    key("github", "list_repos"), key("fs", "read.file")));

            assertEquals(new TreeMap<>(Map.of(
                    "github__create_issue", key("github", "create_issue"),
                    "gitlab__create_issue", key("gitlab", "create_issue"),
                    "list_repos", key("github", "list_repos"),
                    "read_file", key("fs", "read.file"))), assignment);
            assertEquals("prefix-on-conflict", naming.name());
        }

        @Test
        void namesEqualAfterSanitizingCountAsShared() {
            Map<ToolKey, String> names = byKey(naming.assign(List.of(key("a", "x.y"), key("b", "x_y"))));
            assertEquals(Map.of(key("a", "x.y"), "a__x_y", key("b", "x_y"), "b__x_y"), names);
        }

        @Test
        void sameNamespaceLookalikesAreHashedNotPrefixed() {
            ToolKey dotted = key("a", "x.y");
            ToolKey underscored = key("a", "x_y");
            Map<ToolKey, String> names = byKey(naming.assign(List.of(dotted, underscored)));
            assertEquals("x_y_" + identityHex(dotted, 8), names.get(dotted));
            assertEquals("x_y_" + identityHex(underscored, 8), names.get(underscored));
        }
    }

    @Nested
    class Unprefixed {
        private final ToolNaming naming = ToolNaming.unprefixed();

        @Test
        void firstNamespaceKeepsBareNameOthersArePrefixed() {
            SortedMap<String, ToolKey> assignment = naming.assign(List.of(
                    key("gitlab", "create_issue"), key("github", "create_issue"), key("bitbucket", "list"),
                    key("zulip", "create_issue")));

            assertEquals(new TreeMap<>(Map.of(
                    "create_issue", key("github", "create_issue"),
                    "gitlab__create_issue", key("gitlab", "create_issue"),
                    "zulip__create_issue", key("zulip", "create_issue"),
                    "list", key("bitbucket", "list"))), assignment);
            assertEquals("unprefixed", naming.name());
        }

        @Test
        void prefixedNameCollidingWithABareNameIsHashedOnBothSides() {
            ToolKey github = key("github", "create_issue");
            ToolKey gitlab = key("gitlab", "create_issue");
            ToolKey impostor = key("zz", "gitlab__create_issue");

            Map<ToolKey, String> names = byKey(naming.assign(List.of(github, gitlab, impostor)));

            assertEquals("create_issue", names.get(github));
            assertEquals("gitlab__create_issue_" + identityHex(gitlab, 8), names.get(gitlab));
            assertEquals("gitlab__create_issue_" + identityHex(impostor, 8), names.get(impostor));
        }

        @Test
        void firstNamespaceWithTwoLookalikesHashesBoth() {
            ToolKey dotted = key("a", "x.y");
            ToolKey underscored = key("a", "x_y");
            ToolKey later = key("b", "x_y");

            Map<ToolKey, String> names = byKey(naming.assign(List.of(later, dotted, underscored)));

            assertEquals("x_y_" + identityHex(dotted, 8), names.get(dotted));
            assertEquals("x_y_" + identityHex(underscored, 8), names.get(underscored));
            assertEquals("b__x_y", names.get(later));
        }
    }

    @Nested
    class Determinism {

        private List<ToolKey> trickyKeys() {
            List<ToolKey> keys = new ArrayList<>(List.of(
                    key("ns", "a.b"), key("ns", "a_b"), key("a__b", "c"), key("a", "b__c"),
                    key("github", "create_issue"), key("gitlab", "create_issue"), key("gitlab", "create.issue"),
                    key("ns", "x".repeat(70) + "1"), key("ns", "x".repeat(70) + "2"), key("é", "ü"), key("_", "_"),
                    key("a", "_\u0000c"), key("a\u0000_", "c")));
            keys.add(key("ns", "a_b_" + identityHex(key("ns", "a.b"), 8)));
            for (int i = 0; i < 40; i++) {
                keys.add(key("n" + (i % 4), "t" + (i % 10) + (i % 3 == 0 ? "." : "_")));
            }
            return keys;
        }

        @ParameterizedTest
        @ValueSource(strings = {"namespaced", "prefix-on-conflict", "unprefixed"})
        void resultDoesNotDependOnInputOrderOrCollectionType(String strategy) {
            ToolNaming naming = ToolNaming.byName(strategy);
            List<ToolKey> keys = trickyKeys();
            SortedMap<String, ToolKey> expected = naming.assign(keys);
            List<Map.Entry<String, ToolKey>> expectedEntries = new ArrayList<>(expected.entrySet());
            assertEquals(new HashSet<>(keys).size(), expected.size());

            for (long seed = 1; seed <= 25; seed++) {
                List<ToolKey> shuffled = new ArrayList<>(keys);
                Collections.shuffle(shuffled, new Random(seed));
                SortedMap<String, ToolKey> actual = naming.assign(shuffled);
                assertEquals(expectedEntries, new ArrayList<>(actual.entrySet()), "seed " + seed);
            }
            assertEquals(expected, naming.assign(new HashSet<>(keys)));
            assertEquals(expected, naming.assign(new LinkedList<>(keys.reversed())));
            List<ToolKey> doubled = new ArrayList<>(keys);
            doubled.addAll(keys);
            assertEquals(expected, naming.assign(doubled));
        }
    }

    @Nested
    class ByName {

        @Test
        void acceptsTheConfigNames() {
            assertSame(ToolNaming.namespaced(), ToolNaming.byName("namespaced"));
            assertSame(ToolNaming.prefixOnConflict(), ToolNaming.byName("prefix-on-conflict"));
            assertSame(ToolNaming.unprefixed(), ToolNaming.byName(" Unprefixed "));
            for (String name : ToolNaming.NAMES) {
                assertEquals(name, ToolNaming.byName(name).name());
            }
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "prefixed", "namespaced(-)", "prefix_on_conflict"})
        void unknownNamesListTheAcceptedValues(String name) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ToolNaming.byName(name));
            assertTrue(e.getMessage().contains("'" + name + "'"), e.getMessage());
            assertTrue(e.getMessage().contains("[namespaced, prefix-on-conflict, unprefixed]"), e.getMessage());
        }

        @Test
        void nullNameIsAnUnknownName() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ToolNaming.byName(null));
            assertTrue(e.getMessage().contains("use one of"), e.getMessage());
        }
    }
}
