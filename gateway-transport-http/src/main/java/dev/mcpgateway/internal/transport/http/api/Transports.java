package dev.mcpgateway.internal.transport.http.api;

import dev.mcpgateway.plugin.TransportSpec;
import dev.mcpgateway.transport.http.HttpClientOptions;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Builds the transports a registration names, from the manifest's {@code transport} and from a {@code server.json}
 * alike, checking each value where it came from: the URL as {@link TransportSpec.Http} takes it (and with a host,
 * as the runner's configuration requires), each header as the HTTP transport will send it
 * ({@link HttpClientOptions}), the command and working directory as {@link TransportSpec.Stdio} takes them. A
 * transport with a bad value is reported, not built.
 */
final class Transports {
    private Transports() {
    }

    /**
     * An HTTP transport, or null with the errors recorded.
     *
     * @param urlPointer     where the URL came from
     * @param headersPointer the object or array the headers came from; each header is reported at
     *                       {@code headerPointers} when given, else as a member of it
     * @param headerPointers where each header came from, by name, when they are not members of one object
     */
    static TransportSpec.Http http(String url, String urlPointer, Map<String, String> headers, String headersPointer,
                                   Map<String, String> headerPointers, List<FieldError> errors) {
        int before = errors.size();
        URI uri = JsonFields.attempt(errors, urlPointer, () -> uri(url));
        headers.forEach((name, value) -> JsonFields.attempt(errors,
                headerPointers.getOrDefault(name, JsonFields.child(headersPointer, name)),
                () -> HttpClientOptions.builder().header(name, value).build()));
        TransportSpec.Http http = uri == null ? null
                : JsonFields.attempt(errors, urlPointer, () -> new TransportSpec.Http(uri, headers));
        if (http != null && (uri.getHost() == null || uri.getHost().isEmpty())) {
            errors.add(new FieldError(urlPointer, "'" + url + "' has no host; use an http:// or https:// URL with a "
                    + "host, such as http://127.0.0.1:8081/mcp"));
        }
        return errors.size() > before ? null : http;
    }

    /** A stdio transport, or null with the errors recorded; it sees only {@code env} of what is not its own. */
    static TransportSpec.Stdio stdio(String command, String commandPointer, List<String> args, Map<String, String> env,
                                     String workingDirectory, String workingDirectoryPointer, List<FieldError> errors) {
        int before = errors.size();
        Path directory = workingDirectory == null ? null
                : JsonFields.attempt(errors, workingDirectoryPointer, () -> Path.of(workingDirectory));
        TransportSpec.Stdio stdio = JsonFields.attempt(errors, commandPointer,
                () -> new TransportSpec.Stdio(command, args, env, false, directory));
        return errors.size() > before ? null : stdio;
    }

    private static URI uri(String url) {
        try {
            return new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + url + "' is not a URL (" + e.getReason() + " at index "
                    + e.getIndex() + "); use an http:// or https:// URL such as http://127.0.0.1:8081/mcp", e);
        }
    }
}
