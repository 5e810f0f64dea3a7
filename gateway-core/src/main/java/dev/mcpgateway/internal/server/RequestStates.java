package dev.mcpgateway.internal.server;

import dev.mcpgateway.jsonrpc.ErrorCodes;
import dev.mcpgateway.jsonrpc.JsonRpcException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The gateway's own {@code requestState} values, handed to 2026-07-28 clients when a plugin of an older version asks
 * for input mid-request: the suspended call's id, the request (method and tool, prompt or resource), and an expiry,
 * under an HMAC-SHA256 with a key of this process. The client must not be able to point its retry at another
 * client's suspended call or another request, so state that fails verification, names another request or has
 * expired is refused (the spec treats it as attacker input).
 */
final class RequestStates {
    /** Marks the gateway's own states, so a plugin's state passed through is never mistaken for one. */
    static final String PREFIX = "mcpgw1.";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final SecretKeySpec key;

    RequestStates() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        this.key = new SecretKeySpec(secret, "HmacSHA256");
    }

    /** A state naming a suspended call of a request (its method and subject), valid until the given wall-clock time. */
    String seal(String callId, String request, long expiresAtMillis) {
        String payload = callId + "\n" + expiresAtMillis + "\n" + request;
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        return PREFIX + ENCODER.encodeToString(bytes) + "." + ENCODER.encodeToString(mac(bytes));
    }

    /**
     * The suspended call a state names.
     *
     * @throws JsonRpcException -32602 when the state was not made here, was altered, names another request or expired
     */
    String open(String state, String request, long nowMillis) {
        int dot = state.lastIndexOf('.');
        byte[] payload;
        byte[] signature;
        try {
            payload = DECODER.decode(state.substring(PREFIX.length(), dot));
            signature = DECODER.decode(state.substring(dot + 1));
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw refused("it is malformed");
        }
        if (!MessageDigest.isEqual(signature, mac(payload))) {
            throw refused("it fails verification (altered, or issued by another gateway process)");
        }
        String[] parts = new String(payload, StandardCharsets.UTF_8).split("\n", 3);
        if (parts.length != 3 || !parts[2].equals(request)) {
            throw refused("it belongs to another request (" + (parts.length == 3 ? parts[2] : "unknown") + ")");
        }
        if (Long.parseLong(parts[1]) < nowMillis) {
            throw refused("it has expired");
        }
        return parts[0];
    }

    /**
     * The prefix of the call id a state names ({@code <prefix>:<call>}, see {@link InputRequiredBridge}): which
     * gateway issued it, read without verifying anything, to know where to send its retry; that gateway verifies it.
     * Null when the state is malformed or its call id has no prefix.
     */
    static String issuer(String state) {
        int dot = state.lastIndexOf('.');
        try {
            String payload = new String(DECODER.decode(state.substring(PREFIX.length(), dot)), StandardCharsets.UTF_8);
            int colon = payload.indexOf(':');
            int newline = payload.indexOf('\n');
            return colon > 0 && colon < newline ? payload.substring(0, colon) : null;
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            return null;
        }
    }

    private byte[] mac(byte[] payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(payload);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static JsonRpcException refused(String why) {
        return new JsonRpcException(ErrorCodes.INVALID_PARAMS, "Invalid requestState: " + why + "; send the request"
                + " again without requestState and inputResponses");
    }
}
