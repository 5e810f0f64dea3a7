package dev.mcpgateway.examples.demo;

import dev.mcpgateway.testing.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Command lines that run a demo {@code main} in a child JVM on the test class path, and checks that none outlives a test. */
public final class DemoProcesses {
    private DemoProcesses() {
    }

    /** The command running {@code main}: the JVM running the tests, tuned to start fast. */
    public static List<String> command(Class<?> main) {
        return new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), main.getName()));
    }

    /**
     * Waits until no process running {@code main} has {@code workingDirectory} as its working directory (the test
     * gives each child its own directory so that only its processes match), then kills any left over.
     *
     * @throws AssertionError if one still runs after {@code timeout}
     */
    public static void assertNoneLeftRunning(Class<?> main, Path workingDirectory, Duration timeout) {
        try {
            Await.until("no " + main.getSimpleName() + " process is left in " + workingDirectory, timeout,
                    () -> running(main, workingDirectory).isEmpty());
        } finally {
            running(main, workingDirectory).forEach(ProcessHandle::destroyForcibly);
        }
    }

    /** The running processes of {@code main} whose working directory is {@code workingDirectory}. */
    public static List<ProcessHandle> running(Class<?> main, Path workingDirectory) {
        return ProcessHandle.allProcesses()
                .filter(process -> runs(process, main))
                .filter(process -> workingDirectory.equals(workingDirectoryOf(process)))
                .filter(DemoProcesses::isRunning)
                .toList();
    }

    /**
     * Whether {@code process} runs {@code main}. Read from /proc rather than {@link ProcessHandle.Info}, which gives
     * up on a command line longer than 4 KiB, as a test class path makes it.
     */
    private static boolean runs(ProcessHandle process, Class<?> main) {
        try {
            String commandLine = Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline"),
                    StandardCharsets.ISO_8859_1);
            return List.of(commandLine.split("\0")).contains(main.getName());
        } catch (IOException | UncheckedIOException e) {
            return false; // gone, or not ours to inspect
        }
    }

    private static Path workingDirectoryOf(ProcessHandle process) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", Long.toString(process.pid()), "cwd")).toRealPath();
        } catch (IOException | UnsupportedOperationException e) {
            return null; // gone, or not ours to inspect
        }
    }

    /** Whether a process runs: an orphaned zombie waiting to be reaped does not. */
    private static boolean isRunning(ProcessHandle process) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            int end = stat.lastIndexOf(')');
            return process.isAlive() && (end < 0 || end + 2 >= stat.length() || stat.charAt(end + 2) != 'Z');
        } catch (IOException e) {
            return process.isAlive();
        }
    }
}
