package dev.mcpgateway.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.jsonrpc.Json;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TraceContextTest {
    private static final String VALID = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    @Test
    void readsTheFieldsOfAValidTraceparent() {
        TraceContext context = TraceContext.parse(VALID, "congo=t61rcWkgMzE");
        assertEquals("0af7651916cd43dd8448eb211c80319c", context.traceId());
        assertEquals("b7ad6b7169203331", context.parentId());
        assertEquals("01", context.flags());
        assertTrue(context.sampled());
        assertEquals("congo=t61rcWkgMzE", context.tracestate());
    }

    @Test
    void ignoresWhatIsNotAValidTraceparent() {
        for (String value : List.of(
            "", "garbage",
            "01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", // a version this parser does not know
            "00-00000000000000000000000000000000-b7ad6b7169203331-01", // all-zero trace-id
            "00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01", // all-zero parent-id
            "00-0AF7651916CD43DD8448EB211C80319C-b7ad6b7169203331-01", // upper case
            "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-0g",
            "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-extra",
            "00_0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")) {
            assertNull(TraceContext.parse(value, "congo=1"), value);
            assertThrows(IllegalArgumentException.class, () -> new TraceContext(value, null), value);
        }
    }

    @Test
    void dropsAMalformedTracestateButKeepsTheTraceparent() {
        assertNull(TraceContext.parse(VALID, "a=1\r\nX-Injected: yes").tracestate());
        assertNull(TraceContext.parse(VALID, "x".repeat(513)).tracestate());
        assertNull(TraceContext.parse(null, null));
    }

    @Test
    void aChildKeepsTheTraceAndTakesANewParentId() {
        TraceContext parent = TraceContext.parse(VALID, "congo=1");
        TraceContext child = parent.child(new SplittableRandom(7));
        assertEquals(parent.traceId(), child.traceId());
        assertNotEquals(parent.parentId(), child.parentId());
        assertEquals(parent.flags(), child.flags());
        assertEquals("congo=1", child.tracestate());
    }

    @Test
    void aNewTraceIsValidAndSampled() {
        TraceContext first = TraceContext.newTrace(new SplittableRandom(1));
        TraceContext second = TraceContext.newTrace(new SplittableRandom(2));
        assertEquals(first, TraceContext.parse(first.traceparent(), null));
        assertTrue(first.sampled());
        assertNotEquals(first.traceId(), second.traceId());
    }

    @Test
    void readsTheSep414KeysOfMeta() {
        assertEquals(TraceContext.parse(VALID, "congo=1"),
                TraceContext.fromMeta(Json.object().put("traceparent", VALID).put("tracestate", "congo=1")));
        assertNull(TraceContext.fromMeta(Json.object().put("traceparent", 42)));
        assertNull(TraceContext.fromMeta(Json.object().put("io.modelcontextprotocol/traceparent", VALID)));
        assertNull(TraceContext.fromMeta(null));
        assertFalse(TraceContext.parse("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00", null).sampled());
    }
}
