package dev.mcpgateway.internal.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.mcp.ProtocolVersions;
import org.junit.jupiter.api.Test;

class UpstreamParamsTest {
    private final ObjectNode capabilities = Json.object().set("roots", Json.object());
    private final ObjectNode clientInfo = Json.object().put("name", "mcp-gateway").put("version", "1");
    private final UpstreamParams upstream = new UpstreamParams(capabilities, clientInfo);

    private static ObjectNode callParams() {
        ObjectNode params = Json.object().put("name", "echo");
        params.putObject("arguments").put("text", "hi");
        params.putObject("_meta").put("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        return params;
    }

    @Test
    void legacyRequestsWithoutProgressGoAsTheCallerBuiltThem() {
        ObjectNode params = callParams();

        assertSame(params, upstream.of(params, 7, false, false, false));
        assertSame(params, upstream.of(params, 7, false, false, true));
    }

    @Test
    void aCallersParamsAreCopiedAndNeverChanged() {
        ObjectNode params = callParams();
        ObjectNode before = params.deepCopy();

        JsonNode sent = upstream.of(params, 7, true, true, false);

        assertEquals(before, params, "the caller's tree is unchanged");
        assertNotSame(params, sent);
        assertNotSame(params.get("_meta"), sent.get("_meta"));
        assertSame(params.get("arguments"), sent.get("arguments"), "a shallow copy: the arguments are shared");
        assertEquals(expectedMeta(7), sent.get("_meta"));
        assertEquals("echo", sent.path("name").textValue());
    }

    @Test
    void ownedParamsAreCompletedInPlaceAndSendingAgainOnlyReplacesTheSameMembers() {
        ObjectNode params = callParams();
        JsonNode meta = params.get("_meta");

        JsonNode first = upstream.of(params, 7, true, true, true);
        assertSame(params, first);
        assertSame(meta, first.get("_meta"));
        assertEquals(expectedMeta(7), first.get("_meta"));

        JsonNode again = upstream.of(params, 8, true, true, true); // a resend gets a new id, so a new progress token
        assertSame(params, again);
        assertEquals(expectedMeta(8), again.get("_meta"));
        assertEquals(3, again.size(), "name, arguments and _meta, nothing added twice");
    }

    @Test
    void anOwnedObjectWithoutMetaGetsOneAndAMissingParamsObjectIsMade() {
        ObjectNode params = Json.object().put("name", "echo");

        assertSame(params, upstream.of(params, 3, false, true, true));
        assertEquals(ProtocolVersions.MODERN, params.path("_meta").path(ProtocolVersions.META_PROTOCOL_VERSION)
                .textValue());

        JsonNode made = upstream.of(null, 3, false, true, false);
        assertEquals(1, made.size());
        assertSame(clientInfo, made.path("_meta").get(ProtocolVersions.META_CLIENT_INFO), "one shared tree");
    }

    @Test
    void whatTheStatelessEraAddedComesOutAgainForALegacyResend() {
        ObjectNode params = callParams();
        ObjectNode bare = Json.object().put("name", "echo");
        upstream.of(params, 7, false, true, true);
        upstream.of(bare, 7, false, true, true);

        UpstreamParams.withoutEra(params);
        UpstreamParams.withoutEra(bare);

        assertEquals(callParams(), params, "the trace context the data plane put there stays");
        assertEquals(Json.object().put("name", "echo"), bare, "a _meta only the era made goes");
    }

    @Test
    void aLegacyRequestWantingProgressCarriesOnlyItsToken() {
        JsonNode sent = upstream.of(null, 5, true, false, false);

        assertEquals(Json.object().set("_meta", Json.object().put("progressToken", 5L)), sent);
    }

    private ObjectNode expectedMeta(long token) {
        ObjectNode meta = Json.object();
        meta.put("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        meta.put("progressToken", token);
        meta.put(ProtocolVersions.META_PROTOCOL_VERSION, ProtocolVersions.MODERN);
        meta.set(ProtocolVersions.META_CLIENT_CAPABILITIES, capabilities);
        meta.set(ProtocolVersions.META_CLIENT_INFO, clientInfo);
        return meta;
    }
}
