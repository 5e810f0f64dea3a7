package dev.mcpgateway.audit;

/**
 * The audit log: one {@code key=value} line at INFO on the SLF4J logger {@value #LOGGER} for each registration,
 * replacement, deregistration, lease eviction, drain and its end, routing rule replacement and health transition
 * made through this gateway, and for clients failing to authenticate at its front doors ({@link AuthFailure}). Always
 * on, as such events are few; an operator routes or silences the logger in the logging configuration. A line names
 * the event and its actor (who made it) and never holds a token, an API key, a header or a tool's arguments. The
 * events and their fields are listed in {@code docs/AUDIT.md}.
 */
public final class AuditLog {
    /** The name of the logger the lines go to. */
    public static final String LOGGER = "dev.mcpgateway.audit";

    private AuditLog() {
    }
}
