package dev.mcpgateway.internal.transport.stdio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PluginEnvironmentTest {

    @Test
    void onPosixThePathHomeUserShellTerminalLocaleAndTemporaryFolderAreKept() {
        Map<String, String> environment = new HashMap<>(Map.of("PATH", "/usr/bin", "HOME", "/home/me", "USER", "me",
                "LOGNAME", "me", "SHELL", "/bin/sh", "TERM", "xterm", "LANG", "de_DE.UTF-8", "LC_NUMERIC", "C",
                "TMPDIR", "/tmp/me", "LANGUAGE", "de"));
        environment.putAll(Map.of("GITHUB_TOKEN", "ghp_x", "DATABASE_URL", "postgres://u:p@h/db",
                "BASH_FUNC_f%%", "() { id; }", "Path", "lower-case twin", "CLASSPATH", "/opt/app.jar"));

        PluginEnvironment.keepDefaults(environment, false);

        assertEquals(Set.of("PATH", "HOME", "USER", "LOGNAME", "SHELL", "TERM", "LANG", "LC_NUMERIC", "TMPDIR",
                "LANGUAGE"), environment.keySet());
    }

    @Test
    void onWindowsTheSystemFoldersPathTempAndProfileAreKeptWhateverTheirCase() {
        Map<String, String> environment = new HashMap<>(Map.of("Path", "C:\\Windows", "SystemRoot", "C:\\Windows",
                "TEMP", "C:\\Temp", "USERPROFILE", "C:\\Users\\me", "APPDATA", "C:\\Users\\me\\AppData",
                "AZURE_CLIENT_SECRET", "x", "LANG", "en_US.UTF-8"));

        PluginEnvironment.keepDefaults(environment, true);

        assertEquals(Set.of("Path", "SystemRoot", "TEMP", "USERPROFILE", "APPDATA"), environment.keySet());
    }

    @Test
    void anExportedShellFunctionIsLeftOutEvenUnderAKeptName() {
        Map<String, String> environment = new HashMap<>(Map.of("TERM", "() { curl evil; }", "PATH", "/bin"));

        PluginEnvironment.keepDefaults(environment, false);

        assertEquals(Set.of("PATH"), environment.keySet());
    }
}
