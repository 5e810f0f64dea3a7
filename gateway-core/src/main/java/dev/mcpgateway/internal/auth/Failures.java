package dev.mcpgateway.internal.auth;

/** Failures told in one log line: what went wrong, without a stack trace to scare an operator over an outage. */
final class Failures {
    private static final int MAX_CHARS = 500;

    private Failures() {
    }

    /**
     * An exception's class and message, then its causes'. Only for failures reaching an endpoint (a JWKS, an
     * introspection endpoint), whose messages hold no token; never for a token's parse errors, which may quote it.
     */
    static String describe(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null && text.length() < MAX_CHARS; t = t.getCause()) {
            text.append(text.isEmpty() ? "" : ": ").append(t.getClass().getSimpleName());
            if (t.getMessage() != null) {
                text.append(" ").append(t.getMessage());
            }
        }
        return text.toString();
    }
}
