package dev.mcpgateway.internal.transport.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Matching requests to routes: templates, captured segments, HEAD, 405's Allow, 404, and encoding for Location. */
class RouteTableTest {
    private static final RouteTable.Handler NONE = request -> null;
    private final RouteTable table = RouteTable.builder()
            .route("GET", "/api/v1/plugins", List.of("name"), NONE)
            .route("POST", "/api/v1/plugins", NONE)
            .route("GET", "/api/v1/plugins/{id}", NONE)
            .route("DELETE", "/api/v1/plugins/{id}", NONE)
            .route("POST", "/api/v1/plugins/{id}/drain", NONE)
            .build();

    @Test
    void aTemplateCapturesItsSegments() {
        RouteTable.Found found = assertInstanceOf(RouteTable.Found.class,
                table.find("POST", "/api/v1/plugins/weather eu/drain"));
        assertEquals("/api/v1/plugins/{id}/drain", found.route().template());
        assertEquals(Map.of("id", "weather eu"), found.params());
        assertEquals(java.util.Set.of("name"), table.routes().getFirst().query());
    }

    @Test
    void headIsServedWhereGetIs() {
        RouteTable.Found found = assertInstanceOf(RouteTable.Found.class, table.find("HEAD", "/api/v1/plugins/x"));
        assertEquals("GET", found.route().method());
    }

    @Test
    void anotherMethodListsThoseOfThePathInAOrderThatReads() {
        assertEquals(new RouteTable.WrongMethod("GET, HEAD, DELETE"), table.find("PUT", "/api/v1/plugins/x"));
        assertEquals(new RouteTable.WrongMethod("GET, HEAD, POST"), table.find("PATCH", "/api/v1/plugins"));
        assertEquals(new RouteTable.WrongMethod("POST"), table.find("GET", "/api/v1/plugins/x/drain"));
    }

    @Test
    void otherPathsAreNotFound() {
        for (String path : List.of("/api/v1/plugins/", "/api/v1/plugins//drain", "/api/v1", "/api/v1/plugins/x/y",
                "", "api/v1/plugins")) {
            assertEquals(new RouteTable.NotFound(), table.find("GET", path), path);
        }
    }

    @Test
    void aRouteIsAddedOnce() {
        assertThrows(IllegalArgumentException.class, () -> RouteTable.builder().route("GET", "/a", NONE)
                .route("GET", "/a", NONE));
    }

    @Test
    void segmentsAreEncodedForLocation() {
        assertEquals("weather-eu_1.x~", RouteTable.encodeSegment("weather-eu_1.x~"));
        assertEquals("w%C3%A9ather%20eu%2F1%3F", RouteTable.encodeSegment("wéather eu/1?"));
    }
}
