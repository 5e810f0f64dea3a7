package dev.mcpgateway.examples;

import dev.mcpgateway.testing.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The processes a test started, directly or through the processes it started, so that it can show none outlives
 * it. A grandchild whose parent exited is re-parented and no longer shows up among this JVM's descendants, so
 * every process seen by {@link #started()} is remembered.
 */
final class ChildProcesses {
    private final Set<Long> before = pids(ProcessHandle.current().descendants().toList());
    private final Map<Long, ProcessHandle> seen = new ConcurrentHashMap<>();

    /** The descendants of this JVM started since this object was created that are running now, oldest first. */
    List<ProcessHandle> started() {
        List<ProcessHandle> now = ProcessHandle.current().descendants()
                .filter(process -> !before.contains(process.pid())).toList();
        now.forEach(process -> seen.putIfAbsent(process.pid(), process));
        return now.stream().filter(ChildProcesses::isRunning).toList();
    }

    /**
     * Waits until every process seen has exited, then kills any left over so that a failing test leaves nothing
     * behind either.
     *
     * @throws AssertionError if one still runs after {@code timeout}
     */
    void assertAllExitWithin(Duration timeout) {
        started();
        try {
            Await.until("every process the test started has exited: " + seen.keySet(), timeout,
                    () -> seen.values().stream().noneMatch(ChildProcesses::isRunning));
        } finally {
            seen.values().forEach(ProcessHandle::destroyForcibly);
        }
    }

    /**
     * Whether a process still runs. A zombie does not: an orphan is reaped by PID 1, which in a container may take
     * its time or never happen, yet {@link ProcessHandle#isAlive()} reports it alive until then.
     */
    static boolean isRunning(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            // The state follows the command name, which is in parentheses and may itself hold spaces or ')'.
            int end = stat.lastIndexOf(')');
            return end < 0 || end + 2 >= stat.length() || stat.charAt(end + 2) != 'Z';
        } catch (IOException e) {
            return process.isAlive(); // no /proc (not Linux), or the process is gone
        }
    }

    private static Set<Long> pids(List<ProcessHandle> processes) {
        return processes.stream().map(ProcessHandle::pid).collect(Collectors.toSet());
    }
}
