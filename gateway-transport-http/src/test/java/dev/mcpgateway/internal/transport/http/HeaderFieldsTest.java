package dev.mcpgateway.internal.transport.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HeaderFieldsTest {
    private static final URI ANY = URI.create("http://127.0.0.1/mcp");
    /** Characters at the edges of what a name or value may hold, and ordinary ones. */
    private static final char[] ALPHABET = {'a', 'Z', '0', '-', '!', '~', '`', '|', ':', '(', '"', '/', ' ', '\t',
        '\r', '\n', 0, 0x1F, 0x21, 0x7E, 0x7F, 0x80, 0xA0, 0xFF, 0x100, 'é', '€'};

    @Test
    void refusesExactlyTheFieldsTheJdkClientRefuses() {
        Random random = new Random(18);
        int refused = 0;
        for (int run = 0; run < 5_000; run++) {
            String name = run % 3 == 0 ? "X-Field" : text(random, 0, 6);
            String value = run % 3 == 1 ? "value" : text(random, 0, 8);
            boolean jdkRefuses = refuses(() -> HttpRequest.newBuilder(ANY).header(name, value));
            boolean oursRefuses = refuses(() -> new HeaderFields().add(name, value));
            assertEquals(jdkRefuses, oursRefuses, () -> "name " + codes(name) + ", value " + codes(value));
            refused += oursRefuses ? 1 : 0;
        }
        assertTrue(refused > 500 && refused < 4_500, "both outcomes are exercised: " + refused + " refused");
    }

    @Test
    void refusesTheFieldsTheTransportWritesItselfInAnyCase() {
        for (String name : List.of("Host", "content-length", "CONNECTION", "Expect", "upgrade")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new HeaderFields().add(name, "x"));
            assertTrue(e.getMessage().contains("reserved to the HTTP transport"), e.getMessage());
        }
    }

    @Test
    void aRefusedValueIsNeverQuoted() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new HeaderFields().add("Authorization", "Bearer secret\r\nX-Injected: 1"));
        assertFalse(e.getMessage().contains("secret"), e.getMessage());
        assertTrue(e.getMessage().contains("'Authorization'"), e.getMessage());
    }

    @Test
    void findsFieldsWithoutRegardToCaseAndKeepsTheirOrder() {
        HeaderFields fields = new HeaderFields().add("Accept", "a").add("X-Twice", "1").add("x-twice", "2");
        fields.set("ACCEPT", "b");

        assertEquals("b", fields.first("accept"));
        assertEquals("1", fields.first("X-TWICE"));
        int first = fields.indexOf("x-Twice", 0);
        int second = fields.indexOf("x-Twice", first + 1);
        assertEquals(List.of("1", "2"), List.of(fields.value(first), fields.value(second)));
        assertEquals(-1, fields.indexOf("x-Twice", second + 1));
        assertEquals(-1, fields.indexOf("Missing", 0));
        assertNull(fields.first("Missing"));
        List<String> written = new ArrayList<>();
        fields.forEach((name, value) -> written.add(name + "=" + value));
        assertEquals(List.of("X-Twice=1", "x-twice=2", "ACCEPT=b"), written);
    }

    @Test
    void growsPastItsInitialRoom() {
        HeaderFields fields = new HeaderFields();
        for (int i = 0; i < 20; i++) {
            fields.add("X-" + i, Integer.toString(i));
        }
        fields.set("x-0", "again");

        assertEquals("19", fields.first("X-19"));
        List<String> names = new ArrayList<>();
        fields.forEach((name, value) -> names.add(name));
        assertEquals(20, names.size());
        assertEquals("x-0", names.getLast());
    }

    @Test
    void aCopyGrowsAndChangesApartFromItsOriginal() {
        HeaderFields original = new HeaderFields().add("X-Static", "1").add("Authorization", "Basic a");
        HeaderFields copy = original.copy().set("authorization", "Bearer b");
        for (int i = 0; i < 20; i++) {
            copy.add("X-" + i, Integer.toString(i));
        }

        assertEquals("Basic a", original.first("Authorization"));
        assertNull(original.first("X-19"));
        assertEquals("Bearer b", copy.first("Authorization"));
        assertEquals("1", copy.first("x-static"));
        assertEquals("19", copy.first("X-19"));
        List<String> names = new ArrayList<>();
        original.forEach((name, value) -> names.add(name));
        assertEquals(List.of("X-Static", "Authorization"), names);
    }

    @Test
    void readsANumberOnlyWhenTheFirstValueIsOne() {
        HeaderFields fields = HeaderFields.of(HttpHeaders.of(
                Map.of("Content-Length", List.of("12"), "X-Bad", List.of("1 2")), (name, value) -> true));

        assertEquals(OptionalLong.of(12), fields.firstAsLong("content-length"));
        assertEquals(OptionalLong.empty(), fields.firstAsLong("X-Bad"));
        assertEquals(OptionalLong.empty(), fields.firstAsLong("Missing"));
    }

    private static boolean refuses(Runnable adding) {
        try {
            adding.run();
            return false;
        } catch (IllegalArgumentException e) {
            return true;
        }
    }

    private static String text(Random random, int min, int max) {
        StringBuilder text = new StringBuilder();
        for (int i = min + random.nextInt(max - min + 1); i > 0; i--) {
            text.append(ALPHABET[random.nextInt(ALPHABET.length)]);
        }
        return text.toString();
    }

    private static String codes(String text) {
        return text.chars().mapToObj(c -> String.format("%04x", c)).toList().toString();
    }
}
