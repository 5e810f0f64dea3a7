package dev.mcpgateway.examples.runner;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The runner's version, as the build wrote it into {@code version.properties}: what {@code --version}, the banner and
 * the start line say, so an operator can tell which build is running.
 */
final class RunnerVersion {
    /** This build's version, e.g. {@code 0.1.0}. */
    static final String VERSION = read();

    private RunnerVersion() {
    }

    /** What {@code --version} prints: the version and the Java runtime it runs on. */
    static String describe() {
        return "mcp-gateway " + VERSION + " (Java " + Runtime.version() + ", " + System.getProperty("java.vendor")
                + ")";
    }

    private static String read() {
        try (InputStream in = RunnerVersion.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IllegalStateException("version.properties is missing from the runner's jar: rebuild it"
                        + " with ./mvnw package");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the runner's version.properties", e);
        }
    }
}
