package dev.mcpgateway.internal.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.mcp.ProtocolVersions;

/**
 * What an upstream session adds to each request's params: the progress token when the caller wants progress, and,
 * toward a 2026-07-28 server, what every stateless-era request must carry in {@code _meta} (protocol version, client
 * capabilities and info).
 *
 * <p>Params a caller passes are the caller's: they are copied before anything is added, unless the caller built them
 * for this one request ({@link OwnedParamsConnection}), when they are completed in place. That spares the copies of
 * the params and their {@code _meta} on every tool call the data plane sends.
 */
final class UpstreamParams {
    private final ObjectNode clientCapabilities;
    private final ObjectNode clientInfo;

    UpstreamParams(ObjectNode clientCapabilities, ObjectNode clientInfo) {
        this.clientCapabilities = clientCapabilities;
        this.clientInfo = clientInfo;
    }

    /**
     * The params to send.
     *
     * @param owned whether {@code params} (and an object {@code _meta} in them) were built for this request alone and
     *              may be changed; sending them again adds the same members again, which only replaces them
     */
    JsonNode of(JsonNode params, long id, boolean wantsProgress, boolean modern, boolean owned) {
        if (!wantsProgress && !modern && params != null) {
            return params;
        }
        ObjectNode target;
        if (owned && params instanceof ObjectNode object) {
            target = object;
        } else {
            target = Json.object();
            if (params instanceof ObjectNode object) {
                target.setAll(object);
            }
        }
        ObjectNode meta;
        if (target.get("_meta") instanceof ObjectNode existing) {
            meta = owned ? existing : Json.object().setAll(existing);
        } else {
            meta = Json.object();
        }
        if (wantsProgress) {
            meta.put("progressToken", id);
        }
        if (modern) {
            meta.put(ProtocolVersions.META_PROTOCOL_VERSION, ProtocolVersions.MODERN);
            meta.set(ProtocolVersions.META_CLIENT_CAPABILITIES, clientCapabilities);
            meta.set(ProtocolVersions.META_CLIENT_INFO, clientInfo);
        }
        if (!meta.isEmpty()) {
            target.set("_meta", meta);
        }
        return target;
    }

    /**
     * Takes out of owned params what {@link #of} completed them with for the stateless era, before they are sent again
     * to a server that now speaks a legacy version.
     */
    static void withoutEra(JsonNode params) {
        if (params.get("_meta") instanceof ObjectNode meta) {
            meta.remove(ProtocolVersions.META_PROTOCOL_VERSION);
            meta.remove(ProtocolVersions.META_CLIENT_CAPABILITIES);
            meta.remove(ProtocolVersions.META_CLIENT_INFO);
            if (meta.isEmpty()) {
                ((ObjectNode) params).remove("_meta");
            }
        }
    }
}
