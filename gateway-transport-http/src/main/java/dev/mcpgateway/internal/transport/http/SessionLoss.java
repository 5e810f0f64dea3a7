package dev.mcpgateway.internal.transport.http;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Whether an HTTP plugin's error answer means it no longer knows the gateway's session, so the request never ran
 * and a new session may carry it. The spec says 404; servers in the field also answer 400 naming the session (the
 * official TypeScript SDK: "Bad Request: No valid session ID provided"; others: "Missing session ID", "Invalid
 * session", "Session not found"), in a JSON-RPC error body or plain text.
 */
public final class SessionLoss {
    private static final List<String> LOST = List.of("no valid session", "invalid session", "unknown session",
            "session not found", "session expired", "session id not found", "missing session", "session is not found",
            "session has expired", "no session");

    private SessionLoss() {
    }

    /**
     * Whether an answer to a request that carried a session id says the session is gone.
     *
     * @param status the HTTP status
     * @param body   the start of the answer's body (may be empty)
     */
    public static boolean reported(int status, byte[] body) {
        if (status == 404) {
            return true;
        }
        if (status != 400 || body.length == 0) {
            return false;
        }
        String text = new String(body, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
        for (String phrase : LOST) {
            if (text.contains(phrase)) {
                return true;
            }
        }
        return false;
    }
}
