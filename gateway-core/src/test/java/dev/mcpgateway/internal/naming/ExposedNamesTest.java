package dev.mcpgateway.internal.naming;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcpgateway.naming.ToolNaming;
import dev.mcpgateway.plugin.ToolKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Incremental naming must always equal naming the whole set from scratch, and must not rename the whole set for
 * the common change: a plugin bringing tools nobody else has.
 */
class ExposedNamesTest {
    private static final List<ToolNaming> STRATEGIES = List.of(ToolNaming.namespaced(), ToolNaming.namespaced("-"),
            ToolNaming.prefixOnConflict(), ToolNaming.unprefixed());

    /** Keys chosen to meet each other's ladders: sanitizing clashes, shared bare names, hash shapes, long names. */
    private static List<ToolKey> adversarialPool() {
        List<String> namespaces = List.of("a", "b", "a__b", "x.y", "x_y", "a-b");
        String longName = "l".repeat(70);
        List<String> names = List.of("foo", "foo.bar", "foo_bar", "b__foo", "a__foo", "foo_0123abcd",
                "foo_0123456789abcdef", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                longName, longName + "x", "bar", "b-foo", "y__foo");
        List<ToolKey> pool = new ArrayList<>();
        for (String namespace : namespaces) {
            for (String name : names) {
                pool.add(new ToolKey(namespace, name));
            }
        }
        return pool;
    }

    @Test
    void alwaysEqualsNamingEverythingAgainOverRandomChanges() {
        List<ToolKey> pool = adversarialPool();
        for (ToolNaming naming : STRATEGIES) {
            Random random = new Random(42);
            ExposedNames names = new ExposedNames(naming);
            Set<ToolKey> current = new HashSet<>();
            Map<ToolKey, String> before = new HashMap<>();
            for (int step = 0; step < 3_000; step++) {
                List<ToolKey> added = new ArrayList<>();
                List<ToolKey> removed = new ArrayList<>();
                for (int n = 1 + random.nextInt(3); n > 0; n--) {
                    ToolKey key = pool.get(random.nextInt(pool.size()));
                    if (added.contains(key) || removed.contains(key)) {
                        continue;
                    }
                    (current.contains(key) ? removed : added).add(key);
                }
                current.removeAll(removed);
                current.addAll(added);

                Set<ToolKey> changed = names.update(Set.copyOf(current), added, removed);

                Map<ToolKey, String> expected = byKey(naming.assign(current));
                Map<ToolKey, String> actual = new HashMap<>();
                current.forEach(key -> actual.put(key, names.nameOf(key)));
                assertEquals(expected, actual, naming.name() + " at step " + step + " after +" + added + " -" + removed);
                Set<ToolKey> reallyChanged = new HashSet<>();
                expected.forEach((key, name) -> {
                    if (!name.equals(before.get(key))) {
                        reallyChanged.add(key);
                    }
                });
                assertEquals(reallyChanged, changed, naming.name() + " reports exactly the renamed tools, step " + step);
                removed.forEach(key -> assertEquals(null, names.nameOf(key)));
                before.clear();
                before.putAll(expected);
            }
        }
    }

    @Test
    void aPluginWithNewToolNamesDoesNotRenameTheOthers() {
        for (ToolNaming naming : STRATEGIES) {
            ExposedNames names = new ExposedNames(naming);
            Set<ToolKey> current = new HashSet<>();
            for (int plugin = 0; plugin < 50; plugin++) {
                List<ToolKey> tools = new ArrayList<>();
                for (int tool = 0; tool < 20; tool++) {
                    tools.add(new ToolKey("plugin" + plugin, "tool" + plugin + "_" + tool));
                }
                current.addAll(tools);
                assertEquals(Set.copyOf(tools), names.update(Set.copyOf(current), tools, List.of()));
            }
            List<ToolKey> leaving = current.stream().filter(key -> key.namespace().equals("plugin7")).toList();
            current.removeAll(leaving);
            assertEquals(Set.of(), names.update(Set.copyOf(current), List.of(), leaving));

            assertEquals(0, names.fullRenames(), naming.name() + ": no change named everything again");
            assertEquals(byKey(naming.assign(current)), byKeyOf(names, current));
        }
    }

    @Test
    void aCollisionFallsBackToNamingEverythingAndMovesTheCollidingTools() {
        ExposedNames names = new ExposedNames(ToolNaming.unprefixed());
        ToolKey first = new ToolKey("a", "search");
        ToolKey second = new ToolKey("b", "search");
        names.update(Set.of(first), List.of(first), List.of());
        assertEquals("search", names.nameOf(first));

        assertEquals(Set.of(second), names.update(Set.of(first, second), List.of(second), List.of()));
        assertEquals("b__search", names.nameOf(second));
        assertEquals(1, names.fullRenames());

        assertEquals(Set.of(), names.update(Set.of(first), List.of(), List.of(second)));
        assertEquals("search", names.nameOf(first));
    }

    private static Map<ToolKey, String> byKey(SortedMap<String, ToolKey> assignment) {
        Map<ToolKey, String> byKey = new HashMap<>();
        assignment.forEach((name, key) -> byKey.put(key, name));
        return byKey;
    }

    private static Map<ToolKey, String> byKeyOf(ExposedNames names, Set<ToolKey> keys) {
        Map<ToolKey, String> byKey = new TreeMap<>();
        keys.forEach(key -> byKey.put(key, names.nameOf(key)));
        return new HashMap<>(byKey);
    }
}
