package dev.mcpgateway.internal.transport.http.server;

/**
 * Ends a route's handling with a problem document ({@link Problem}): thrown from deep in a route (reading its body,
 * parsing a parameter, finding an instance) so each step need not return its error; the router answers with
 * {@link #reply()}. Carries no stack trace: it is an answer, not a fault.
 */
final class ProblemException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient RouteReply reply;

    ProblemException(RouteReply reply) {
        super(reply.body().path("detail").asText(), null, false, false);
        this.reply = reply;
    }

    /** The problem of a status, with the detail for the client. */
    static ProblemException of(int status, String detail) {
        return new ProblemException(Problem.of(status, detail));
    }

    /** The answer. */
    RouteReply reply() {
        return reply;
    }
}
