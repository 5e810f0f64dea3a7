package dev.mcpgateway.trace;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HexFormat;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * A position in a distributed trace as W3C Trace Context (https://www.w3.org/TR/trace-context/) carries it: the
 * {@code traceparent} value ({@code 00-<32 hex trace-id>-<16 hex parent-id>-<2 hex flags>}) and the vendors'
 * {@code tracestate}, passed on as it came.
 *
 * <p>MCP carries both in a request's {@code params._meta} under the plain keys {@code traceparent} and
 * {@code tracestate} (and {@code baggage}), the one exception to its prefixed {@code _meta} keys, kept for the
 * OpenTelemetry semantic conventions for MCP: SEP-414, "Document OpenTelemetry Trace Context Propagation Conventions"
 * (modelcontextprotocol/modelcontextprotocol, {@code seps/414-request-meta.md}). Over HTTP the same values also
 * travel as the {@code traceparent} and {@code tracestate} headers.
 *
 * <p>Parsing is strict, and what fails it is ignored, never an error to the client: a caller's broken trace context
 * must not fail its call (the W3C spec: a receiver that cannot parse {@code traceparent} starts a new trace).
 *
 * @param traceparent the {@code traceparent} value, lower-case as the spec writes it
 * @param tracestate  the {@code tracestate} value, or null when there is none
 */
public record TraceContext(String traceparent, String tracestate) {
    /** The {@code _meta} key and HTTP header of the trace position (SEP-414; W3C Trace Context). */
    public static final String TRACEPARENT = "traceparent";
    /** The {@code _meta} key and HTTP header of the vendors' state (SEP-414; W3C Trace Context). */
    public static final String TRACESTATE = "tracestate";

    private static final HexFormat HEX = HexFormat.of();
    private static final int LENGTH = 55;
    /** The W3C limit on {@code tracestate}: 32 members of at most 256 characters fit in it, and no more is kept. */
    private static final int MAX_TRACESTATE = 512;
    private static final String ZERO_TRACE = "0".repeat(32);
    private static final String ZERO_PARENT = "0".repeat(16);

    public TraceContext {
        if (!valid(traceparent)) {
            throw new IllegalArgumentException("not a W3C traceparent of version 00 (00-<32 hex>-<16 hex>-<2 hex>, ids"
                    + " not all zero): " + traceparent);
        }
        tracestate = validState(tracestate) ? tracestate : null;
    }

    /**
     * The trace context of a {@code traceparent} and {@code tracestate} as a client sent them, or null when the
     * {@code traceparent} is missing or malformed. A malformed {@code tracestate} is dropped on its own.
     */
    public static TraceContext parse(String traceparent, String tracestate) {
        return valid(traceparent) ? new TraceContext(traceparent, tracestate) : null;
    }

    /** The trace context in a request's {@code _meta} object (SEP-414 keys), or null when it holds none valid. */
    public static TraceContext fromMeta(JsonNode meta) {
        if (meta == null || !meta.isObject()) {
            return null;
        }
        JsonNode state = meta.get(TRACESTATE);
        return parse(meta.path(TRACEPARENT).textValue(), state != null && state.isTextual() ? state.textValue() : null);
    }

    /** A new trace, sampled, with a random trace-id and parent-id: for a call that came with no trace context. */
    public static TraceContext newTrace(RandomGenerator random) {
        StringBuilder traceparent = new StringBuilder(LENGTH).append("00-");
        appendNonZeroHex(traceparent, random, 2).append('-');
        return new TraceContext(appendNonZeroHex(traceparent, random, 1).append("-01").toString(), null);
    }

    /**
     * A span of the same trace under this one: the same trace-id, flags and {@code tracestate}, a new random parent-id.
     * What the gateway sends a plugin, so the plugin's work hangs under the gateway's and the gateway's under the
     * client's.
     */
    public TraceContext child(RandomGenerator random) {
        StringBuilder child = new StringBuilder(LENGTH).append(traceparent, 0, 36); // version and trace-id
        return new TraceContext(appendNonZeroHex(child, random, 1).append(traceparent, 52, LENGTH).toString(),
                tracestate);
    }

    /** The 32 hex digits naming the whole trace. */
    public String traceId() {
        return traceparent.substring(3, 35);
    }

    /** The 16 hex digits naming the span this context was sent from. */
    public String parentId() {
        return traceparent.substring(36, 52);
    }

    /** The 2 hex digits of the trace flags. */
    public String flags() {
        return traceparent.substring(53, 55);
    }

    /** Whether the caller recorded its span (the {@code sampled} flag). */
    public boolean sampled() {
        return (HexFormat.fromHexDigits(flags()) & 1) == 1;
    }

    private static boolean valid(String value) {
        if (value == null || value.length() != LENGTH || !value.startsWith("00-") || value.charAt(35) != '-'
                || value.charAt(52) != '-') {
            return false;
        }
        for (int i = 3; i < LENGTH; i++) {
            char c = value.charAt(i);
            boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); // the spec's HEXDIGLC: lower case only
            if (!hex && i != 35 && i != 52) {
                return false;
            }
        }
        return !value.regionMatches(3, ZERO_TRACE, 0, 32) && !value.regionMatches(36, ZERO_PARENT, 0, 16);
    }

    /** Whether a {@code tracestate} can be passed on: printable ASCII within the W3C length limit. */
    private static boolean validState(String value) {
        if (value == null || value.isBlank() || value.length() > MAX_TRACESTATE) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return false; // a header could not carry it, and a plugin's parser should not have to guess
            }
        }
        return true;
    }

    /**
     * Appends {@code longs} random 8-byte groups in hex, drawn again in the (2^-64) case that all are zero. Written
     * into the caller's builder rather than into strings of its own, since every call through the gateway makes a span.
     */
    private static StringBuilder appendNonZeroHex(StringBuilder out, RandomGenerator random, int longs) {
        Objects.requireNonNull(random, "random");
        int start = out.length();
        while (true) {
            boolean zero = true;
            for (int i = 0; i < longs; i++) {
                long bits = random.nextLong();
                zero &= bits == 0;
                for (int shift = Long.SIZE - Byte.SIZE; shift >= 0; shift -= Byte.SIZE) {
                    HEX.toHexDigits(out, (byte) (bits >>> shift));
                }
            }
            if (!zero) {
                return out;
            }
            out.setLength(start);
        }
    }
}
