package dev.mcpgateway.transport.http.server;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The certificate and private key {@link McpHttpServer} serves HTTPS with (HTTP/1.1 and, through ALPN, HTTP/2): either
 * PEM files, a certificate chain and an unencrypted PKCS#8 key ({@code -----BEGIN PRIVATE KEY-----}, RSA, EC or
 * EdDSA; convert others with {@code openssl pkcs8 -topk8 -nocrypt}), or a PKCS#12 key store with its password. The
 * files are read when the server starts. Ignored by {@link McpServlet}, whose container terminates TLS.
 */
public final class ServerTls {
    private final Path certificateChain;
    private final Path privateKey;
    private final Path keyStore;
    private final String keyStorePassword;

    private ServerTls(Path certificateChain, Path privateKey, Path keyStore, String keyStorePassword) {
        this.certificateChain = certificateChain;
        this.privateKey = privateKey;
        this.keyStore = keyStore;
        this.keyStorePassword = keyStorePassword;
    }

    /**
     * TLS with PEM files.
     *
     * @param certificateChain the server's certificate first, then the intermediates that lead to a trusted root
     * @param privateKey       the certificate's unencrypted PKCS#8 private key
     */
    public static ServerTls pem(Path certificateChain, Path privateKey) {
        return new ServerTls(Objects.requireNonNull(certificateChain, "certificateChain"),
                Objects.requireNonNull(privateKey, "privateKey"), null, null);
    }

    /**
     * TLS with a PKCS#12 key store holding one private key entry (the key and its certificate chain); the key's
     * password is the store's.
     */
    public static ServerTls keyStore(Path keyStore, String password) {
        return new ServerTls(null, null, Objects.requireNonNull(keyStore, "keyStore"),
                Objects.requireNonNull(password, "password"));
    }

    /** The PEM certificate chain, or null for a key store. */
    public Path certificateChain() {
        return certificateChain;
    }

    /** The PEM private key, or null for a key store. */
    public Path privateKey() {
        return privateKey;
    }

    /** The PKCS#12 key store, or null for PEM files. */
    public Path keyStore() {
        return keyStore;
    }

    /** The key store's password, or null for PEM files. */
    public String keyStorePassword() {
        return keyStorePassword;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ServerTls that && Objects.equals(certificateChain, that.certificateChain)
                && Objects.equals(privateKey, that.privateKey) && Objects.equals(keyStore, that.keyStore)
                && Objects.equals(keyStorePassword, that.keyStorePassword);
    }

    @Override
    public int hashCode() {
        return Objects.hash(certificateChain, privateKey, keyStore, keyStorePassword);
    }

    /** Names the files, never the password. */
    @Override
    public String toString() {
        return keyStore != null ? "ServerTls[keyStore=" + keyStore + "]"
                : "ServerTls[certificateChain=" + certificateChain + ", privateKey=" + privateKey + "]";
    }
}
