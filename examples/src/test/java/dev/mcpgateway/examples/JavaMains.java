package dev.mcpgateway.examples;

import dev.mcpgateway.plugin.PluginManifest;
import dev.mcpgateway.plugin.TransportSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Command lines and plugin manifests that run a test class's {@code main} as a child JVM on the test class path. */
final class JavaMains {
    private JavaMains() {
    }

    /** A manifest that has the gateway run {@code main} as the stdio plugin {@code name}, version 1.0.0. */
    static PluginManifest stdioPlugin(String name, Class<?> main, String... args) {
        List<String> command = command(main, args);
        return PluginManifest.builder(name).version("1.0.0")
                .transport(new TransportSpec.Stdio(command.getFirst(), command.subList(1, command.size()), Map.of(),
                        false, null))
                .build();
    }

    /** The command that runs {@code main} with {@code args}: the JVM running the tests, tuned to start fast. */
    static List<String> command(Class<?> main, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // These JVMs only shuffle a few lines: start fast and small.
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        return command;
    }
}
