package dev.mcpgateway.transport.http.server;

import dev.mcpgateway.auth.TokenValidator;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * How a front door authenticates its clients as an OAuth 2.1 resource server: every request to the MCP endpoint and
 * to the management API (but {@code /healthz} and {@code /readyz}) needs {@code Authorization: Bearer} with a token
 * the {@link #validator()} accepts, and the scopes its route requires; the protected-resource metadata (RFC 9728)
 * tells clients where to get one. Give it to {@link HttpFrontDoorOptions.Builder#auth(FrontDoorAuth)}; without it the
 * front door authenticates nobody. Built with {@link #builder(TokenValidator)}; the front door does not close the
 * validator, its owner does.
 *
 * @param validator            judges every bearer token (required)
 * @param resource             the canonical URI of the MCP endpoint, as the metadata's {@code resource} and the
 *                             audience tokens are issued for; null (the default) derives it from each request:
 *                             {@code http(s)://<Host><endpoint path>}
 * @param authorizationServers the issuer URLs of the authorization servers clients get tokens from, listed in the
 *                             metadata's {@code authorization_servers}; empty (the default) when no authorization
 *                             server issues them, as with API keys alone, and then the member is left out (RFC 9728
 *                             makes it optional)
 * @param requiredScopes       the scopes every request to the MCP endpoint needs (default none); a valid token lacking
 *                             one is answered {@code 403 insufficient_scope}, and the challenge names them
 * @param scopesSupported      the metadata's {@code scopes_supported}; default the required scopes, empty meaning
 *                             the member is left out
 * @param readScope            the scope of every management API read and {@code /api/v1/gateway} (default
 *                             {@code gateway:read})
 * @param registerScope        the scope to register a plugin over the API and to renew or deregister an instance of
 *                             it (default {@code plugins:register}); {@code <registerScope>:<glob>} entries restrict
 *                             the plugin names, as does the {@code pluginNamesClaim}
 * @param adminScope           the scope to drain, put back in service or deregister any instance, and to register
 *                             any name (default {@code plugins:admin})
 * @param rulesWriteScope      the scope to change routing rules (default {@code rules:write})
 * @param invokeScope          the scope to invoke a tool through the API (default {@code tools:invoke})
 * @param pluginNamesClaim     the claim holding the plugin names (globs with {@code *}) a registering token may use,
 *                             a JSON array of strings (default {@code mcp_plugins}). A token whose register scope is
 *                             plain and has neither this claim nor {@code <registerScope>:<glob>} scopes may use any
 *                             name; with either, only the names they match
 * @param maxTokenChars        the longest {@code Authorization} header read; a longer one is refused
 *                             ({@code 400 invalid_request}) before anything of it is parsed (default 8192, at least
 *                             256)
 */
public record FrontDoorAuth(TokenValidator validator, URI resource, List<URI> authorizationServers,
                            Set<String> requiredScopes, Set<String> scopesSupported, String readScope,
                            String registerScope, String adminScope, String rulesWriteScope, String invokeScope,
                            String pluginNamesClaim, int maxTokenChars) {
    /** The default longest {@code Authorization} header. */
    public static final int DEFAULT_MAX_TOKEN_CHARS = 8192;

    /** Validates the settings and copies the collections. */
    public FrontDoorAuth {
        Objects.requireNonNull(validator, "validator");
        if (resource != null && (!resource.isAbsolute() || resource.getFragment() != null)) {
            throw new IllegalArgumentException("resource must be an absolute URI without fragment, such as "
                    + "https://gateway.example.com/mcp; got " + resource);
        }
        authorizationServers = List.copyOf(Objects.requireNonNull(authorizationServers, "authorizationServers"));
        for (URI server : authorizationServers) {
            if (!server.isAbsolute()) {
                throw new IllegalArgumentException("an authorization server is an absolute issuer URL, got " + server);
            }
        }
        requiredScopes = scopes("requiredScopes", requiredScopes);
        scopesSupported = scopes("scopesSupported", scopesSupported);
        scope("readScope", readScope);
        scope("registerScope", registerScope);
        scope("adminScope", adminScope);
        scope("rulesWriteScope", rulesWriteScope);
        scope("invokeScope", invokeScope);
        Objects.requireNonNull(pluginNamesClaim, "pluginNamesClaim");
        if (pluginNamesClaim.isBlank()) {
            throw new IllegalArgumentException("pluginNamesClaim must name a claim, such as mcp_plugins");
        }
        if (maxTokenChars < 256) {
            throw new IllegalArgumentException("maxTokenChars must be at least 256 (the default is "
                    + DEFAULT_MAX_TOKEN_CHARS + "), got " + maxTokenChars);
        }
    }

    private static Set<String> scopes(String name, Set<String> scopes) {
        Objects.requireNonNull(scopes, name);
        for (String scope : scopes) {
            scope(name, scope);
        }
        return Set.copyOf(new LinkedHashSet<>(scopes));
    }

    // RFC 6749 scope-token characters: printable ASCII but space, '"' and '\', so it fits a quoted challenge.
    private static void scope(String name, String scope) {
        Objects.requireNonNull(scope, name);
        if (scope.isEmpty() || scope.chars().anyMatch(c -> c <= ' ' || c == '"' || c == '\\' || c >= 0x7F)) {
            throw new IllegalArgumentException(name + " holds '" + scope + "', which is not a scope: printable ASCII "
                    + "without spaces, quotes or backslashes");
        }
    }

    /** A builder with the defaults, for tokens judged by {@code validator}. */
    public static Builder builder(TokenValidator validator) {
        return new Builder(validator);
    }

    /** Builds {@link FrontDoorAuth}. */
    public static final class Builder {
        private final TokenValidator validator;
        private URI resource;
        private final List<URI> authorizationServers = new ArrayList<>();
        private Set<String> requiredScopes = Set.of();
        private Set<String> scopesSupported;
        private String readScope = "gateway:read";
        private String registerScope = "plugins:register";
        private String adminScope = "plugins:admin";
        private String rulesWriteScope = "rules:write";
        private String invokeScope = "tools:invoke";
        private String pluginNamesClaim = "mcp_plugins";
        private int maxTokenChars = DEFAULT_MAX_TOKEN_CHARS;

        private Builder(TokenValidator validator) {
            this.validator = validator;
        }

        /** The canonical URI of the MCP endpoint (default: derived from each request). */
        public Builder resource(URI uri) {
            resource = uri;
            return this;
        }

        /** Adds an authorization server's issuer URL (none when the tokens are API keys only). */
        public Builder authorizationServer(URI issuer) {
            authorizationServers.add(Objects.requireNonNull(issuer, "issuer"));
            return this;
        }

        /** The scopes every MCP request needs (default none). */
        public Builder requiredScopes(Set<String> scopes) {
            requiredScopes = scopes;
            return this;
        }

        /** The metadata's {@code scopes_supported} (default the required scopes). */
        public Builder scopesSupported(Set<String> scopes) {
            scopesSupported = scopes;
            return this;
        }

        /** The scope of management API reads (default {@code gateway:read}). */
        public Builder readScope(String scope) {
            readScope = scope;
            return this;
        }

        /** The scope of plugin self-registration (default {@code plugins:register}). */
        public Builder registerScope(String scope) {
            registerScope = scope;
            return this;
        }

        /** The scope of administering any instance (default {@code plugins:admin}). */
        public Builder adminScope(String scope) {
            adminScope = scope;
            return this;
        }

        /** The scope of changing routing rules (default {@code rules:write}). */
        public Builder rulesWriteScope(String scope) {
            rulesWriteScope = scope;
            return this;
        }

        /** The scope of invoking a tool through the API (default {@code tools:invoke}). */
        public Builder invokeScope(String scope) {
            invokeScope = scope;
            return this;
        }

        /** The claim listing the plugin names a registering token may use (default {@code mcp_plugins}). */
        public Builder pluginNamesClaim(String claim) {
            pluginNamesClaim = claim;
            return this;
        }

        /** The longest {@code Authorization} header read (default 8192). */
        public Builder maxTokenChars(int chars) {
            maxTokenChars = chars;
            return this;
        }

        /** The settings; validated. */
        public FrontDoorAuth build() {
            return new FrontDoorAuth(validator, resource, authorizationServers, requiredScopes,
                    scopesSupported != null ? scopesSupported : requiredScopes, readScope, registerScope, adminScope,
                    rulesWriteScope, invokeScope, pluginNamesClaim, maxTokenChars);
        }
    }
}
