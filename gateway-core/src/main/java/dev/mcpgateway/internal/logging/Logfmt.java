package dev.mcpgateway.internal.logging;

/**
 * Log lines of {@code key=value} pairs (logfmt), as the access log and the audit log write them: machine-readable,
 * and safe to hold what clients control. A value is {@code -} when unknown, quoted when it holds spaces, quotes or
 * {@code =}, and its control characters are escaped, so a client's subject or address cannot forge a line or a field
 * of its own. One line's builder per thread.
 */
public final class Logfmt {
    private final StringBuilder line = new StringBuilder(160);

    /** Appends one {@code key=value} pair; {@code value} may be null. */
    public Logfmt field(String key, String value) {
        if (!line.isEmpty()) {
            line.append(' ');
        }
        line.append(key).append('=');
        if (value == null || value.isEmpty()) {
            line.append('-');
            return this;
        }
        boolean plain = value.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '"' && c != '=' && c != '\\');
        if (plain) {
            line.append(value);
            return this;
        }
        line.append('"');
        value.chars().forEach(c -> {
            if (c == '"' || c == '\\') {
                line.append('\\').append((char) c);
            } else if (c < 0x20 || c == 0x7f) {
                line.append(String.format("\\u%04x", c));
            } else {
                line.append((char) c);
            }
        });
        line.append('"');
        return this;
    }

    /** The line so far. */
    @Override
    public String toString() {
        return line.toString();
    }
}
