package dev.mcpgateway.internal.transport.stdio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops a plugin process together with every process it started, in the order the MCP spec asks for: let it
 * exit by itself (its stdin is closed), then SIGTERM, then SIGKILL. Signals go through {@link ProcessHandle}
 * only: {@code Process.destroy()} would also close the process's streams under the threads still reading them.
 */
public final class ProcessTree {
    private static final Logger log = LoggerFactory.getLogger(ProcessTree.class);
    // SIGKILL cannot be caught; the kernel removes the process almost at once, so this only covers reaping.
    private static final Duration AFTER_KILL = Duration.ofSeconds(1);

    private ProcessTree() {
    }

    /**
     * Stops {@code process} and its descendants; returns within about
     * {@code exitGrace + termGrace + 1 s}.
     *
     * @param knownDescendants descendants seen while the process ran: once it exits they are orphaned and
     *                         {@link Process#descendants()} no longer finds them
     * @param exitGrace        how long the process may take to exit by itself
     * @param termGrace        how long the tree may take to exit after SIGTERM before it gets SIGKILL
     * @param who              names the plugin in log messages
     * @param why              why the plugin is stopped when it is still running after {@code exitGrace}, for the log
     * @return whether every process of the tree is gone
     */
    public static boolean stop(Process process, List<ProcessHandle> knownDescendants, Duration exitGrace,
            Duration termGrace, String who, String why) {
        boolean exited = Waits.until(exitGrace, () -> !process.isAlive());
        Map<Long, ProcessHandle> tree = new LinkedHashMap<>();
        tree.put(process.pid(), process.toHandle());
        knownDescendants.forEach(handle -> tree.put(handle.pid(), handle));
        if (!exited) {
            process.descendants().forEach(handle -> tree.put(handle.pid(), handle));
        }
        List<ProcessHandle> running = running(tree.values());
        if (running.isEmpty()) {
            return true;
        }
        log.info("{}: sending SIGTERM to {} process(es) {} ({})", who, running.size(), pids(running),
                exited ? "children left behind after the plugin exited" : why);
        running.forEach(ProcessHandle::destroy);
        if (Waits.until(termGrace, () -> running(running).isEmpty())) {
            return true;
        }
        List<ProcessHandle> stubborn = running(running);
        log.warn("{}: process(es) {} still running {} after SIGTERM; sending SIGKILL", who, pids(stubborn), termGrace);
        stubborn.forEach(ProcessHandle::destroyForcibly);
        if (Waits.until(AFTER_KILL, () -> running(stubborn).isEmpty())) {
            return true;
        }
        log.warn("{}: process(es) {} still running after SIGKILL", who, pids(running(stubborn)));
        return false;
    }

    /**
     * Whether a process still runs. A zombie does not: orphans are reaped by PID 1, which in a container may
     * take its time or never happen, yet {@link ProcessHandle#isAlive()} reports them alive until then.
     */
    public static boolean isRunning(ProcessHandle handle) {
        return handle.isAlive() && !isZombie(handle.pid());
    }

    private static boolean isZombie(long pid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (IOException | UncheckedIOException e) {
            // No procfs (macOS, Windows) or the process is gone: isAlive() alone decides.
            return false;
        }
        // "pid (comm) S ...": comm may itself hold spaces and parentheses, the state follows the last ')'.
        int close = stat.lastIndexOf(')');
        if (close < 0 || close + 2 >= stat.length()) {
            return false;
        }
        char state = stat.charAt(close + 2);
        return state == 'Z' || state == 'X';
    }

    private static List<ProcessHandle> running(Iterable<ProcessHandle> handles) {
        List<ProcessHandle> running = new ArrayList<>();
        for (ProcessHandle handle : handles) {
            if (isRunning(handle)) {
                running.add(handle);
            }
        }
        return running;
    }

    private static List<Long> pids(List<ProcessHandle> handles) {
        return handles.stream().map(ProcessHandle::pid).toList();
    }
}
