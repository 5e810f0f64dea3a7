package dev.mcpgateway.internal.transport.http.api;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A request body that failed validation, with every bad field at once, so a client fixes them all in one round
 * rather than one per request. The route layer answers it with {@code 400} and the errors as they are.
 */
public final class InvalidRequestException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Not serialized: the exception lives within the request it answers, and the message keeps the errors' text. */
    private final transient List<FieldError> errors;

    /**
     * @param errors what is wrong, at least one, in the order found
     */
    public InvalidRequestException(List<FieldError> errors) {
        super(summary(errors));
        this.errors = List.copyOf(errors);
    }

    /** Every bad field, in the order found (the body's order). */
    public List<FieldError> errors() {
        return errors;
    }

    private static String summary(List<FieldError> errors) {
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("an invalid request has at least one error");
        }
        String each = errors.stream()
                .map(error -> (error.field().isEmpty() ? "the body" : error.field()) + ": " + error.message())
                .collect(Collectors.joining("; "));
        return errors.size() + (errors.size() == 1 ? " error: " : " errors: ") + each;
    }
}
