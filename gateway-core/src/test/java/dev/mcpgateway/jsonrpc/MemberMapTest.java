package dev.mcpgateway.jsonrpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MemberMapTest {
    private static final int NAMES = 14; // more than the array holds, so runs cross into the map and stay there

    @Test
    void randomChangesLeaveTheSameMembersInTheSameOrderAsALinkedHashMap() {
        Random random = new Random(20261207);
        for (int run = 0; run < 300; run++) {
            MemberMap map = new MemberMap();
            Map<String, JsonNode> expected = new LinkedHashMap<>();
            for (int step = 0; step < 60; step++) {
                // new String: names that are equal but not the same object must still be found
                String name = new String("m" + random.nextInt(NAMES));
                JsonNode value = IntNode.valueOf(random.nextInt(1000));
                switch (random.nextInt(10)) {
                    case 0, 1, 2, 3, 4 -> assertEquals(expected.put(name, value), map.put(name, value));
                    case 5, 6 -> assertEquals(expected.remove(name), map.remove(name));
                    case 7 -> assertEquals(expected.putIfAbsent(name, value), map.putIfAbsent(name, value));
                    case 8 -> removeWhileIterating(map, expected, name);
                    default -> {
                        if (random.nextInt(8) == 0) {
                            map.clear();
                            expected.clear();
                        }
                    }
                }
                assertSame(expected, map);
            }
        }
    }

    @Test
    void aNinthMemberMovesEveryMemberToTheMapInOrder() {
        MemberMap map = new MemberMap();
        for (int i = 0; i <= MemberMap.ARRAY_MEMBERS; i++) {
            map.put("m" + i, IntNode.valueOf(i));
        }
        assertEquals(MemberMap.ARRAY_MEMBERS + 1, map.size());
        List<String> names = new ArrayList<>(map.keySet());
        for (int i = 0; i <= MemberMap.ARRAY_MEMBERS; i++) {
            assertEquals("m" + i, names.get(i));
            assertEquals(IntNode.valueOf(i), map.get("m" + i));
        }
        assertEquals(IntNode.valueOf(3), map.remove("m3"));
        assertFalse(map.containsKey("m3"));
        assertEquals(MemberMap.ARRAY_MEMBERS, map.size());
    }

    @Test
    void anEntryWritesThroughAndMatchesAnotherMapsEntries() {
        MemberMap map = new MemberMap();
        map.put("a", IntNode.valueOf(1));
        map.put("b", IntNode.valueOf(2));
        Map.Entry<String, JsonNode> first = map.entrySet().iterator().next();

        assertEquals(IntNode.valueOf(1), first.setValue(IntNode.valueOf(10)));
        assertEquals(IntNode.valueOf(10), map.get("a"));
        assertEquals(Map.entry("a", IntNode.valueOf(10)), first);
        assertEquals(Map.entry("a", IntNode.valueOf(10)).hashCode(), first.hashCode());
        map.remove("b"); // a structural change: the entry finds its member by name
        assertEquals(IntNode.valueOf(10), first.getValue());
        assertEquals(IntNode.valueOf(10), first.setValue(IntNode.valueOf(11)));
        assertEquals(IntNode.valueOf(11), map.get("a"));
        map.remove("a");
        assertThrows(IllegalStateException.class, () -> first.setValue(IntNode.valueOf(12)));
        assertTrue(map.isEmpty());
    }

    @Test
    void aChangeDuringIterationIsReportedNotSkipped() {
        MemberMap map = new MemberMap();
        map.put("a", IntNode.valueOf(1));
        map.put("b", IntNode.valueOf(2));
        Iterator<String> names = map.keySet().iterator();
        names.next();
        map.put("c", IntNode.valueOf(3));
        assertThrows(ConcurrentModificationException.class, names::next);

        Iterator<String> again = map.keySet().iterator();
        assertThrows(IllegalStateException.class, again::remove);
        again.next();
        again.remove();
        assertThrows(IllegalStateException.class, again::remove);
        assertEquals(List.of("b", "c"), new ArrayList<>(map.keySet()));
    }

    @Test
    void copyingInKeepsTheSameMembersInTheSameOrderAsALinkedHashMap() {
        for (int before = 0; before < 4; before++) {
            for (int copied = 0; copied <= 12; copied++) {
                MemberMap map = new MemberMap();
                Map<String, JsonNode> expected = new LinkedHashMap<>();
                Map<String, JsonNode> source = new LinkedHashMap<>();
                for (int i = 0; i < before; i++) {
                    map.put("k" + i, IntNode.valueOf(i));
                    expected.put("k" + i, IntNode.valueOf(i));
                }
                for (int i = 0; i < copied; i++) {
                    source.put("k" + (i % 3 == 0 ? i / 3 : 100 + i), IntNode.valueOf(-i)); // some names repeat
                }
                map.putAll(source);
                expected.putAll(source);
                map.put("after", IntNode.valueOf(7));
                expected.put("after", IntNode.valueOf(7));
                assertSame(expected, map);
            }
        }
    }

    @Test
    void aNullNameIsRefused() {
        MemberMap map = new MemberMap();
        assertThrows(NullPointerException.class, () -> map.put(null, IntNode.valueOf(1)));
        assertNull(map.get(null));
        assertTrue(map.isEmpty());
    }

    @Test
    void objectNodesBuiltOnItEqualThoseOnJacksonsOwnMap() throws Exception {
        String json = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\","
                + "\"arguments\":{\"a\":1,\"b\":[1,{\"c\":null}],\"d\":{\"e\":\"f\",\"g\":1,\"h\":2,\"i\":3,\"j\":4,"
                + "\"k\":5,\"l\":6,\"m\":7,\"n\":8,\"o\":9}}}}";
        ObjectNode ours = (ObjectNode) Json.mapper().readTree(json);
        ObjectNode jacksons = (ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);

        assertEquals(jacksons, ours);
        assertEquals(ours, jacksons);
        assertEquals(jacksons.hashCode(), ours.hashCode());
        assertEquals(json, Json.mapper().writeValueAsString(ours));
        assertEquals(ours, ours.deepCopy());
        ((ObjectNode) ours.get("params")).remove("name");
        assertFalse(jacksons.equals(ours));
    }

    private static void removeWhileIterating(MemberMap map, Map<String, JsonNode> expected, String name) {
        map.entrySet().removeIf(e -> e.getKey().equals(name));
        expected.entrySet().removeIf(e -> e.getKey().equals(name));
    }

    private static void assertSame(Map<String, JsonNode> expected, MemberMap map) {
        assertEquals(expected.size(), map.size());
        assertEquals(new ArrayList<>(expected.entrySet()), new ArrayList<>(map.entrySet()));
        assertEquals(expected, map);
        assertEquals(map, expected);
        assertEquals(expected.hashCode(), map.hashCode());
        for (String name : expected.keySet()) {
            assertEquals(expected.get(name), map.get(name));
        }
    }
}
