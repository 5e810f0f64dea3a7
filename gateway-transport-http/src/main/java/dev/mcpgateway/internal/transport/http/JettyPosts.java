package dev.mcpgateway.internal.transport.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLSession;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;

/**
 * POSTs to one plain {@code http://} origin through Jetty's {@link org.eclipse.jetty.client.HttpClient}, answering
 * {@link HttpResponse}s as the JDK client would, so the channel handles both alike. Thread-safe.
 */
public final class JettyPosts implements AutoCloseable {
    private final org.eclipse.jetty.client.HttpClient client = new org.eclipse.jetty.client.HttpClient();

    /** A client for plain-http POSTs; {@code connectTimeout} bounds each new connection. */
    public JettyPosts(Duration connectTimeout) {
        client.setConnectTimeout(Math.max(1, connectTimeout.toMillis()));
        client.setFollowRedirects(false);
        client.setUserAgentField(null);
        client.getContentDecoderFactories().clear();
        client.setMaxConnectionsPerDestination(1024);
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException("could not start the HTTP client", e);
        }
    }

    /**
     * POSTs {@code body} with the request's URI, headers and timeout (the time allowed until the response headers
     * arrive).
     *
     * @throws HttpTimeoutException if the response headers did not arrive in time
     * @throws IOException if the exchange failed
     */
    public HttpResponse<InputStream> post(HttpRequest request, byte[] body) throws IOException, InterruptedException {
        String type = request.headers().firstValue("Content-Type").orElse("application/json");
        Request jetty = client.newRequest(request.uri()).method(HttpMethod.POST)
                .body(new BytesRequestContent(type, body));
        jetty.headers(fields -> {
            for (Map.Entry<String, List<String>> header : request.headers().map().entrySet()) {
                for (String value : header.getValue()) {
                    fields.add(header.getKey(), value);
                }
            }
        });
        InputStreamResponseListener listener = new InputStreamResponseListener();
        jetty.send(listener);
        Duration timeout = request.timeout().orElse(null);
        Response response;
        try {
            response = timeout == null ? listener.get(Long.MAX_VALUE, TimeUnit.DAYS)
                    : listener.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            jetty.abort(e);
            throw new HttpTimeoutException("no response from " + request.uri().getAuthority() + " within " + timeout);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (InterruptedException e) {
            jetty.abort(e);
            throw e;
        }
        TreeMap<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (HttpField field : response.getHeaders()) {
            if (field.getHeader() != HttpHeader.TRANSFER_ENCODING) {
                headers.computeIfAbsent(field.getName(), name -> new ArrayList<>()).add(field.getValue());
            }
        }
        return new Reply(request, response.getStatus(), HttpHeaders.of(headers, (name, value) -> true),
                listener.getInputStream());
    }

    @Override
    public void close() {
        try {
            client.stop();
        } catch (Exception e) {
            // nothing left to release
        }
    }

    /** An answer as the JDK client would give it. */
    private record Reply(HttpRequest request, int statusCode, HttpHeaders headers, InputStream body)
            implements HttpResponse<InputStream> {
        @Override
        public Optional<HttpResponse<InputStream>> previousResponse() {
            return Optional.empty();
        }

        @Override
        public Optional<SSLSession> sslSession() {
            return Optional.empty();
        }

        @Override
        public URI uri() {
            return request.uri();
        }

        @Override
        public HttpClient.Version version() {
            return HttpClient.Version.HTTP_1_1;
        }
    }
}
