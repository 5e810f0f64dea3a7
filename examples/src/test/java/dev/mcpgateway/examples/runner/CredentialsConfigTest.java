package dev.mcpgateway.examples.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.auth.ClientAuthentication;
import dev.mcpgateway.auth.ClientCredentialsOptions;
import dev.mcpgateway.auth.TokenExchangeOptions;
import dev.mcpgateway.auth.UpstreamCredentials;
import dev.mcpgateway.plugin.TransportSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner's {@code credentials:} of HTTP plugins: what each key sets, and each mistake reported at its line. */
class CredentialsConfigTest {
    private static final Map<String, String> ENV = Map.of("FILES_SECRET", "s3cret");

    @TempDir
    Path dir;

    private RunnerConfig load(String yaml) throws IOException {
        return ConfigLoader.load(Files.writeString(dir.resolve("gateway.yaml"), yaml), ENV);
    }

    private String error(String yaml) throws IOException {
        Path file = Files.writeString(dir.resolve("bad.yaml"), yaml);
        String message = assertThrows(ConfigException.class, () -> ConfigLoader.load(file, ENV)).getMessage();
        assertFalse(message.contains("s3cret"), message);
        return message;
    }

    private static UpstreamCredentials credentials(RunnerConfig config) {
        return ((TransportSpec.Http) config.plugins().getFirst().manifest().transport()).credentials();
    }

    @Test
    void clientCredentialsTakeEveryKey() throws IOException {
        RunnerConfig config = load("""
                plugins:
                  - name: files
                    transport: http
                    url: http://127.0.0.1:8081/mcp
                    credentials:
                      type: client_credentials
                      tokenUrl: https://auth.example.com/oauth2/token
                      clientId: gateway
                      clientSecret: ${FILES_SECRET}
                      clientAuthentication: client_secret_post
                      scopes: [files:read files:write]
                      audience: files
                      resource: https://files.example.com/mcp
                      refreshBefore: 1m
                """);
        ClientCredentialsOptions options = assertInstanceOf(UpstreamCredentials.ClientCredentials.class,
                credentials(config)).options();
        assertEquals("https://auth.example.com/oauth2/token", options.client().endpoint().toString());
        assertEquals("s3cret", options.client().clientSecret());
        assertEquals(ClientAuthentication.CLIENT_SECRET_POST, options.client().authentication());
        assertEquals(Set.of("files:read", "files:write"), options.scopes());
        assertEquals("files", options.audience());
        assertEquals("https://files.example.com/mcp", options.resource());
        assertEquals(Duration.ofMinutes(1), options.refreshBefore());
        assertFalse(config.plugins().getFirst().toString().contains("s3cret"));
        assertEquals(config.plugins().getFirst(), load(Files.readString(dir.resolve("gateway.yaml"))).plugins()
                .getFirst(), "the same file gives an equal plugin, so a reload leaves it alone");
    }

    @Test
    void tokenExchangeTakesItsOwnKeys() throws IOException {
        TokenExchangeOptions options = assertInstanceOf(UpstreamCredentials.TokenExchange.class, credentials(load("""
                plugins:
                  - name: files
                    transport: http
                    url: http://127.0.0.1:8081/mcp
                    credentials:
                      type: token_exchange
                      tokenUrl: https://auth.example.com/oauth2/token
                      clientId: gateway
                      clientSecret: ${FILES_SECRET}
                      audience: files
                      maxCachedTokens: 500
                      forGatewayRequests: client_credentials
                """))).options();
        assertEquals("files", options.audience());
        assertEquals(500, options.maxCachedTokens());
        assertEquals("files", assertInstanceOf(UpstreamCredentials.ClientCredentials.class,
                options.forGatewayRequests()).options().audience());
    }

    @Test
    void theExampleOfTheConfigurationGuideIsAccepted() throws IOException {
        Matcher yaml = Pattern.compile("(?ms)^```yaml\\n(plugins:.*?credentials:.*?)^```$")
                .matcher(Files.readString(Path.of("..", "docs", "CONFIGURATION.md")));
        assertTrue(yaml.find(), "the guide shows credentials");
        RunnerConfig config = ConfigLoader.load(Files.writeString(dir.resolve("gateway.yaml"), yaml.group(1)),
                Map.of("FILES_CLIENT_SECRET", "s3cret"));
        assertInstanceOf(UpstreamCredentials.ClientCredentials.class, credentials(config));
    }

    @Test
    void mistakesAreReportedWhereTheyStand() throws IOException {
        String plugin = """
                plugins:
                  - name: files
                    transport: http
                    url: http://127.0.0.1:8081/mcp
                """;
        assertEquals("config error in bad.yaml line 6, column 7: plugins[0].credentials: credentials.type must be"
                + " client_credentials or token_exchange, got 'password'", error(plugin + """
                    credentials:
                      type: password
                """));
        assertEquals("config error in bad.yaml line 6, column 7: plugins[0].credentials: credentials.tokenUrl must be"
                + " an absolute http or https URI, e.g. https://auth.example.com/oauth2/token, got /token", error(plugin + """
                    credentials: { type: client_credentials, tokenUrl: /token, clientId: g, clientSecret: x }
                """.replace("credentials: {", "credentials:\n      {")));
        assertEquals("config error in bad.yaml line 6, column 7: plugins[0].credentials: credentials.a token exchange"
                + " needs the plugin's audience or resource (or both), so the exchanged token is good for that plugin"
                + " only, e.g. audience: files or resource: https://files.example.com/mcp", error(plugin + """
                    credentials:
                      type: token_exchange
                      tokenUrl: https://auth.example.com/token
                      clientId: gateway
                      clientSecret: ${FILES_SECRET}
                """));
        assertEquals("config error in bad.yaml line 2, column 5: plugins[0]: http plugin 'files' has both credentials"
                + " and a static Authorization header; the credentials set that header, so remove one of the two",
                error(plugin + """
                    headers: { Authorization: "Bearer x" }
                    credentials:
                      type: client_credentials
                      tokenUrl: https://auth.example.com/token
                      clientId: gateway
                      clientSecret: ${FILES_SECRET}
                """));
        assertEquals("config error in bad.yaml line 2, column 5: plugins[0]: stdio plugin 'files' takes no url,"
                + " headers or credentials; those are for 'transport: http'", error("""
                plugins:
                  - name: files
                    transport: stdio
                    command: java
                    credentials:
                      type: client_credentials
                      tokenUrl: https://auth.example.com/token
                      clientId: gateway
                      clientSecret: x
                """));
    }
}
