package dev.mcpgateway.examples.runner;

import dev.mcpgateway.auth.TokenValidator;
import dev.mcpgateway.transport.http.server.HttpFrontDoorOptions;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the runner's HTTP front door may serve as configured, and with what authentication: with
 * {@code auth.provider} oauth2, introspection or apikeys every client needs a bearer token; without authentication the
 * gateway is open to whoever reaches it, which it says once at WARN, and it binds a loopback address only unless the
 * configuration says {@code auth.provider: none} explicitly, so nobody exposes an open gateway by accident while the
 * demo stays two commands.
 */
final class FrontDoorSecurity {
    private static final Logger log = LoggerFactory.getLogger(FrontDoorSecurity.class);

    private FrontDoorSecurity() {
    }

    /**
     * The front door's options for {@code server}, with {@code auth} applied.
     *
     * @param validator the validator of {@code auth}'s tokens when it is enabled, else null
     * @throws ConfigException when the host is not a loopback address and authentication is merely unset
     */
    static HttpFrontDoorOptions options(RunnerConfig.Server server, AuthConfig auth, TokenValidator validator) {
        HttpFrontDoorOptions options = server.frontDoorOptions();
        if (auth.enabled()) {
            return options.toBuilder().auth(auth.frontDoorAuth(validator)).build();
        }
        if (!auth.explicitlyNone() && !isLoopback(server.host())) {
            throw new ConfigException("server.host " + server.host() + " is not a loopback address and no "
                    + "authentication is configured, which would open the gateway to the network; configure "
                    + "auth.provider: oauth2 (AUTH_PROVIDER=oauth2 with AUTH_ISSUER, AUTH_AUDIENCE, AUTH_JWKS_URL), "
                    + "introspection, or apikeys with auth.apiKeys (mcp-gateway apikey --name NAME), or say "
                    + "auth.provider: none (AUTH_PROVIDER=none) to serve unauthenticated on purpose");
        }
        log.warn("No client authentication is configured: anyone who reaches {}:{} can call every tool and use the "
                + "management API; set auth.provider (oauth2, introspection or apikeys) to require tokens",
                server.host(), server.port());
        return options;
    }

    /** Whether a host names only this machine: a loopback literal, or a name resolving to loopback addresses only. */
    static boolean isLoopback(String host) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        try {
            InetAddress[] addresses = InetAddress.getAllByName(bare);
            for (InetAddress address : addresses) {
                if (!address.isLoopbackAddress()) {
                    return false;
                }
            }
            return addresses.length > 0;
        } catch (UnknownHostException e) {
            return false; // binding will fail and say so; an unknown name is not known to be local
        }
    }
}
