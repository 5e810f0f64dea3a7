package dev.mcpgateway.internal.transport.http;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Objects;

/**
 * What a plugin's HTTP server answered one request of the gateway: the status, the header fields and the body as
 * it streams in. The keep-alive pool ({@link Http1Pool}) gives these directly; an answer of the JDK client becomes
 * one through {@link #of}, so the channel reads both alike.
 *
 * @param status  the status code
 * @param headers the header fields
 * @param body    the body, to be read to its end or closed
 * @param uri     the URI the request went to
 */
public record UpstreamReply(int status, HeaderFields headers, InputStream body, URI uri) {
    /** Checks that every part is present. */
    public UpstreamReply {
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(uri, "uri");
    }

    /** An answer of the JDK client. */
    public static UpstreamReply of(HttpResponse<InputStream> response) {
        return new UpstreamReply(response.statusCode(), HeaderFields.of(response.headers()), response.body(),
                response.uri());
    }

    /** The first value of a header field, or null when it is absent. */
    public String header(String name) {
        return headers.first(name);
    }
}
