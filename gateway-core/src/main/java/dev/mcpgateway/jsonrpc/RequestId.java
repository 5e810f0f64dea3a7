package dev.mcpgateway.jsonrpc;

import java.util.Objects;

/**
 * A JSON-RPC request id: a string or an integer, never null (MCP forbids null ids).
 * Integer ids outside the range of a {@code long} are rejected by the codec.
 */
public sealed interface RequestId permits RequestId.Text, RequestId.Number {

    /** A string id. */
    static RequestId of(String value) {
        return new Text(value);
    }

    /** An integer id. */
    static RequestId of(long value) {
        return new Number(value);
    }

    /** A string request id. */
    record Text(String value) implements RequestId {
        public Text {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String toString() {
            return '"' + value + '"';
        }
    }

    /** An integer request id. */
    record Number(long value) implements RequestId {
        @Override
        public String toString() {
            return Long.toString(value);
        }
    }
}
