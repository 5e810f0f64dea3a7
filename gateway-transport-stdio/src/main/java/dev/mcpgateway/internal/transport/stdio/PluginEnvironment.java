package dev.mcpgateway.internal.transport.stdio;

import java.util.List;
import java.util.Map;

/**
 * Which of the gateway's environment variables a stdio plugin sees when it does not inherit them all: the few a
 * program needs to run, none that usually holds a secret. The gateway's environment holds its own credentials and
 * every {@code ${VAR}} the operator expands into a plugin's settings; a plugin that printed its environment (the
 * reference "everything" server's {@code get-env} tool does) would hand them to any client.
 *
 * <p>The base list is the one the official MCP TypeScript SDK keeps ({@code getDefaultEnvironment()}, after
 * sudo's): {@code HOME, LOGNAME, PATH, SHELL, TERM, USER} on POSIX, the system folders, {@code PATH}, {@code TEMP}
 * and the user's profile on Windows; {@code npx} and {@code uvx} launchers need {@code PATH} and {@code HOME}.
 * Added to it, because they carry preferences rather than secrets and their absence breaks plugins quietly:
 * <ul>
 * <li>the locale ({@code LANG}, {@code LANGUAGE}, {@code LC_*}): without it a plugin may decode its arguments,
 *     environment and files as ASCII and mangle every non-ASCII character;</li>
 * <li>{@code TMPDIR}: where the system wants temporary files (a per-user folder on macOS); without it a plugin
 *     falls back to a shared {@code /tmp}.</li>
 * </ul>
 * As the SDK does, a value starting with {@code ()} is left out: it is a shell function exported by bash, a way
 * into any bash the plugin runs.
 */
public final class PluginEnvironment {
    private static final List<String> POSIX = List.of("HOME", "LOGNAME", "PATH", "SHELL", "TERM", "USER",
            "LANG", "LANGUAGE", "TMPDIR");
    private static final String LOCALE_PREFIX = "LC_";
    private static final List<String> WINDOWS = List.of("APPDATA", "HOMEDRIVE", "HOMEPATH", "LOCALAPPDATA", "PATH",
            "PROCESSOR_ARCHITECTURE", "SYSTEMDRIVE", "SYSTEMROOT", "TEMP", "USERNAME", "USERPROFILE", "PROGRAMFILES");

    private PluginEnvironment() {
    }

    /**
     * Removes from {@code environment} (a copy of the gateway's, as {@link ProcessBuilder#environment()} starts out)
     * every variable a plugin does not get by default.
     */
    public static void keepDefaults(Map<String, String> environment) {
        keepDefaults(environment, isWindows());
    }

    /** {@link #keepDefaults(Map)} for the given platform, so that both lists can be tested anywhere. */
    static void keepDefaults(Map<String, String> environment, boolean windows) {
        environment.entrySet().removeIf(variable -> !isDefault(variable.getKey(), variable.getValue(), windows));
    }

    private static boolean isDefault(String name, String value, boolean windows) {
        if (value.startsWith("()")) {
            return false;
        }
        if (windows) {
            // Windows variable names are case-insensitive: Path and PATH are the same variable.
            return WINDOWS.stream().anyMatch(name::equalsIgnoreCase);
        }
        return POSIX.contains(name) || name.startsWith(LOCALE_PREFIX);
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "").startsWith("Windows");
    }
}
