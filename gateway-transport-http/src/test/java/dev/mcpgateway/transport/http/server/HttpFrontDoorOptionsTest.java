package dev.mcpgateway.transport.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Defaults, validation and the origin allow-list of the front door's options. */
class HttpFrontDoorOptionsTest {

    @Test
    void defaultsAreLocalAndModest() {
        HttpFrontDoorOptions options = HttpFrontDoorOptions.defaults();
        assertEquals("127.0.0.1", options.host());
        assertEquals(9105, options.port());
        assertEquals("/mcp", options.path());
        assertEquals(HttpFrontDoorOptions.LOCAL_ORIGINS, options.allowedOrigins());
        assertEquals(4 * 1024 * 1024, options.maxRequestBytes());
        assertEquals(Duration.ofSeconds(15), options.sseKeepAlive());
        assertEquals(8192, options.maxConnections());
        assertEquals(32, options.maxStreamsPerSession());
        assertEquals(HttpFrontDoorOptions.LOCAL_HOSTS, options.allowedHosts());
        assertFalse(options.cors(), "CORS is off unless asked for");
        assertEquals(Math.max(4 * 1024 * 1024, Runtime.getRuntime().maxMemory() / 16), options.maxBodyBytesInFlight());
        assertEquals(null, options.tls(), "plain HTTP");
        assertEquals(Duration.ofMinutes(5), options.idleTimeout());
        assertEquals(Duration.ofSeconds(10), options.requestHeaderTimeout());
        assertEquals(Duration.ofSeconds(60), options.requestBodyTimeout());
        assertEquals(16 * 1024, options.maxRequestHeaderBytes());
        assertEquals(ManagementApiOptions.defaults(), options.managementApi());
    }

    @Test
    void theBuilderSetsEveryOptionAndStartsOverFromExistingOptions() {
        HttpFrontDoorOptions options = HttpFrontDoorOptions.builder().host("0.0.0.0").port(0).path("/api/mcp")
                .allowedOrigins(List.of("https://app.example.com")).allowOrigin("http://localhost:*")
                .maxRequestBytes(1024).sseKeepAlive(Duration.ofSeconds(2)).maxConnections(100)
                .maxStreamsPerSession(4).allowedHosts(List.of("mcp.example.com")).allowHost("[::1]:9105").cors(true)
                .maxBodyBytesInFlight(4096).tls(ServerTls.pem(Path.of("cert.pem"), Path.of("key.pem")))
                .idleTimeout(Duration.ofSeconds(30)).requestHeaderTimeout(Duration.ofSeconds(3))
                .requestBodyTimeout(Duration.ofSeconds(4)).maxRequestHeaderBytes(8192)
                .managementApi(ManagementApiOptions.disabled()).build();
        assertEquals(new HttpFrontDoorOptions("0.0.0.0", 0, "/api/mcp",
                List.of("https://app.example.com", "http://localhost:*"), 1024, Duration.ofSeconds(2), 100, 4,
                List.of("mcp.example.com", "[::1]:9105"), true, 4096,
                ServerTls.pem(Path.of("cert.pem"), Path.of("key.pem")), Duration.ofSeconds(30),
                Duration.ofSeconds(3), Duration.ofSeconds(4), 8192, ManagementApiOptions.disabled(), null, null), options);
        assertEquals(options, options.toBuilder().build());
        assertEquals(8080, options.toBuilder().port(8080).build().port());
    }

    @Test
    void theOriginListIsCopied() {
        List<String> origins = new ArrayList<>(List.of("https://a.example"));
        HttpFrontDoorOptions options = HttpFrontDoorOptions.builder().allowedOrigins(origins).build();
        origins.add("https://b.example");
        assertEquals(List.of("https://a.example"), options.allowedOrigins());
        assertThrows(UnsupportedOperationException.class, () -> options.allowedOrigins().add("*"));
    }

