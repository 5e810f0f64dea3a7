package dev.mcpgateway.internal.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/** Pages of an aggregated list; cursors are opaque to clients (an encoded offset) and checked on the way back. */
final class Pages {
    private Pages() {
    }

    /** The page a list request asks for ({@code params.cursor}, else the first), under the result member {@code field}. */
    static ObjectNode page(List<ObjectNode> items, JsonNode params, String field, int pageSize) {
        int offset = 0;
        JsonNode cursor = params.get("cursor");
        if (cursor != null && !cursor.isNull()) {
            offset = decodeCursor(cursor);
            if (offset > items.size()) {
                throw new JsonRpcException(ErrorCodes.INVALID_PARAMS, "Invalid cursor: it points past the end of the "
                        + "list (the list changed); list again from the start");
            }
        }
        int end = Math.min(items.size(), offset + pageSize);
        ObjectNode result = Json.object();
        ArrayNode page = result.putArray(field);
        for (int i = offset; i < end; i++) {
            page.add(items.get(i));
        }
        if (end < items.size()) {
            result.put("nextCursor", Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(("o" + end).getBytes(StandardCharsets.US_ASCII)));
        }
        return result;
    }

    private static int decodeCursor(JsonNode cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor.asText()), StandardCharsets.US_ASCII);
            if (text.startsWith("o")) {
                int offset = Integer.parseInt(text.substring(1));
                if (offset >= 0) {
                    return offset;
                }
            }
        } catch (IllegalArgumentException e) {
            // falls through to the error below
        }
        throw new JsonRpcException(ErrorCodes.INVALID_PARAMS, "Invalid cursor '" + cursor.asText()
                + "': pass back a nextCursor exactly as received");
    }
}
