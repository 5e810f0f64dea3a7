package dev.mcpgateway.internal.auth;

import dev.mcpgateway.auth.ApiKeys;
import dev.mcpgateway.auth.InvalidTokenException;
import dev.mcpgateway.auth.Principal;
import dev.mcpgateway.auth.TokenValidator;

/**
 * Sends a token starting with {@link ApiKeys#PREFIX} to the API key validator and any other to the other validator,
 * so a JWT or introspection deployment can add API keys for machine clients. Routing by the prefix rather than
 * trying one then the other keeps each token away from the validator not meant for it: an API key is never POSTed
 * to an introspection endpoint, and a JWT never hashed and looked up.
 */
public final class PrefixRoutingValidator implements TokenValidator {
    private final TokenValidator apiKeys;
    private final TokenValidator others;

    /**
     * @param apiKeys judges tokens with the prefix
     * @param others  judges every other token
     */
    public PrefixRoutingValidator(TokenValidator apiKeys, TokenValidator others) {
        this.apiKeys = apiKeys;
        this.others = others;
    }

    @Override
    public Principal validate(String bearerToken) throws InvalidTokenException {
        return (ApiKeys.isApiKey(bearerToken) ? apiKeys : others).validate(bearerToken);
    }

    /** Closes both, the other one even when closing the first fails. */
    @Override
    public void close() {
        try {
            apiKeys.close();
        } finally {
            others.close();
        }
    }

    @Override
    public String toString() {
        return "PrefixRoutingValidator[" + ApiKeys.PREFIX + "* to " + apiKeys + ", others to " + others + "]";
    }
}
