package dev.mcpgateway.internal.transport.http.server;

import dev.mcpgateway.transport.http.server.ServerTls;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http2.HTTP2Cipher;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** Jetty's TLS configuration from {@link ServerTls}: a PKCS#12 store as it is, PEM files loaded into one in memory. */
public final class TlsContexts {
    private static final Pattern PRIVATE_KEY =
            Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
    /** The key algorithms a PKCS#8 key is tried with; the first that parses it is its own. */
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS");
    /** The in-memory store's password: it never leaves this process, but PKCS#12 needs one. */
    private static final char[] IN_MEMORY = "in-memory".toCharArray();

    private TlsContexts() {
    }

    /**
     * A server-side TLS configuration; PEM files are read now.
     *
     * @throws IOException if a file cannot be read or holds no usable certificate or key
     */
    public static SslContextFactory.Server server(ServerTls tls) throws IOException {
        SslContextFactory.Server factory = new SslContextFactory.Server();
        // HTTP/2 forbids some ciphers TLS 1.2 would pick: order the allowed ones first (RFC 9113 9.2.2).
        factory.setCipherComparator(HTTP2Cipher.COMPARATOR);
        if (tls.keyStore() != null) {
            factory.setKeyStorePath(tls.keyStore().toString());
            factory.setKeyStoreType("PKCS12");
            factory.setKeyStorePassword(tls.keyStorePassword());
        } else {
            factory.setKeyStore(pemKeyStore(tls.certificateChain(), tls.privateKey()));
            factory.setKeyStorePassword(new String(IN_MEMORY));
        }
        return factory;
    }

    private static KeyStore pemKeyStore(Path chainFile, Path keyFile) throws IOException {
        Certificate[] chain;
        try (InputStream in = Files.newInputStream(chainFile)) {
            chain = CertificateFactory.getInstance("X.509").generateCertificates(in).toArray(Certificate[]::new);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the certificate chain " + chainFile + ": " + e.getMessage(), e);
        }
        if (chain.length == 0) {
            throw new IOException(chainFile + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        PrivateKey key = privateKey(keyFile);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", key, IN_MEMORY, chain);
            return store;
        } catch (GeneralSecurityException e) {
            throw new IOException("the private key " + keyFile + " does not fit the certificate " + chainFile + ": "
                    + e.getMessage(), e);
        }
    }

    private static PrivateKey privateKey(Path keyFile) throws IOException {
        Matcher pem = PRIVATE_KEY.matcher(Files.readString(keyFile, StandardCharsets.US_ASCII));
        if (!pem.find()) {
            throw new IOException(keyFile + " holds no unencrypted PKCS#8 key (-----BEGIN PRIVATE KEY-----); "
                    + "convert it with: openssl pkcs8 -topk8 -nocrypt -in " + keyFile);
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(pem.group(1)));
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                // not this algorithm: try the next
            }
        }
        throw new IOException(keyFile + " holds a private key of none of the algorithms " + KEY_ALGORITHMS);
    }
}
