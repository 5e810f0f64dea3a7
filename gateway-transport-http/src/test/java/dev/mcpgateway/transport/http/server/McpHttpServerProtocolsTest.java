package dev.mcpgateway.transport.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.McpGateway;
import dev.mcpgateway.server.McpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Writer;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in server's protocols beyond cleartext HTTP/1.1, each through the JDK's HTTP client on 127.0.0.1: HTTPS
 * with a certificate made for the test (from a PKCS#12 store and from PEM files), HTTP/2 over TLS by ALPN, and
 * cleartext HTTP/2 (h2c) by upgrade and by prior knowledge.
 */
@Timeout(60)
class McpHttpServerProtocolsTest {
    private static final String PASSWORD = "changeit";

    @TempDir
    static Path dir;
    private static Path keyStore;
    private static SSLContext trusting;

    private McpGateway gateway;
    private McpServer mcp;
    private McpHttpServer server;

    /** A self-signed certificate for 127.0.0.1 made with the running JDK's keytool, and a client trusting it. */
    @BeforeAll
    static void makeCertificate() throws Exception {
        keyStore = dir.resolve("server.p12");
        Path keytool = Path.of(ProcessHandle.current().info().command().orElseThrow()).resolveSibling("keytool");
        Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "server", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "san=ip:127.0.0.1,dns:localhost",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", PASSWORD,
                "-keypass", PASSWORD).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "keytool finished");
        assertEquals(0, process.exitValue(), output);

        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("server", load().getCertificate("server"));
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        trusting = SSLContext.getInstance("TLS");
        trusting.init(null, trust.getTrustManagers(), null);
    }

    @BeforeEach
    void setUp() {
        gateway = McpGateway.builder().build();
        mcp = McpServer.create(gateway);
    }

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.close();
        }
        mcp.close();
        gateway.close();
    }

    @Test
    void servesHttpsFromAKeyStoreWithHttp2ByAlpnAndHttp11() throws Exception {
        server = McpHttpServer.start(mcp, HttpFrontDoorOptions.builder().port(0)
                .tls(ServerTls.keyStore(keyStore, PASSWORD)).build());
        assertEquals("https", server.endpoint().getScheme());
        assertAnswered(HttpClient.Version.HTTP_2, HttpClient.Version.HTTP_2);
        assertAnswered(HttpClient.Version.HTTP_1_1, HttpClient.Version.HTTP_1_1);
    }

    @Test
    void servesHttpsFromPemFiles() throws Exception {
        KeyStore store = load();
        Path chain = dir.resolve("chain.pem");
        Path key = dir.resolve("key.pem");
        writePem(chain, "CERTIFICATE", store.getCertificate("server").getEncoded());
        writePem(key, "PRIVATE KEY", store.getKey("server", PASSWORD.toCharArray()).getEncoded());
        server = McpHttpServer.start(mcp, HttpFrontDoorOptions.builder().port(0).tls(ServerTls.pem(chain, key))
                .build());
        assertAnswered(HttpClient.Version.HTTP_2, HttpClient.Version.HTTP_2);
    }

    @Test
    void aKeyInAnotherPemFormIsRefusedWithHowToConvertIt() throws Exception {
        Path chain = dir.resolve("chain-only.pem");
        writePem(chain, "CERTIFICATE", load().getCertificate("server").getEncoded());
        Path rsaKey = dir.resolve("rsa-key.pem");
        writePem(rsaKey, "RSA PRIVATE KEY", new byte[] {1, 2, 3});
        IOException refused = assertThrows(IOException.class, () -> McpHttpServer.start(mcp,
                HttpFrontDoorOptions.builder().port(0).tls(ServerTls.pem(chain, rsaKey)).build()));
        assertTrue(refused.getMessage().contains("openssl pkcs8 -topk8 -nocrypt"), refused.getMessage());
    }

    @Test
    void servesCleartextHttp2ByUpgrade() throws Exception {
        server = McpHttpServer.start(mcp, HttpFrontDoorOptions.builder().port(0).build());
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build()) {
            // The JDK client offers h2c (Upgrade: h2c) on a first request without a body; the rest follow on HTTP/2.
            HttpResponse<String> upgraded = client.send(HttpRequest.newBuilder(server.endpoint())
                    .timeout(Duration.ofSeconds(10)).header("Accept", "text/event-stream").GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(HttpClient.Version.HTTP_2, upgraded.version(), upgraded.toString());
            HttpResponse<String> listed = client.send(listTools(server.endpoint()),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(HttpClient.Version.HTTP_2, listed.version());
            assertEquals(200, listed.statusCode(), listed.body());
            assertTrue(listed.body().contains("\"tools\""), listed.body());
        }
    }

    @Test
    void servesCleartextHttp2ByPriorKnowledge() throws Exception {
        server = McpHttpServer.start(mcp, HttpFrontDoorOptions.builder().port(0).build());
        try (Socket socket = new Socket(server.address().getAddress(), server.address().getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[] {0, 0, 0, 4, 0, 0, 0, 0, 0}); // an empty SETTINGS frame
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] header = in.readNBytes(9);
            assertEquals(9, header.length, "a frame came back");
            assertEquals(4, header[3], "the server's first frame is SETTINGS: it speaks HTTP/2");
        }
    }

    private void assertAnswered(HttpClient.Version asked, HttpClient.Version expected) throws Exception {
        try (HttpClient client = HttpClient.newBuilder().version(asked).sslContext(trusting).build()) {
            HttpResponse<String> listed = client.send(listTools(server.endpoint()),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(expected, listed.version());
            assertEquals(200, listed.statusCode(), listed.body());
            assertTrue(listed.body().contains("\"tools\""), listed.body());
        }
    }

    /** A stateless tools/list, which needs no session. */
    private static HttpRequest listTools(URI endpoint) {
        try (McpHttp requests = new McpHttp(endpoint)) {
            return requests.stateless("tools/list", null);
        }
    }

    private static KeyStore load() throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store;
    }

    private static void writePem(Path file, String type, byte[] der) throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
            out.write("-----BEGIN " + type + "-----\n");
            out.write(Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der));
            out.write("\n-----END " + type + "-----\n");
        }
    }
}
