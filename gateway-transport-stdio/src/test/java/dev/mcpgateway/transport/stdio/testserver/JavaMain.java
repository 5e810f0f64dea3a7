package dev.mcpgateway.transport.stdio.testserver;

import dev.mcpgateway.plugin.TransportSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Launches a test server's {@code main} as a real child JVM on the test class path: how the stdio tests start plugins. */
public final class JavaMain {
    private JavaMain() {
    }

    /** A stdio plugin spec that runs {@code main} with the given arguments and the default environment. */
    public static TransportSpec.Stdio spec(Class<?> main, String... args) {
        return new TransportSpec.Stdio(executable(), args(main, args), Map.of(), false, null);
    }

    /** The {@code java} of the JVM running the tests. */
    public static String executable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The arguments of {@link #executable()} that run {@code main} with {@code args}. */
    public static List<String> args(Class<?> main, String... args) {
        List<String> command = new ArrayList<>(List.of(
                // Start fast and small: these JVMs only shuffle a few lines.
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx128m", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        return command;
    }
}
