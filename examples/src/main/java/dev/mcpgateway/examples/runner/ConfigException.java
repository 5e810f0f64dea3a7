package dev.mcpgateway.examples.runner;

/**
 * A configuration the runner cannot use. Its message is one line meant for the person who wrote the file: which
 * file, where in it, and what is wrong, e.g. {@code config error in gateway.yaml line 4, column 5: unknown key
 * 'prots' under plugins[0] (known: name, transport, ...)}.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A problem described by a complete one-line message. */
    public ConfigException(String message) {
        super(message);
    }

    /** A problem with a cause kept for debugging; the message alone must explain it. */
    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
