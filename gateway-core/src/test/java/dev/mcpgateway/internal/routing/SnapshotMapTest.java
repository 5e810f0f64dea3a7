package dev.mcpgateway.internal.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Versions of a snapshot map behave like independent hash maps, also across the points where the map grows. */
class SnapshotMapTest {

    @Test
    void everyVersionKeepsItsOwnContentWhileTheMapGrowsAndShrinks() {
        Random random = new Random(7);
        Map<Integer, String> model = new HashMap<>();
        SnapshotMap<Integer, String> map = SnapshotMap.empty();
        Map<SnapshotMap<Integer, String>, Map<Integer, String>> versions = new HashMap<>();
        for (int round = 0; round < 200; round++) {
            SnapshotMap.Editor<Integer, String> editor = map.edit();
            int changes = round < 100 ? 300 : 40;
            for (int i = 0; i < changes; i++) {
                int key = random.nextInt(50_000);
                if (round >= 100 && random.nextBoolean()) {
                    editor.remove(key);
                    model.remove(key);
                } else {
                    editor.put(key, "v" + round);
                    model.put(key, "v" + round);
                }
            }
            map = editor.build();
            versions.put(map, new HashMap<>(model));
        }
        for (Map.Entry<SnapshotMap<Integer, String>, Map<Integer, String>> version : versions.entrySet()) {
            SnapshotMap<Integer, String> snapshot = version.getKey();
            Map<Integer, String> expected = version.getValue();
            assertEquals(expected, snapshot.toMap());
            assertEquals(expected.size(), snapshot.size());
            assertEquals(expected.size(), snapshot.values().size());
            expected.forEach((key, value) -> assertEquals(value, snapshot.get(key)));
            assertNull(snapshot.get(-1));
        }
    }
}
