package dev.mcpgateway.transport.http.server;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.auth.TokenValidator;
import dev.mcpgateway.server.McpServer;
import dev.mcpgateway.server.ServerOptions;
import dev.mcpgateway.testing.JwksServer;
import dev.mcpgateway.testing.Tokens;
import java.io.IOException;
import java.net.URI;
import java.util.function.UnaryOperator;

/**
 * A gateway behind the built-in front door requiring bearer tokens ({@link FrontDoorAuthContract#auth}), signed by a
 * key made here and served by a real JWKS endpoint on 127.0.0.1; tokens for it come from {@link #token(String)}.
 * Closes everything it started.
 */
final class SecuredDoor implements AutoCloseable {
    final RSAKey key;
    final McpGateway gateway;
    final McpServer server;
    final McpHttpServer door;
    private final JwksServer jwks;
    private final TokenValidator validator;

    /**
     * @param gateway  the gateway, its plugins registered; closed with the door
     * @param options  the MCP server's options
     * @param frontDoor changes to the front door's options beyond port 0 and the authentication
     */
    SecuredDoor(McpGateway gateway, ServerOptions options, UnaryOperator<HttpFrontDoorOptions.Builder> frontDoor)
            throws IOException {
        this.key = Tokens.rsaKey("door");
        this.jwks = new JwksServer(new JWKSet(key));
        this.validator = FrontDoorAuthContract.validator(jwks.uri());
        this.gateway = gateway;
        this.server = McpServer.create(gateway, options);
        this.door = McpHttpServer.start(server, frontDoor.apply(HttpFrontDoorOptions.builder().port(0)
                .auth(FrontDoorAuthContract.auth(validator))).build());
    }

    /** A token the door accepts, granting the MCP endpoint's scope and {@code scopes} (space-separated, may be empty). */
    String token(String scopes) {
        return Tokens.sign(key, Tokens.claims().claim("scope", (FrontDoorAuthContract.MCP_SCOPE + " " + scopes)
                .strip()).build());
    }

    /** An address on the door, such as {@code /mcp}. */
    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + door.address().getPort() + path);
    }

    @Override
    public void close() {
        door.close();
        server.close();
        gateway.close();
        validator.close();
        jwks.close();
    }
}
