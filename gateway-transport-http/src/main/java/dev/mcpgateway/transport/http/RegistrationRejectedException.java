package dev.mcpgateway.transport.http;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The gateway refused a {@link PluginRegistration} for good: it answered a 4xx that retrying cannot cure (a manifest
 * that fails validation, a stdio plugin the gateway does not accept over the API, missing credentials). Its message
 * carries the gateway's problem detail and every field error, e.g.
 * {@code gateway http://127.0.0.1:9105/api/v1/plugins rejected plugin 'notes' (400): The manifest has 1 error;
 * nothing was registered: /transport/url: must be an http:// or https:// URL, got 'ftp://x'}.
 */
public final class RegistrationRejectedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The HTTP status the gateway answered. */
    private final int status;
    /** The problem document's detail (or title). */
    private final String detail;
    /** The fields the gateway found wrong. */
    private final transient List<FieldError> fieldErrors;

    /**
     * @param endpoint    where the registration was posted
     * @param plugin      the plugin's name
     * @param status      the HTTP status
     * @param detail      the problem's detail (or title)
     * @param fieldErrors the problem's {@code errors}, possibly none
     */
    public RegistrationRejectedException(URI endpoint, String plugin, int status, String detail,
                                         List<FieldError> fieldErrors) {
        super(message(endpoint, plugin, status, detail, fieldErrors));
        this.status = status;
        this.detail = detail;
        this.fieldErrors = List.copyOf(fieldErrors);
    }

    /** The HTTP status the gateway answered, e.g. 400. */
    public int status() {
        return status;
    }

    /** The problem document's detail, e.g. {@code The manifest has 2 errors; nothing was registered}. */
    public String detail() {
        return detail;
    }

    /** Each field the gateway found wrong, by JSON Pointer. */
    public List<FieldError> fieldErrors() {
        return fieldErrors;
    }

    private static String message(URI endpoint, String plugin, int status, String detail, List<FieldError> errors) {
        String fields = errors.isEmpty() ? ""
                : ": " + errors.stream().map(FieldError::toString).collect(Collectors.joining("; "));
        return "gateway " + endpoint + " rejected plugin '" + plugin + "' (" + status + "): " + detail + fields;
    }

    /**
     * One field of the manifest the gateway rejected.
     *
     * @param field   its JSON Pointer, e.g. {@code /transport/url}
     * @param message what is wrong with it
     */
    public record FieldError(String field, String message) {
        public FieldError {
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(message, "message");
        }

        @Override
        public String toString() {
            return field + ": " + message;
        }
    }
}
