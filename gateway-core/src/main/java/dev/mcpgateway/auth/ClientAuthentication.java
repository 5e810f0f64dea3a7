package dev.mcpgateway.auth;

/**
 * How the gateway authenticates itself to an authorization server's token endpoint when it asks for upstream tokens
 * (RFC 6749 section 2.3.1).
 */
public enum ClientAuthentication {
    /** The client id and secret as HTTP Basic credentials, each form-encoded first; what servers must support. */
    CLIENT_SECRET_BASIC("client_secret_basic"),
    /** The client id and secret as {@code client_id} and {@code client_secret} form parameters. */
    CLIENT_SECRET_POST("client_secret_post");

    private final String method;

    ClientAuthentication(String method) {
        this.method = method;
    }

    /** The method's registered name, e.g. {@code client_secret_basic}. */
    public String method() {
        return method;
    }

    /** The method of a registered name ({@code client_secret_basic} or {@code client_secret_post}). */
    public static ClientAuthentication of(String method) {
        for (ClientAuthentication value : values()) {
            if (value.method.equalsIgnoreCase(method == null ? "" : method.strip())) {
                return value;
            }
        }
        throw new IllegalArgumentException("client authentication must be client_secret_basic or client_secret_post,"
                + " got '" + method + "'");
    }
}
