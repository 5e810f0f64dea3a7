package dev.mcpgateway.plugin;

/**
 * Who put an instance into the registry, so operators can tell config-declared plugins from self-registered ones
 * and the runner's config reload touches only its own.
 */
public enum RegistrationSource {
    /** The embedding host, through the Java API (the default). */
    HOST,
    /** The runner, from its configuration file. */
    CONFIG,
    /** A plugin or operator, over the management REST API. */
    API
}
