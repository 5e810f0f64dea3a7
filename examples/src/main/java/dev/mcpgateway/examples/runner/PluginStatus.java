package dev.mcpgateway.examples.runner;

/**
 * How one configured plugin came up, for the banner and for tests.
 *
 * @param name      the plugin's name
 * @param transport {@code stdio} or {@code http}
 * @param instances how many instances were configured
 * @param up        how many of them were serving once start-up finished
 * @param problem   why it is not (fully) serving, or null when it is
 */
public record PluginStatus(String name, String transport, int instances, int up, String problem) {
    /** Whether every configured instance was serving. */
    public boolean serving() {
        return problem == null && up == instances;
    }
}
