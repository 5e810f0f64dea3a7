package dev.mcpgateway.transport.stdio;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mcpgateway.McpGateway;
import dev.mcpgateway.jsonrpc.JsonRpcException;
import dev.mcpgateway.testing.Await;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The child processes a test's gateway started, told apart from those that were there before: taken when the
 * test starts, checked when its gateway closes. Tests in one JVM run one after the other, so every new descendant
 * of the test JVM is one of this gateway's plugin processes (or a process one of them started).
 */
final class PluginProcesses {
    /** How long stopping every plugin may take after {@code close()} returned; close() itself already waits. */
    private static final Duration GONE_WITHIN = Duration.ofSeconds(5);

    private final Set<Long> before = pids(ProcessHandle.current().descendants().toList());

    /** The descendants of the test JVM started since this object was created, alive or not. */
    List<ProcessHandle> started() {
        return ProcessHandle.current().descendants().filter(p -> !before.contains(p.pid())).toList();
    }

    /** Closes the gateway and fails the test if any plugin process it started outlives it. */
    void closeAndCheckNoneLeft(McpGateway gateway) {
        List<ProcessHandle> plugins = started();
        gateway.close();
        Await.until("every plugin process has exited after close(): " + pids(plugins), GONE_WITHIN,
                () -> plugins.stream().noneMatch(ProcessHandle::isAlive));
    }

    static Set<Long> pids(List<ProcessHandle> processes) {
        return processes.stream().map(ProcessHandle::pid).collect(Collectors.toSet());
    }

    /** The {@link JsonRpcException} a call failed with, within {@code timeout}. */
    static JsonRpcException failure(CompletableFuture<?> call, Duration timeout) {
        ExecutionException thrown = assertThrows(ExecutionException.class,
                () -> call.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        return assertInstanceOf(JsonRpcException.class, thrown.getCause());
    }
}