    @Test
    void invalidValuesAreRefusedWithWhatToDo() {
        assertMessage(() -> HttpFrontDoorOptions.builder().host(" ").build(), "host must name an address");
        assertMessage(() -> HttpFrontDoorOptions.builder().port(-1).build(), "port must be between 0");
        assertMessage(() -> HttpFrontDoorOptions.builder().port(65_536).build(), "got 65536");
        assertMessage(() -> HttpFrontDoorOptions.builder().path("mcp").build(), "path must start with '/'");
        assertMessage(() -> HttpFrontDoorOptions.builder().path("/mcp?x=1").build(), "no query");
        assertMessage(() -> HttpFrontDoorOptions.builder().maxRequestBytes(0).build(), "maxRequestBytes must be");
        assertMessage(() -> HttpFrontDoorOptions.builder().maxRequestBytes((1 << 30) + 1).build(), "1 GiB");
        assertMessage(() -> HttpFrontDoorOptions.builder().sseKeepAlive(Duration.ZERO).build(), "sseKeepAlive must be positive");
        assertMessage(() -> HttpFrontDoorOptions.builder().maxConnections(0).build(),
                "maxConnections must be at least 1 (the default is 8192; keep it below the process's file-descriptor "
                        + "limit), got 0");
        assertMessage(() -> HttpFrontDoorOptions.builder().maxStreamsPerSession(-1).build(),
                "maxStreamsPerSession must be at least 1, so a session can open its GET stream");
        assertMessage(() -> HttpFrontDoorOptions.builder().maxRequestBytes(2048).maxBodyBytesInFlight(1024).build(),
                "maxBodyBytesInFlight must be at least maxRequestBytes (2048), or the largest body accepted could "
                        + "never be admitted; raise it, or leave it unset for a sixteenth of the heap; got 1024");
        assertMessage(() -> HttpFrontDoorOptions.builder().idleTimeout(Duration.ZERO).build(),
                "idleTimeout must be at least a millisecond");
        assertMessage(() -> HttpFrontDoorOptions.builder().requestHeaderTimeout(Duration.ofNanos(5)).build(),
                "requestHeaderTimeout must be at least a millisecond");
        assertMessage(() -> HttpFrontDoorOptions.builder().requestBodyTimeout(Duration.ofSeconds(-1)).build(),
                "requestBodyTimeout must be at least a millisecond");
        assertMessage(() -> HttpFrontDoorOptions.builder().maxRequestHeaderBytes(100).build(),
                "maxRequestHeaderBytes must be at least 1024");
        assertMessage(() -> HttpFrontDoorOptions.builder().allowedOrigins(Arrays.asList("https://a.example",
                null)).build(), "must not contain null");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://app.example.com/", "app.example.com", "http://", "https://a.example:99999",
            "https://a.example:x", "https://user@a.example", "https://a.example/path", "*://a.example", "https://[::1"})
    void malformedOriginsAreRefused(String origin) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HttpFrontDoorOptions.builder().allowOrigin(origin).build());
        assertTrue(e.getMessage().contains("'" + origin + "'") && e.getMessage().contains("scheme://host"),
                e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://localhost:3000", "https://localhost", "HTTP://LocalHost:8080", "http://127.0.0.1",
            "https://127.0.0.1:8443", "http://[::1]:9000", "https://[::1]"})
    void localPagesAreAllowedByDefault(String origin) {
        assertTrue(HttpFrontDoorOptions.defaults().allowsOrigin(origin), origin);
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://evil.example", "http://localhost.evil.example", "http://127.0.0.2", "null",
            "localhost:3000", "file://localhost", "http://localhost:3000/path", ""})
    void otherPagesAreNotAllowedByDefault(String origin) {
        assertFalse(HttpFrontDoorOptions.defaults().allowsOrigin(origin), origin);
    }

    @Test
    void requestsWithoutAnOriginAlwaysPass() {
        assertTrue(HttpFrontDoorOptions.builder().allowedOrigins(List.of()).build().allowsOrigin(null));
    }

    @Test
    void portsMatchExactlyWithDefaultPortsImplied() {
        HttpFrontDoorOptions options = HttpFrontDoorOptions.builder()
                .allowedOrigins(List.of("https://app.example.com", "http://tools.example.com:8080")).build();
        assertTrue(options.allowsOrigin("https://app.example.com"));
        assertTrue(options.allowsOrigin("https://app.example.com:443"));
        assertFalse(options.allowsOrigin("https://app.example.com:8443"));
        assertFalse(options.allowsOrigin("http://app.example.com"), "the scheme is part of the origin");
        assertTrue(options.allowsOrigin("http://tools.example.com:8080"));
        assertFalse(options.allowsOrigin("http://tools.example.com"));
        assertFalse(options.allowsOrigin("http://localhost:3000"), "the list replaced the defaults");
    }

    @Test
    void anAsteriskAllowsEveryOrigin() {
        HttpFrontDoorOptions options = HttpFrontDoorOptions.builder().allowedOrigins(List.of("*")).build();
        assertTrue(options.allowsOrigin("https://anything.example"));
        assertTrue(options.allowsOrigin("null"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "localhost:9105", "LocalHost:1", "localhost.", "127.0.0.1", "127.0.0.1:80",
            "[::1]", "[::1]:9105"})
    void loopbackNamesAreAllowedHostsOnAnyPortByDefault(String host) {
        assertTrue(HttpFrontDoorOptions.defaults().allowsHost(host), host);
    }

    @ParameterizedTest
    @ValueSource(strings = {"evil.example", "evil.example:9105", "localhost.evil.example", "127.0.0.2", "[::2]",
            "localhost:", "localhost:99999", "localhost:x", "::1", "local host", ""})
    void rebindingAndMalformedHostsAreNotAllowedByDefault(String host) {
        assertFalse(HttpFrontDoorOptions.defaults().allowsHost(host), host);
    }

    @Test
    void hostsWithAPortAllowOnlyThatPortAndTheBoundAddressIsAlwaysAllowed() {
        HttpFrontDoorOptions options = HttpFrontDoorOptions.builder().host("10.0.0.5")
                .allowedHosts(List.of("mcp.example.com:443", "[fd00::1]")).build();
        assertTrue(options.allowsHost("MCP.example.com:443"));
        assertFalse(options.allowsHost("mcp.example.com"), "no port is another port than 443");
        assertFalse(options.allowsHost("mcp.example.com:8443"));
        assertTrue(options.allowsHost("[FD00::1]:9105"));
        assertTrue(options.allowsHost("10.0.0.5:9105"), "clients reaching the bound address send it");
        assertFalse(options.allowsHost("localhost"), "the list replaced the defaults");
        assertTrue(options.allowsHost(null), "no Host: no browser, so no rebinding");
    }

    @Test
    void aWildcardBindAddsNoHostAndAnAsteriskAllowsAny() {
        HttpFrontDoorOptions everywhere = HttpFrontDoorOptions.builder().host("0.0.0.0").build();
        assertFalse(everywhere.allowsHost("0.0.0.0:9105"));
        assertFalse(everywhere.allowsHost("192.168.1.20:9105"), "public names must be listed");
        assertTrue(everywhere.allowsHost("localhost:9105"));
        assertFalse(HttpFrontDoorOptions.builder().host("::").build().allowsHost("[::]"));
        assertTrue(HttpFrontDoorOptions.builder().host("::1").allowedHosts(List.of()).build().allowsHost("[::1]:1"));
        assertTrue(HttpFrontDoorOptions.builder().host("gateway.internal").allowedHosts(List.of()).build()
                .allowsHost("gateway.internal:9105"));
        assertTrue(everywhere.toBuilder().allowHost("*").build().allowsHost("anything.example"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://mcp.example.com", "mcp.example.com/mcp", "::1", "[::1", "mcp.example.com:0",
            "mcp.example.com:*", "", "user@mcp.example.com"})
    void malformedHostsAreRefused(String host) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HttpFrontDoorOptions.builder().allowHost(host).build());
        assertTrue(e.getMessage().contains("'" + host + "'") && e.getMessage().contains("[ipv6]:port"),
                e.getMessage());
        assertMessage(() -> HttpFrontDoorOptions.builder().allowedHosts(Arrays.asList("a.example", null)).build(),
                "allowedHosts must not contain null");
    }

    @Test
    void tlsNamesItsFilesButNeverThePassword() {
        assertEquals("ServerTls[keyStore=server.p12]", ServerTls.keyStore(Path.of("server.p12"), "secret").toString());
        assertEquals("ServerTls[certificateChain=c.pem, privateKey=k.pem]",
                ServerTls.pem(Path.of("c.pem"), Path.of("k.pem")).toString());
    }

    private static void assertMessage(Executable build, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
