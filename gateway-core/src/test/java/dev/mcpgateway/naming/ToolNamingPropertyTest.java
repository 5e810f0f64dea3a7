package dev.mcpgateway.naming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.plugin.ToolKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Invariants over large random key sets built to collide a lot; fixed seeds keep them reproducible. */
class ToolNamingPropertyTest {

    /** Few symbols, with every kind the sanitizer folds together, so many keys share a candidate. */
    private static final String[] NAMESPACE_SYMBOLS = {"a", "b", "_", "-", ".", "é", "😀"};
    private static final String[] NAME_SYMBOLS = {"a", "b", "_", "-", ".", "/", "é", "😀", "__"};
    private static final Pattern SAFE_CHAR = Pattern.compile("[A-Za-z0-9_-]");
    private static final Pattern FULL_HEX = Pattern.compile("^[0-9a-f]{64}$");
    private static final Pattern HASHED =
            Pattern.compile("^[A-Za-z0-9_-]{0,55}_[0-9a-f]{8}$|^[A-Za-z0-9_-]{0,47}_[0-9a-f]{16}$|^[0-9a-f]{64}$");

    private static String randomText(Random random, String[] symbols, int maxSymbols) {
        StringBuilder text = new StringBuilder();
        int length = 1 + random.nextInt(maxSymbols);
        for (int i = 0; i < length; i++) {
            text.append(symbols[random.nextInt(symbols.length)]);
        }
        if (random.nextInt(50) == 0) {
            text.append("x".repeat(60 + random.nextInt(10)));  // long enough to need shortening
            text.append(symbols[random.nextInt(symbols.length)]);
        }
        return text.toString();
    }

    private static Set<ToolKey> randomKeys(long seed, int count) {
        Random random = new Random(seed);
        Set<ToolKey> keys = new HashSet<>();
        while (keys.size() < count) {
            keys.add(new ToolKey(randomText(random, NAMESPACE_SYMBOLS, 3), randomText(random, NAME_SYMBOLS, 6)));
        }
        return keys;
    }

    /** Independent sanitizer: one underscore per code point outside [A-Za-z0-9_-]. */
    private static String sanitize(String raw) {
        StringBuilder safe = new StringBuilder();
        raw.codePoints().forEach(c -> safe.append(SAFE_CHAR.matcher(Character.toString(c)).matches() ? (char) c : '_'));
        return safe.toString();
    }

    private static void assertValidAssignment(Set<ToolKey> keys, SortedMap<String, ToolKey> assignment) {
        assertEquals(keys.size(), assignment.size(), "one exposed name per distinct key");
        assertEquals(keys, new HashSet<>(assignment.values()), "every key named, none twice");
        for (String name : assignment.keySet()) {
            assertTrue(ToolNaming.LLM_SAFE.matcher(name).matches(), () -> "not LLM-safe: " + name);
        }
        List<String> order = new ArrayList<>(assignment.keySet());
        List<String> sorted = new ArrayList<>(order);
        Collections.sort(sorted);
        assertEquals(sorted, order, "listing order is ascending by exposed name");
    }

    /**
     * For a strategy whose candidate is a known function of the key: names are either the candidate itself or one
     * of the hash-suffixed forms of it, and every key sharing its sanitized candidate with another key is hashed.
     */
    private static void assertDerivedFromCandidates(SortedMap<String, ToolKey> assignment,
                                                    Function<ToolKey, String> candidateOf) {
        Map<String, Integer> sharing = new HashMap<>();
        Map<ToolKey, String> candidates = new HashMap<>();
        for (ToolKey key : assignment.values()) {
            String candidate = sanitize(candidateOf.apply(key));
            candidates.put(key, candidate);
            sharing.merge(candidate, 1, Integer::sum);
        }
        int hashed = 0;
        for (Map.Entry<String, ToolKey> entry : assignment.entrySet()) {
            String name = entry.getKey();
            String candidate = candidates.get(entry.getValue());
            if (name.equals(candidate)) {
                assertTrue(candidate.length() <= 64, candidate);
                assertEquals(1, sharing.get(candidate), () -> "a shared candidate kept its bare form: " + candidate);
            } else {
                hashed++;
                assertTrue(HASHED.matcher(name).matches(), () -> "unexpected form " + name + " for " + candidate);
                if (!FULL_HEX.matcher(name).matches()) {
                    String prefix = name.substring(0, name.lastIndexOf('_'));
                    assertTrue(candidate.startsWith(prefix), () -> name + " is not derived from " + candidate);
                }
            }
        }
        assertNotEquals(0, hashed, "the key set was meant to force collisions");
    }

    @ParameterizedTest
    @ValueSource(longs = {7, 42, 20240611})
    void twentyThousandCollidingKeysUnderEveryStrategy(long seed) {
        Set<ToolKey> keys = randomKeys(seed, 20_000);
        List<ToolKey> shuffled = new ArrayList<>(keys);
        Collections.shuffle(shuffled, new Random(seed + 1));
        for (String strategy : ToolNaming.NAMES) {
            ToolNaming naming = ToolNaming.byName(strategy);
            SortedMap<String, ToolKey> assignment = naming.assign(keys);
            assertValidAssignment(keys, assignment);
            assertEquals(assignment, naming.assign(shuffled), strategy + " depends on input order");
        }
        assertDerivedFromCandidates(ToolNaming.namespaced().assign(keys), key -> key.namespace() + "__" + key.name());
        assertDerivedFromCandidates(ToolNaming.namespaced("-").assign(keys), key -> key.namespace() + "-" + key.name());
    }

    @ParameterizedTest
    @ValueSource(strings = {"namespaced", "prefix-on-conflict", "unprefixed"})
    void fiftyThousandKeysComplete(String strategy) {
        Random random = new Random(50_000);
        Set<ToolKey> keys = new HashSet<>();
        for (int plugin = 0; plugin < 500; plugin++) {
            for (int tool = 0; tool < 100; tool++) {
                // shared tool names across plugins, plus a sprinkling of lookalikes and over-long names
                String name = switch (random.nextInt(10)) {
                    case 0 -> "tool." + tool;
                    case 1 -> "tool_" + tool + "_" + "y".repeat(70);
                    default -> "tool_" + tool;
                };
                keys.add(new ToolKey("plugin" + plugin + (plugin % 7 == 0 ? ".v2" : ""), name));
            }
        }
        assertEquals(50_000, keys.size());
        ToolNaming naming = ToolNaming.byName(strategy);

        SortedMap<String, ToolKey> assignment = naming.assign(keys);

        assertValidAssignment(keys, assignment);
    }
}
