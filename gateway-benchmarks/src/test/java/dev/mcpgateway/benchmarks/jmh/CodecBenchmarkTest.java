package dev.mcpgateway.benchmarks.jmh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.jsonrpc.JsonRpcRequest;
import dev.mcpgateway.jsonrpc.JsonRpcResponse;
import org.junit.jupiter.api.Test;

class CodecBenchmarkTest {

    @Test
    void toolCallIsATypicalThreeHundredByteRequestThatRoundTrips() {
        CodecBenchmark benchmark = new CodecBenchmark();
        benchmark.prepareMessages();
        int size = benchmark.toolCallBytes.length;
        assertTrue(size >= 250 && size <= 350, "tool call of " + size + " bytes");
        JsonRpcRequest request = assertInstanceOf(JsonRpcRequest.class, benchmark.decodeToolCall());
        assertEquals("tools/call", request.method());
        assertTrue(request.params().path("_meta").path("progressToken").isTextual());
        assertEquals(4, request.params().path("arguments").size());
        assertArrayEquals(benchmark.toolCallBytes, benchmark.encodeToolCall());
    }

    @Test
    void toolResultHasTextAndStructuredContentAndRoundTrips() {
        CodecBenchmark benchmark = new CodecBenchmark();
        benchmark.prepareMessages();
        JsonRpcResponse response = assertInstanceOf(JsonRpcResponse.class, benchmark.decodeToolResult());
        assertEquals("text", response.result().path("content").path(0).path("type").asText());
        assertTrue(response.result().path("content").path(0).path("text").asText().contains("volatile write"));
        assertEquals(8731, response.result().path("structuredContent").path("bytes").asInt());
        assertArrayEquals(benchmark.toolResultBytes, benchmark.encodeToolResult());
    }
}
